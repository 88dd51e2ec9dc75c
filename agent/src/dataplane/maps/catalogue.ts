import { CONNTRACK_MAP, ctEntryLayout, ctKeyLayout } from "./conntrack.ts";
import { DROP_COUNTERS_MAP, dropCountLayout, dropKeyLayout } from "./drop-counters.ts";
import {
  ENDPOINT_BINDINGS_MAP,
  endpointBindingKeyLayout,
  endpointBindingLayout,
} from "./endpoint-bindings.ts";
import { ENDPOINT_PORTS_MAP, endpointPortKeyLayout, endpointPortLayout } from "./endpoint-ports.ts";
import type { StructLayout } from "./layout.ts";
import { LB_BACKENDS_MAP, lbBackendKeyLayout, lbBackendLayout } from "./lb-backends.ts";
import {
  LB_MAGLEV_MAP,
  LB_MAGLEV_SIZE,
  LB_SERVICES_MAX,
  lbMaglevKeyLayout,
  lbMaglevValueLayout,
} from "./lb-maglev.ts";
import { LB_SERVICES_MAP, lbServiceKeyLayout, lbServiceLayout } from "./lb-services.ts";
import { LB_VIPS_MAP, lbVipKeyLayout, lbVipLayout } from "./lb-vips.ts";
import { POLICY_NETWORKS_MAP, policyNetworkKeyLayout, policyNetworkLayout } from "./policy-networks.ts";
import { POLICY_RULES_MAP, policyEntryLayout, policyKeyLayout } from "./policy-rules.ts";

/** Kernel map type numbers (enum bpf_map_type) and the bpftool names used to create them. */
export const MAP_TYPES = {
  hash: 1,
  array: 2,
  percpu_hash: 5,
  lru_hash: 9,
  lpm_trie: 11,
} as const;

export type MapTypeName = keyof typeof MAP_TYPES;

/** BPF_F_NO_PREALLOC, which the kernel requires for LPM tries. */
export const MAP_FLAG_NO_PREALLOC = 1;

export interface MapSpec {
  name: string;
  type: MapTypeName;
  key: StructLayout;
  value: StructLayout;
  maxEntries: number;
  flags: number;
}

/**
 * Every map of bpf/lib/*_map.h. The driver creates and pins them before any
 * program loads, so maps are programmed before the first packet; iproute2
 * then reuses the pins. The BTF test checks this table against the objects.
 */
export const MAP_CATALOGUE: readonly MapSpec[] = [
  {
    name: ENDPOINT_PORTS_MAP,
    type: "hash",
    key: endpointPortKeyLayout,
    value: endpointPortLayout,
    maxEntries: 4096,
    flags: 0,
  },
  {
    name: ENDPOINT_BINDINGS_MAP,
    type: "hash",
    key: endpointBindingKeyLayout,
    value: endpointBindingLayout,
    maxEntries: 131072,
    flags: 0,
  },
  {
    name: POLICY_RULES_MAP,
    type: "lpm_trie",
    key: policyKeyLayout,
    value: policyEntryLayout,
    maxEntries: 65536,
    flags: MAP_FLAG_NO_PREALLOC,
  },
  {
    name: POLICY_NETWORKS_MAP,
    type: "hash",
    key: policyNetworkKeyLayout,
    value: policyNetworkLayout,
    maxEntries: 1024,
    flags: 0,
  },
  {
    name: CONNTRACK_MAP,
    type: "lru_hash",
    key: ctKeyLayout,
    value: ctEntryLayout,
    maxEntries: 262144,
    flags: 0,
  },
  {
    name: LB_SERVICES_MAP,
    type: "hash",
    key: lbServiceKeyLayout,
    value: lbServiceLayout,
    maxEntries: LB_SERVICES_MAX,
    flags: 0,
  },
  {
    name: LB_VIPS_MAP,
    type: "hash",
    key: lbVipKeyLayout,
    value: lbVipLayout,
    maxEntries: LB_SERVICES_MAX,
    flags: 0,
  },
  {
    name: LB_BACKENDS_MAP,
    type: "hash",
    key: lbBackendKeyLayout,
    value: lbBackendLayout,
    maxEntries: 4096,
    flags: 0,
  },
  {
    name: LB_MAGLEV_MAP,
    type: "array",
    key: lbMaglevKeyLayout,
    value: lbMaglevValueLayout,
    maxEntries: LB_SERVICES_MAX * LB_MAGLEV_SIZE,
    flags: 0,
  },
  {
    name: DROP_COUNTERS_MAP,
    type: "percpu_hash",
    key: dropKeyLayout,
    value: dropCountLayout,
    maxEntries: 16384,
    flags: 0,
  },
];

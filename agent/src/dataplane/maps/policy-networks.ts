import type { StructLayout } from "./layout.ts";
import { scalarLayout } from "./layout.ts";

export const POLICY_NETWORKS_MAP = "policy_networks";

/** Mirrors POLICY_ALLOW / POLICY_DENY in bpf/lib/policy_types.h. */
export const POLICY_ACTION = { allow: 1, deny: 2 } as const;
export type PolicyAction = keyof typeof POLICY_ACTION;

export const policyNetworkKeyLayout = scalarLayout("__u32", 4);

export const policyNetworkLayout: StructLayout = {
  cName: "policy_network",
  size: 4,
  fields: { egress_default: { offset: 0, size: 1 }, ingress_default: { offset: 1, size: 1 } },
};

export function encodePolicyNetworkKey(networkId: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt32LE(networkId, 0);
  return key;
}

export function encodePolicyNetwork(defaults: { egress: PolicyAction; ingress: PolicyAction }): Buffer {
  const out = Buffer.alloc(policyNetworkLayout.size);
  out.writeUInt8(POLICY_ACTION[defaults.egress], 0);
  out.writeUInt8(POLICY_ACTION[defaults.ingress], 1);
  return out;
}

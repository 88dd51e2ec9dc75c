import type { TBinding, TEndpointSpec, TFirewallPolicy, TLbService } from "./model.ts";

export interface EndpointStatus {
  name: string;
  kind: "veth" | "tap";
  ifindex: number;
  networkId: number;
  mac: string;
}

export interface ProgramStatus {
  port: string;
  attach: "tc-ingress" | "tc-egress" | "xdp";
  id: number;
  tag: string;
  name: string;
  /** Leading hex of the SHA-256 of the object file the program was loaded from. */
  object: string;
}

export interface MapStatus {
  name: string;
  entries: number;
  maxEntries: number;
}

export interface DataplaneStatus {
  bpffs: string;
  bridges: { mgmt: string; user: string };
  programs: ProgramStatus[];
  maps: MapStatus[];
}

export interface DropCounter {
  /** Interface name when the port still exists, else its ifindex. */
  port: string;
  ifindex: number;
  reason: string;
  packets: number;
  bytes: number;
}

/** The parts of a driver the local CLI reads. */
export interface DataplaneReader {
  status(): Promise<DataplaneStatus>;
  counters(): Promise<DropCounter[]>;
}

/**
 * The agent's packet path. The Linux driver owns bridges, ports, BPF programs
 * and maps; the fake keeps the same validation and map contents in memory for
 * simulate mode. Every mutating call either applies in full or throws a
 * DataplaneError having changed nothing.
 */
export interface Dataplane extends DataplaneReader {
  /** Creates what is missing and adopts what a previous run left (pins, ports, programs) without interrupting it. */
  start(): Promise<void>;
  /** Releases handles only: ports, programs and maps keep forwarding until the next start adopts them. */
  stop(): Promise<void>;
  /** Removes every port, bridge, program and map the driver owns. */
  teardown(): Promise<void>;
  /** Idempotent: an existing port with the same spec is adopted as is. */
  addEndpoint(spec: TEndpointSpec): Promise<EndpointStatus>;
  removeEndpoint(name: string): Promise<void>;
  setBindings(name: string, bindings: readonly TBinding[]): Promise<void>;
  setPolicy(policy: TFirewallPolicy): Promise<void>;
  removePolicy(networkId: number): Promise<void>;
  setService(service: TLbService): Promise<void>;
  removeService(vip: string, port: number, protocol: "tcp" | "udp"): Promise<void>;
}

import type { Dataplane, DataplaneStatus, DropCounter, EndpointStatus, ProgramStatus } from "./dataplane.ts";
import { DataplaneError } from "./errors.ts";
import { MAP_CATALOGUE } from "./maps/catalogue.ts";
import { MemoryMapStore } from "./maps/map-store.ts";
import {
  type TBinding,
  type TEndpointSpec,
  type TFirewallPolicy,
  type TLbService,
  ZEndpointSpec,
} from "./model.ts";
import { MapProgrammer, type ProgrammedMaps } from "./programmer.ts";

function memoryMaps(): ProgrammedMaps {
  const store = (name: keyof ProgrammedMaps) => {
    const spec = MAP_CATALOGUE.find((candidate) => candidate.name === name);
    if (!spec) throw new Error(`map ${name} is missing from the catalogue`);
    return new MemoryMapStore(name, spec.maxEntries, spec.type === "array");
  };
  return {
    endpoint_ports: store("endpoint_ports"),
    endpoint_bindings: store("endpoint_bindings"),
    policy_rules: store("policy_rules"),
    policy_networks: store("policy_networks"),
    lb_services: store("lb_services"),
    lb_vips: store("lb_vips"),
    lb_backends: store("lb_backends"),
    lb_maglev: store("lb_maglev"),
  };
}

/**
 * The driver of simulate mode: the same validation, limits and map contents
 * as the Linux driver, with ports and programs only recorded. Its state
 * survives stop/start like the kernel's does.
 */
export class FakeDataplane implements Dataplane {
  readonly maps = memoryMaps();
  private readonly programmer = new MapProgrammer(this.maps);
  private readonly endpoints = new Map<string, EndpointStatus>();
  private nextIfindex = 100;
  private running = false;

  private ensureRunning(): void {
    if (!this.running)
      throw new DataplaneError("NOT_STARTED", "the data plane driver is not started; call start()");
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  async teardown(): Promise<void> {
    for (const name of [...this.endpoints.keys()]) await this.removeEndpoint(name);
    this.running = false;
  }

  async addEndpoint(spec: TEndpointSpec): Promise<EndpointStatus> {
    this.ensureRunning();
    const parsed = ZEndpointSpec.safeParse(spec);
    if (!parsed.success)
      throw new DataplaneError("INVALID_INPUT", `endpoint is malformed: ${parsed.error.message}`);
    const endpoint = parsed.data;
    const ifindex = this.endpoints.get(endpoint.name)?.ifindex ?? this.nextIfindex;
    this.programmer.programEndpoint(ifindex, endpoint);
    if (ifindex === this.nextIfindex) this.nextIfindex += 1;
    const status: EndpointStatus = {
      name: endpoint.name,
      kind: endpoint.kind,
      ifindex,
      networkId: endpoint.networkId,
      mac: endpoint.mac.toLowerCase(),
    };
    this.endpoints.set(endpoint.name, status);
    return status;
  }

  async removeEndpoint(name: string): Promise<void> {
    this.ensureRunning();
    const endpoint = this.endpoints.get(name);
    if (!endpoint) return;
    this.programmer.forgetEndpoint(endpoint.ifindex);
    this.endpoints.delete(name);
  }

  async setBindings(name: string, bindings: readonly TBinding[]): Promise<void> {
    this.ensureRunning();
    const endpoint = this.endpoints.get(name);
    if (!endpoint)
      throw new DataplaneError("UNKNOWN_PORT", `port ${name} does not exist; add the endpoint first`);
    this.programmer.setBindings(endpoint.ifindex, endpoint, bindings);
  }

  async setPolicy(policy: TFirewallPolicy): Promise<void> {
    this.ensureRunning();
    this.programmer.setPolicy(policy);
  }

  async removePolicy(networkId: number): Promise<void> {
    this.ensureRunning();
    this.programmer.removePolicy(networkId);
  }

  async setService(service: TLbService): Promise<void> {
    this.ensureRunning();
    this.programmer.setService(service);
  }

  async removeService(vip: string, port: number, protocol: "tcp" | "udp"): Promise<void> {
    this.ensureRunning();
    this.programmer.removeService(vip, port, protocol);
  }

  async status(): Promise<DataplaneStatus> {
    const programs: ProgramStatus[] = [...this.endpoints.values()].map((endpoint, i) => ({
      port: endpoint.name,
      attach: "tc-ingress",
      id: i + 1,
      tag: "simulated",
      name: "from_endpoint",
      object: "simulated",
    }));
    return {
      bpffs: "(simulated)",
      bridges: { mgmt: "cnv-mgmt-br0", user: "cnv-user-br0" },
      programs,
      maps: MAP_CATALOGUE.map((spec) => {
        const store = this.maps[spec.name as keyof ProgrammedMaps];
        return {
          name: spec.name,
          entries: spec.type === "array" ? spec.maxEntries : (store?.size ?? 0),
          maxEntries: spec.maxEntries,
        };
      }),
    };
  }

  /** Nothing forwards packets in simulate mode, so nothing is ever dropped. */
  async counters(): Promise<DropCounter[]> {
    return [];
  }
}

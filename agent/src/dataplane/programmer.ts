import { parseIPv4, parseMac } from "./addr.ts";
import { DataplaneError } from "./errors.ts";
import { buildMaglevTable } from "./maglev.ts";
import {
  decodeEndpointBindingKey,
  encodeEndpointBinding,
  endpointBindingKeyLayout,
  writeEndpointBindingKey,
} from "./maps/endpoint-bindings.ts";
import { encodeEndpointPort, encodeEndpointPortKey, PORT_FLAG_DHCP_CLIENT } from "./maps/endpoint-ports.ts";
import { decodeLbBackendKey, encodeLbBackend, encodeLbBackendKey } from "./maps/lb-backends.ts";
import { encodeBackendId, encodeMaglevSlot, LB_MAGLEV_SIZE, LB_SERVICES_MAX } from "./maps/lb-maglev.ts";
import { decodeLbService, encodeLbService, encodeLbServiceKey } from "./maps/lb-services.ts";
import { encodeLbVip, encodeLbVipKey } from "./maps/lb-vips.ts";
import { entryId, keyedEntries, type MapChange, type MapStore } from "./maps/map-store.ts";
import { encodePolicyNetwork, encodePolicyNetworkKey } from "./maps/policy-networks.ts";
import { decodePolicyKeyNetwork } from "./maps/policy-rules.ts";
import {
  IP_PROTOCOLS,
  type TBinding,
  type TEndpoint,
  type TFirewallPolicy,
  type TLbService,
  ZBindings,
  ZLbService,
} from "./model.ts";
import { compilePolicy } from "./policy-compiler.ts";

export interface ProgrammedMaps {
  endpoint_ports: MapStore;
  endpoint_bindings: MapStore;
  policy_rules: MapStore;
  policy_networks: MapStore;
  lb_services: MapStore;
  lb_vips: MapStore;
  lb_backends: MapStore;
  lb_maglev: MapStore;
}

type Step = [MapStore, MapChange];

function applySteps(steps: readonly Step[]): void {
  for (const [store, change] of steps) store.apply(change);
}

function validPort(port: number, what: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 0xffff) {
    throw new DataplaneError("INVALID_PORT_RANGE", `${what} port ${port} is not within 1-65535`);
  }
  return port;
}

/** Backend ids carry their service in the top bits so a service's backends are found from the map alone. */
const BACKEND_ID_SHIFT = 16;

/**
 * Turns endpoints, policies and services into map entries. Every method
 * validates and plans all its changes before applying any, so bad input
 * throws a DataplaneError and leaves the maps as they were. Used by the real
 * driver over kernel maps and by the fake over in-memory ones.
 */
export class MapProgrammer {
  constructor(private readonly maps: ProgrammedMaps) {}

  private bindingEntries(ifindex: number, defaultMac: Buffer, networkId: number, input: readonly TBinding[]) {
    const parsed = ZBindings.safeParse(input);
    if (!parsed.success)
      throw new DataplaneError("INVALID_INPUT", `bindings are malformed: ${parsed.error.message}`);
    const bindings = parsed.data;
    const defaultValue = encodeEndpointBinding(defaultMac, networkId);
    /* One allocation for every key: programming 100,000 bindings must not mean 100,000 buffers. */
    const keySize = endpointBindingKeyLayout.size;
    const keys = Buffer.alloc(bindings.length * keySize);
    const desired = new Map<string, [Buffer, Buffer]>();
    bindings.forEach((binding, i) => {
      const key = keys.subarray(i * keySize, (i + 1) * keySize);
      writeEndpointBindingKey(key, ifindex, binding.ip);
      const id = entryId(key);
      if (desired.has(id)) {
        throw new DataplaneError("INVALID_INPUT", `address ${binding.ip} is bound twice on the same port`);
      }
      desired.set(id, [
        key,
        binding.mac ? encodeEndpointBinding(parseMac(binding.mac), networkId) : defaultValue,
      ]);
    });
    return desired;
  }

  /** Throws exactly what programEndpoint would for this input, without needing the port to exist. */
  validateEndpoint(endpoint: TEndpoint): void {
    this.bindingEntries(0, parseMac(endpoint.mac), endpoint.networkId, endpoint.bindings);
  }

  programEndpoint(ifindex: number, endpoint: TEndpoint): void {
    const mac = parseMac(endpoint.mac);
    const desired = this.bindingEntries(ifindex, mac, endpoint.networkId, endpoint.bindings);
    const port = encodeEndpointPort({
      networkId: endpoint.networkId,
      mac,
      flags: endpoint.dhcpClient ? PORT_FLAG_DHCP_CLIENT : 0,
    });
    applySteps([
      [this.maps.endpoint_bindings, this.planBindings(ifindex, desired)],
      [
        this.maps.endpoint_ports,
        this.maps.endpoint_ports.planUpsert([[encodeEndpointPortKey(ifindex), port]]),
      ],
    ]);
  }

  private planBindings(ifindex: number, desired: Map<string, [Buffer, Buffer]>): MapChange {
    return this.maps.endpoint_bindings.planReplace(
      (key) => decodeEndpointBindingKey(key).ifindex === ifindex,
      desired,
    );
  }

  setBindings(
    ifindex: number,
    port: { mac: string; networkId: number },
    bindings: readonly TBinding[],
  ): void {
    const desired = this.bindingEntries(ifindex, parseMac(port.mac), port.networkId, bindings);
    applySteps([[this.maps.endpoint_bindings, this.planBindings(ifindex, desired)]]);
  }

  forgetEndpoint(ifindex: number): void {
    applySteps([
      [this.maps.endpoint_ports, this.maps.endpoint_ports.planDelete([encodeEndpointPortKey(ifindex)])],
      [this.maps.endpoint_bindings, this.planBindings(ifindex, new Map())],
    ]);
  }

  setPolicy(policy: TFirewallPolicy): void {
    const { networkId, defaults, entries } = compilePolicy(policy);
    applySteps([
      [
        this.maps.policy_rules,
        this.maps.policy_rules.planReplace(
          (key) => decodePolicyKeyNetwork(key) === networkId,
          keyedEntries(entries),
        ),
      ],
      [
        this.maps.policy_networks,
        this.maps.policy_networks.planUpsert([
          [encodePolicyNetworkKey(networkId), encodePolicyNetwork(defaults)],
        ]),
      ],
    ]);
  }

  removePolicy(networkId: number): void {
    applySteps([
      [this.maps.policy_networks, this.maps.policy_networks.planDelete([encodePolicyNetworkKey(networkId)])],
      [
        this.maps.policy_rules,
        this.maps.policy_rules.planReplace((key) => decodePolicyKeyNetwork(key) === networkId, new Map()),
      ],
    ]);
  }

  private serviceKey(vip: string, port: number, protocol: "tcp" | "udp"): Buffer {
    return encodeLbServiceKey({
      vip: parseIPv4(vip),
      port: validPort(port, "service"),
      proto: IP_PROTOCOLS[protocol],
    });
  }

  private serviceBackends(serviceId: number): Map<string, number> {
    const byName = new Map<string, number>();
    for (const [key, value] of this.maps.lb_backends.entries()) {
      const id = decodeLbBackendKey(key);
      if (id >>> BACKEND_ID_SHIFT !== serviceId) continue;
      byName.set(`${[...value.subarray(0, 4)].join(".")}:${value.readUInt16BE(4)}`, id);
    }
    return byName;
  }

  setService(input: TLbService): void {
    const parsed = ZLbService.safeParse(input);
    if (!parsed.success)
      throw new DataplaneError("INVALID_INPUT", `service is malformed: ${parsed.error.message}`);
    const service = parsed.data;
    const key = this.serviceKey(service.vip, service.port, service.protocol);
    const vipMac = parseMac(service.vipMac);
    const vipKey = encodeLbVipKey(parseIPv4(service.vip));
    const answeredWith = this.maps.lb_vips.get(vipKey);
    if (answeredWith && !answeredWith.subarray(0, 6).equals(vipMac) && this.servicesOnVip(vipKey, key) > 0) {
      throw new DataplaneError(
        "INVALID_INPUT",
        `VIP ${service.vip} already answers ARP with another MAC for other services; use the same vipMac`,
      );
    }
    const serviceId = this.serviceId(key);

    const current = this.serviceBackends(serviceId);
    const usedIndexes = new Set([...current.values()].map((id) => id & 0xffff));
    const names: string[] = [];
    const backendEntries: [Buffer, Buffer][] = [];
    const ids: number[] = [];
    for (const backend of service.backends) {
      const addr = parseIPv4(backend.ip);
      const name = `${backend.ip}:${validPort(backend.port, "backend")}`;
      if (names.includes(name)) throw new DataplaneError("INVALID_INPUT", `backend ${name} is listed twice`);
      let id = current.get(name);
      if (id === undefined) {
        let index = 1;
        while (usedIndexes.has(index)) index += 1;
        usedIndexes.add(index);
        id = (serviceId << BACKEND_ID_SHIFT) | index;
      }
      names.push(name);
      ids.push(id);
      backendEntries.push([
        encodeLbBackendKey(id),
        encodeLbBackend({ addr, port: backend.port, mac: parseMac(backend.mac) }),
      ]);
    }
    const table = buildMaglevTable(names, LB_MAGLEV_SIZE);
    const slots: [Buffer, Buffer][] =
      ids.length === 0
        ? []
        : table.map((backendIndex, slot) => [
            encodeMaglevSlot(serviceId, slot),
            encodeBackendId(ids[backendIndex]!),
          ]);
    const stale = [...current.values()].filter((id) => !ids.includes(id)).map(encodeLbBackendKey);

    /* Order keeps every reachable slot pointing at a live backend: add, repoint, publish, then delete. */
    applySteps([
      [this.maps.lb_backends, this.maps.lb_backends.planUpsert(backendEntries)],
      [this.maps.lb_maglev, this.maps.lb_maglev.planUpsert(slots)],
      [
        this.maps.lb_services,
        this.maps.lb_services.planUpsert([
          [key, encodeLbService({ serviceId, backendCount: ids.length, vipMac })],
        ]),
      ],
      [this.maps.lb_vips, this.maps.lb_vips.planUpsert([[vipKey, encodeLbVip(vipMac)]])],
      [this.maps.lb_backends, this.maps.lb_backends.planDelete(stale)],
    ]);
  }

  /** Services other than `except` on the VIP: the ARP answer for it stays while any remains. */
  private servicesOnVip(vipKey: Buffer, except: Buffer): number {
    let count = 0;
    for (const [key] of this.maps.lb_services.entries()) {
      if (key.subarray(0, 4).equals(vipKey) && !key.equals(except)) count += 1;
    }
    return count;
  }

  private serviceId(key: Buffer): number {
    const existing = this.maps.lb_services.get(key);
    if (existing) return decodeLbService(existing).serviceId;
    const used = new Set(
      [...this.maps.lb_services.entries()].map(([, value]) => decodeLbService(value).serviceId),
    );
    for (let id = 0; id < LB_SERVICES_MAX; id++) if (!used.has(id)) return id;
    throw new DataplaneError(
      "MAP_FULL",
      `all ${LB_SERVICES_MAX} load-balancer services are in use; remove one first`,
    );
  }

  removeService(vip: string, port: number, protocol: "tcp" | "udp"): void {
    const key = this.serviceKey(vip, port, protocol);
    const existing = this.maps.lb_services.get(key);
    if (!existing) return;
    const backends = [...this.serviceBackends(decodeLbService(existing).serviceId).values()].map(
      encodeLbBackendKey,
    );
    const vipKey = encodeLbVipKey(key);
    const vipStillUsed = this.servicesOnVip(vipKey, key) > 0;
    applySteps([
      [this.maps.lb_services, this.maps.lb_services.planDelete([key])],
      [this.maps.lb_vips, this.maps.lb_vips.planDelete(vipStillUsed ? [] : [vipKey])],
      [this.maps.lb_backends, this.maps.lb_backends.planDelete(backends)],
    ]);
  }
}

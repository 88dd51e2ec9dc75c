import { cidrContains, isNetworkOrBroadcast, parseCidr, parseIp, type TParsedCidr } from "./ip.ts";
import type { TNodeConfigShape as TConfigShape } from "./node-config.ts";

export type TIssueSink = (path: (string | number)[], message: string) => void;

function reportDuplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: (index: number) => (string | number)[],
  what: string,
  issue: TIssueSink,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else issue(path(index), `${what} ${value} is already used at index ${first}`);
  });
}

function checkNetworks(config: TConfigShape, issue: TIssueSink): Map<number, TParsedCidr> {
  const cidrs = new Map<number, TParsedCidr>();
  const at = (field: string) => (index: number) => ["networks", index, field];
  reportDuplicates(config.networks, (n) => String(n.id), at("id"), "network id", issue);
  reportDuplicates(config.networks, (n) => n.name, at("name"), "network name", issue);
  reportDuplicates(config.networks, (n) => String(n.vni), at("vni"), "VNI", issue);
  config.networks.forEach((network, index) => {
    const cidr = parseCidr(network.cidr);
    if (typeof cidr === "string") return;
    cidrs.set(network.id, cidr);
    const inside = (address: string, field: (string | number)[], role: string) => {
      const ip = parseIp(address);
      if (ip && !cidrContains(cidr, ip)) {
        issue(["networks", index, ...field], `${role} ${address} is outside the network ${network.cidr}`);
        return false;
      }
      return ip !== undefined;
    };
    if (
      inside(network.gateway, ["gateway"], "gateway") &&
      isNetworkOrBroadcast(cidr, parseIp(network.gateway)!)
    ) {
      issue(
        ["networks", index, "gateway"],
        `gateway ${network.gateway} is the network or broadcast address of ${network.cidr}`,
      );
    }
    const range = network.dhcp.range;
    if (range) {
      const startOk = inside(range.start, ["dhcp", "range", "start"], "DHCP range start");
      const endOk = inside(range.end, ["dhcp", "range", "end"], "DHCP range end");
      if (startOk && endOk && parseIp(range.start)!.value > parseIp(range.end)!.value) {
        issue(
          ["networks", index, "dhcp", "range"],
          `DHCP range starts at ${range.start}, after its end ${range.end}`,
        );
      }
    }
  });
  return cidrs;
}

function checkFirewall(config: TConfigShape, networkIds: ReadonlySet<number>, issue: TIssueSink): void {
  reportDuplicates(
    config.firewall,
    (p) => String(p.networkId),
    (i) => ["firewall", i, "networkId"],
    "a policy for network",
    issue,
  );
  config.firewall.forEach((policy, index) => {
    if (!networkIds.has(policy.networkId)) {
      issue(["firewall", index, "networkId"], `network ${policy.networkId} is not defined in networks`);
    }
    policy.rules.forEach((rule, ruleIndex) => {
      const path = ["firewall", index, "rules", ruleIndex];
      if (rule.ports && rule.protocol !== "tcp" && rule.protocol !== "udp") {
        issue([...path, "ports"], `ports apply only to tcp and udp, not to ${rule.protocol}`);
      }
      rule.ports?.forEach((range, rangeIndex) => {
        if (range.lo > range.hi) {
          issue(
            [...path, "ports", rangeIndex],
            `port range ${range.lo}-${range.hi} is inverted (lo must be ≤ hi)`,
          );
        }
      });
    });
  });
}

function checkLoadBalancers(
  config: TConfigShape,
  cidrs: ReadonlyMap<number, TParsedCidr>,
  issue: TIssueSink,
): void {
  const at = (index: number) => ["loadBalancers", index];
  reportDuplicates(
    config.loadBalancers,
    (lb) => lb.id,
    (i) => [...at(i), "id"],
    "load balancer id",
    issue,
  );
  reportDuplicates(config.loadBalancers, (lb) => `${lb.vip} ${lb.protocol}/${lb.port}`, at, "service", issue);
  config.loadBalancers.forEach((lb, index) => {
    const cidr = cidrs.get(lb.networkId);
    const vip = parseIp(lb.vip);
    if (!config.networks.some((n) => n.id === lb.networkId)) {
      issue([...at(index), "networkId"], `network ${lb.networkId} is not defined in networks`);
    } else if (cidr && vip && !cidrContains(cidr, vip)) {
      issue([...at(index), "vip"], `VIP ${lb.vip} is outside network ${lb.networkId}`);
    }
    reportDuplicates(
      lb.backends,
      (b) => `${b.address} port ${b.port}`,
      (i) => [...at(index), "backends", i],
      "backend",
      issue,
    );
    lb.backends.forEach((backend, backendIndex) => {
      if (vip && parseIp(backend.address)?.family !== vip.family) {
        issue(
          [...at(index), "backends", backendIndex, "address"],
          `backend ${backend.address} is not in the VIP's address family`,
        );
      }
    });
  });
}

/** The checks that span fields; each problem goes to `issue` with the path of the offending field. */
export function checkNodeConfig(config: TConfigShape, issue: TIssueSink): void {
  const interfaces = Object.entries(config.bridges).flatMap(([bridge, { interfaces }]) =>
    interfaces.map((name, index) => ({ bridge, name, index })),
  );
  reportDuplicates(
    interfaces,
    (i) => i.name,
    (n) => ["bridges", interfaces[n]!.bridge, "interfaces", interfaces[n]!.index],
    "interface",
    issue,
  );
  reportDuplicates(
    config.cluster.peers,
    (p) => p.nodeId,
    (i) => ["cluster", "peers", i, "nodeId"],
    "peer",
    issue,
  );
  const cidrs = checkNetworks(config, issue);
  checkFirewall(config, new Set(config.networks.map((n) => n.id)), issue);
  checkLoadBalancers(config, cidrs, issue);
}

import type { TNodeConfigV1 } from "./node-config.ts";

/** A small valid config: one tenant network with SSH allowed in. What `stratum-admin config example` prints. */
export function exampleNodeConfig(): TNodeConfigV1 {
  return {
    node: { name: "node-1", mode: "compute" },
    bridges: {
      "cnv-mgmt-br0": { interfaces: ["eno1"], mtu: 1500 },
      "cnv-user-br0": { interfaces: ["eno2"], mtu: 9000 },
    },
    management: { addresses: ["192.0.2.11/24"], gateway: "192.0.2.1" },
    panel: { urls: ["https://panel.example.net"] },
    cluster: { id: "default", role: "voter", peers: [] },
    networks: [
      {
        id: 1,
        name: "tenant-a",
        vni: 1001,
        cidr: "10.10.0.0/24",
        gateway: "10.10.0.1",
        mtu: 8950,
        dhcp: { enabled: true, range: { start: "10.10.0.100", end: "10.10.0.199" }, leaseSeconds: 86_400 },
        dns: ["10.10.0.1"],
      },
    ],
    firewall: [
      {
        networkId: 1,
        defaultAction: "deny",
        rules: [
          {
            direction: "ingress",
            remote: "0.0.0.0/0",
            protocol: "tcp",
            ports: [{ lo: 22, hi: 22 }],
            action: "allow",
          },
        ],
      },
    ],
    loadBalancers: [],
    license: { plan: "free", features: [], seats: 3 },
    updates: { channel: "stable" },
  };
}

/**
 * A config the size of a busy production node: four networks, ~50 firewall rules and two load-balanced
 * services. Tests and the benchmark sign and verify this one.
 */
export function realisticNodeConfig(): TNodeConfigV1 {
  const networks = [1, 2, 3, 4].map((id) => ({
    id,
    name: `tenant-${id}`,
    vni: 10_000 + id,
    cidr: `10.${id}.0.0/16`,
    gateway: `10.${id}.0.1`,
    mtu: 8950,
    dhcp: { enabled: true, range: { start: `10.${id}.1.0`, end: `10.${id}.255.254` }, leaseSeconds: 3600 },
    dns: [`10.${id}.0.2`, "192.0.2.53"],
  }));
  const firewall = networks.map((network) => ({
    networkId: network.id,
    defaultAction: "deny" as const,
    rules: Array.from({ length: 13 }, (_, i) => ({
      direction: i % 3 === 0 ? ("egress" as const) : ("ingress" as const),
      remote: i % 2 === 0 ? `198.51.${i}.0/24` : "0.0.0.0/0",
      protocol: i % 4 === 3 ? ("icmp" as const) : ("tcp" as const),
      ...(i % 4 === 3
        ? {}
        : {
            ports: [
              { lo: 8000 + i, hi: 8000 + i * 10 },
              { lo: 443, hi: 443 },
            ],
          }),
      action: i === 12 ? ("deny" as const) : ("allow" as const),
    })),
  }));
  return {
    ...exampleNodeConfig(),
    node: { name: "compute-017", mode: "compute" },
    management: { addresses: ["192.0.2.17/24", "2001:db8::17/64"], gateway: "192.0.2.1" },
    panel: { urls: ["https://panel-a.example.net", "https://panel-b.example.net"] },
    cluster: {
      id: "dc1",
      role: "voter",
      peers: [1, 2].map((n) => ({
        nodeId: `compute-00${n}`,
        address: `192.0.2.${n + 1}`,
        role: "voter" as const,
      })),
    },
    networks,
    firewall,
    loadBalancers: [
      {
        id: "web",
        networkId: 1,
        vip: "10.1.0.10",
        port: 443,
        protocol: "tcp",
        backends: [1, 2, 3].map((n) => ({ address: `10.1.2.${n}`, port: 8443, weight: n * 10 })),
      },
      {
        id: "dns",
        networkId: 2,
        vip: "10.2.0.53",
        port: 53,
        protocol: "udp",
        backends: [1, 2].map((n) => ({ address: `10.2.2.${n}`, port: 53, weight: 1 })),
      },
    ],
    license: { plan: "enterprise", features: ["gateway-mode", "bgp", "live-migration"], seats: 500 },
  };
}

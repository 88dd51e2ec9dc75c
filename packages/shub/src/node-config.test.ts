import { describe, expect, it } from "vitest";
import { exampleNodeConfig, realisticNodeConfig } from "./example-config.ts";
import { describeIssues, type TNodeConfigV1, ZNodeConfigV1 } from "./node-config.ts";

function problems(edit: (config: TNodeConfigV1) => unknown): string[] {
  const result = ZNodeConfigV1.safeParse(edit(structuredClone(realisticNodeConfig())));
  return result.success ? [] : describeIssues(result.error);
}

describe("ZNodeConfigV1", () => {
  it("accepts the minimal example and the realistic config", () => {
    expect(ZNodeConfigV1.safeParse(exampleNodeConfig()).success).toBe(true);
    expect(problems((c) => c)).toEqual([]);
  });

  it("rejects unknown fields at every level", () => {
    expect(problems((c) => ({ ...c, extra: 1 }))).toEqual([expect.stringMatching(/^\(document\): .*extra/)]);
    expect(
      problems((c) => ({ ...c, bridges: { ...c.bridges, "cnv-other-br0": { interfaces: [], mtu: 1500 } } })),
    ).toEqual([expect.stringMatching(/^bridges: .*cnv-other-br0/)]);
    expect(
      problems((c) => {
        (c.firewall[0]!.rules[0] as Record<string, unknown>).comment = "x";
        return c;
      }),
    ).toEqual([expect.stringMatching(/^firewall\[0\]\.rules\[0\]: .*comment/)]);
  });

  it("requires the gateway inside the network and not its network or broadcast address", () => {
    expect(
      problems((c) => {
        c.networks[1]!.gateway = "10.9.0.1";
        return c;
      }),
    ).toEqual(["networks[1].gateway: gateway 10.9.0.1 is outside the network 10.2.0.0/16"]);
    expect(
      problems((c) => {
        c.networks[0]!.gateway = "10.1.255.255";
        return c;
      }),
    ).toEqual([
      "networks[0].gateway: gateway 10.1.255.255 is the network or broadcast address of 10.1.0.0/16",
    ]);
  });

  it("names the network when a CIDR has host bits set", () => {
    expect(
      problems((c) => {
        c.networks[0]!.cidr = "10.1.3.0/16";
        return c;
      }),
    ).toEqual(["networks[0].cidr: 10.1.3.0/16 has host bits set; the network is 10.1.0.0/16"]);
  });

  it("refuses duplicate VNIs, ids and names", () => {
    expect(
      problems((c) => {
        c.networks[2]!.vni = c.networks[0]!.vni;
        c.networks[3]!.name = "tenant-1";
        return c;
      }),
    ).toEqual([
      "networks[3].name: network name tenant-1 is already used at index 0",
      "networks[2].vni: VNI 10001 is already used at index 0",
    ]);
  });

  it("enforces the VNI range 1..16777215", () => {
    const withVni = (vni: number) =>
      problems((c) => {
        c.networks[0]!.vni = vni;
        return c;
      });
    expect(withVni(16_777_215)).toEqual([]);
    expect(withVni(16_777_216)).toEqual([expect.stringMatching(/^networks\[0\]\.vni: /)]);
    expect(withVni(0)).toEqual([expect.stringMatching(/^networks\[0\]\.vni: /)]);
  });

  it("refuses inverted port ranges and ports on icmp", () => {
    expect(
      problems((c) => {
        c.firewall[0]!.rules[0]!.ports = [{ lo: 9000, hi: 80 }];
        c.firewall[1]!.rules[0]!.protocol = "icmp";
        return c;
      }),
    ).toEqual([
      "firewall[0].rules[0].ports[0]: port range 9000-80 is inverted (lo must be ≤ hi)",
      "firewall[1].rules[0].ports: ports apply only to tcp and udp, not to icmp",
    ]);
  });

  it("ties policies and services to defined networks", () => {
    expect(
      problems((c) => {
        c.firewall[0]!.networkId = 99;
        c.loadBalancers[0]!.vip = "10.3.0.10";
        return c;
      }),
    ).toEqual([
      "firewall[0].networkId: network 99 is not defined in networks",
      "loadBalancers[0].vip: VIP 10.3.0.10 is outside network 1",
    ]);
  });

  it("checks DHCP ranges and duplicate interfaces across the two bridges", () => {
    expect(
      problems((c) => {
        c.networks[0]!.dhcp.range = { start: "10.1.9.0", end: "10.1.1.0" };
        c.bridges["cnv-user-br0"].interfaces = ["eno1"];
        return c;
      }),
    ).toEqual([
      "bridges.cnv-user-br0.interfaces[0]: interface eno1 is already used at index 0",
      "networks[0].dhcp.range: DHCP range starts at 10.1.9.0, after its end 10.1.1.0",
    ]);
  });

  it("handles IPv6 networks", () => {
    expect(
      problems((c) => {
        c.networks[0] = {
          ...c.networks[0]!,
          cidr: "2001:db8:1::/64",
          gateway: "2001:db8:1::1",
          dhcp: { enabled: false, leaseSeconds: 3600 },
        };
        c.loadBalancers = [];
        return c;
      }),
    ).toEqual([]);
    expect(
      problems((c) => {
        c.networks[0] = {
          ...c.networks[0]!,
          cidr: "2001:db8:1::/64",
          gateway: "2001:db8:2::1",
          dhcp: { enabled: false, leaseSeconds: 3600 },
        };
        c.loadBalancers = [];
        return c;
      }),
    ).toEqual(["networks[0].gateway: gateway 2001:db8:2::1 is outside the network 2001:db8:1::/64"]);
  });
});

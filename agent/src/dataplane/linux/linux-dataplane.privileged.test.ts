import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinnedReader } from "../../ctl/commands/dataplane.ts";
import { DataplaneError } from "../errors.ts";
import type { DropReason } from "../maps/drop-counters.ts";
import { buildBpfObjects } from "../testing/build.ts";
import { TestNet } from "../testing/netns.ts";
import { arp, udp4 } from "../testing/packets.ts";
import { LinuxDataplane } from "./linux-dataplane.ts";

const NETWORK = 71;
const A = { ip: "10.71.0.1", mac: "02:71:00:00:00:01" };
const B = { ip: "10.71.0.2", mac: "02:71:00:00:00:02" };

describe("Linux driver with real traffic between namespaces", () => {
  const net = new TestNet();
  let driver: LinuxDataplane;
  let nsA: string;
  let nsB: string;

  async function udpNoPorts(ns: string): Promise<number> {
    const { stdout } = await net.exec(ns, "cat", ["/proc/net/snmp"]);
    const [names, values] = stdout.split("\n").filter((line) => line.startsWith("Udp:"));
    const column = names!.split(/\s+/).indexOf("NoPorts");
    return Number(values!.split(/\s+/)[column]);
  }

  async function drops(port: string, reason: DropReason): Promise<number> {
    return (await driver.counters()).find((c) => c.port === port && c.reason === reason)?.packets ?? 0;
  }

  beforeAll(async () => {
    buildBpfObjects();
    await net.setup();
    nsA = await net.addNamespace(`${net.prefix}a`);
    nsB = await net.addNamespace(`${net.prefix}b`);
    driver = new LinuxDataplane(net.driverOptions());
    await driver.start();
    for (const [ns, ep, port] of [
      [nsA, A, `${net.prefix}pa`],
      [nsB, B, `${net.prefix}pb`],
    ] as const) {
      await driver.addEndpoint({
        kind: "veth",
        name: port,
        namespace: ns,
        peerName: "eth0",
        networkId: NETWORK,
        mac: ep.mac,
        bindings: [{ ip: ep.ip }],
      });
      await net.configure(ns, "eth0", `${ep.ip}/24`);
    }
    await net.udpEcho(nsA, "a", [5000]);
    await net.udpEcho(nsB, "b", [5000, 6000, 7000]);
  });

  afterAll(async () => {
    await driver?.stop();
    await net.cleanup();
  });

  it("owns its bridges, ports and pinned programs", async () => {
    const status = await driver.status();
    expect(status.bridges).toEqual({ mgmt: `${net.prefix}m`, user: `${net.prefix}u` });
    expect(status.programs.map((p) => [p.port, p.attach, p.name])).toEqual([
      [`${net.prefix}pa`, "tc-egress", "to_endpoint"],
      [`${net.prefix}pa`, "tc-ingress", "from_endpoint"],
      [`${net.prefix}pb`, "tc-egress", "to_endpoint"],
      [`${net.prefix}pb`, "tc-ingress", "from_endpoint"],
    ]);
    expect(status.maps.find((m) => m.name === "endpoint_bindings")?.entries).toBe(2);
    const { stdout } = await net.exec(net.hostNs, "ip", ["-j", "link", "show", `${net.prefix}pa`]);
    expect(JSON.parse(stdout)[0].master).toBe(`${net.prefix}u`);
    const fromPins = await pinnedReader(net.bpffs).status();
    expect(fromPins.programs).toEqual(status.programs);
    expect(fromPins.maps).toEqual(status.maps);
  });

  it("lets a bound endpoint talk", async () => {
    await net.exec(nsA, "ping", ["-c", "3", "-i", "0.2", "-W", "1", B.ip]);
    expect(await net.udpAsk(nsA, B.ip, 5000, [30001])).toEqual(["b"]);
  });

  it("drops and counts a spoofed source IP", async () => {
    await net.exec(nsA, "ip", ["addr", "add", "10.71.0.50/32", "dev", "eth0"]);
    await net.exec(nsA, "ip", ["neigh", "replace", B.ip, "lladdr", B.mac, "dev", "eth0", "nud", "permanent"]);
    const before = await drops(`${net.prefix}pa`, "DROP_SPOOF_IP");
    await expect(
      net.exec(nsA, "ping", ["-c", "3", "-i", "0.2", "-W", "1", "-I", "10.71.0.50", B.ip]),
    ).rejects.toThrow();
    expect(await drops(`${net.prefix}pa`, "DROP_SPOOF_IP")).toBeGreaterThanOrEqual(before + 3);
  });

  it("drops and counts a spoofed MAC and a spoofed ARP, and B never sees them", async () => {
    /* Delivered, the UDP would bump B's NoPorts counter and the ARP would create a neighbour entry (arp_accept). */
    await net.exec(nsB, "sysctl", ["-q", "-w", "net.ipv4.conf.eth0.arp_accept=1"]);
    const noPortsBefore = await udpNoPorts(nsB);
    const macBefore = await drops(`${net.prefix}pa`, "DROP_SPOOF_MAC");
    const arpBefore = await drops(`${net.prefix}pa`, "DROP_SPOOF_ARP");
    const spoofedMac = { srcMac: "02:71:00:00:00:99", dstMac: B.mac };
    await net.sendFrames(
      nsA,
      "eth0",
      Array.from({ length: 5 }, () => udp4(spoofedMac, A.ip, B.ip, 40000, 7777)),
    );
    const broadcast = { srcMac: A.mac, dstMac: "ff:ff:ff:ff:ff:ff" };
    const claim = arp(broadcast, "request", A.mac, "10.71.0.77", "00:00:00:00:00:00", "10.71.0.77");
    await net.sendFrames(nsA, "eth0", [claim, claim, claim]);
    expect(await drops(`${net.prefix}pa`, "DROP_SPOOF_MAC")).toBe(macBefore + 5);
    expect(await drops(`${net.prefix}pa`, "DROP_SPOOF_ARP")).toBe(arpBefore + 3);
    expect(await udpNoPorts(nsB)).toBe(noPortsBefore);
    const { stdout } = await net.exec(nsB, "ip", ["-j", "neigh", "show", "10.71.0.77"]);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  describe("stateful firewall", () => {
    beforeAll(async () => {
      await driver.setPolicy({
        networkId: NETWORK,
        defaultAction: "deny",
        rules: [
          { remote: `${B.ip}/32`, protocol: "udp", ports: { from: 7000, to: 7000 }, action: "deny" },
          { remote: `${B.ip}/32`, protocol: "udp", ports: { from: 5000, to: 5000 }, action: "allow" },
          { remote: "10.71.0.0/24", protocol: "icmp", action: "allow" },
        ],
      });
    });

    it("allows what a rule allows, and the replies", async () => {
      expect(await net.udpAsk(nsA, B.ip, 5000, [31001, 31002])).toEqual(["b", "b"]);
    });

    it("drops new flows from the other side that no rule allows", async () => {
      const before = await drops(`${net.prefix}pb`, "DROP_POLICY_DEFAULT");
      expect(await net.udpAsk(nsB, A.ip, 5000, [31003], 500)).toEqual([null]);
      expect(await drops(`${net.prefix}pb`, "DROP_POLICY_DEFAULT")).toBe(before + 1);
    });

    it("drops what a deny rule or the default denies", async () => {
      const denyBefore = await drops(`${net.prefix}pa`, "DROP_POLICY_DENY");
      const defaultBefore = await drops(`${net.prefix}pa`, "DROP_POLICY_DEFAULT");
      expect(await net.udpAsk(nsA, B.ip, 7000, [31004], 500)).toEqual([null]);
      expect(await net.udpAsk(nsA, B.ip, 6000, [31005], 500)).toEqual([null]);
      expect(await drops(`${net.prefix}pa`, "DROP_POLICY_DENY")).toBe(denyBefore + 1);
      expect(await drops(`${net.prefix}pa`, "DROP_POLICY_DEFAULT")).toBe(defaultBefore + 1);
    });

    it("refuses a bad policy and keeps enforcing the running one", async () => {
      const mapsBefore = (await driver.status()).maps;
      const bad = driver.setPolicy({
        networkId: NETWORK,
        defaultAction: "allow",
        rules: [
          { remote: "10.71.0.0/16", action: "allow" },
          { remote: "10.71.0.0/24", protocol: "udp", ports: { from: 6000, to: 5000 }, action: "allow" },
        ],
      });
      await expect(bad).rejects.toThrow(DataplaneError);
      await expect(bad).rejects.toMatchObject({ code: "INVALID_PORT_RANGE" });
      expect((await driver.status()).maps).toEqual(mapsBefore);
      expect(await net.udpAsk(nsA, B.ip, 6000, [31006], 500)).toEqual([null]);
    });
  });

  describe("ingress policy", () => {
    beforeAll(async () => {
      await driver.setPolicy({
        networkId: NETWORK,
        defaultAction: "allow",
        ingressDefaultAction: "deny",
        rules: [
          {
            direction: "ingress",
            remote: `${A.ip}/32`,
            protocol: "udp",
            ports: { from: 5000, to: 5000 },
            action: "allow",
          },
        ],
      });
    });

    it("lets in what an ingress rule allows, with its replies", async () => {
      expect(await net.udpAsk(nsA, B.ip, 5000, [31101])).toEqual(["b"]);
    });

    it("drops and counts at the receiving port what no ingress rule allows", async () => {
      const atB = await drops(`${net.prefix}pb`, "DROP_POLICY_INGRESS_DEFAULT");
      const atA = await drops(`${net.prefix}pa`, "DROP_POLICY_INGRESS_DEFAULT");
      expect(await net.udpAsk(nsA, B.ip, 6000, [31102], 500)).toEqual([null]);
      expect(await net.udpAsk(nsB, A.ip, 5000, [31103], 500)).toEqual([null]);
      expect(await drops(`${net.prefix}pb`, "DROP_POLICY_INGRESS_DEFAULT")).toBe(atB + 1);
      expect(await drops(`${net.prefix}pa`, "DROP_POLICY_INGRESS_DEFAULT")).toBe(atA + 1);
    });
  });

  it("attaches a tap port for a VM to the user bridge", async () => {
    const tap = await driver.addEndpoint({
      kind: "tap",
      name: `${net.prefix}t0`,
      networkId: NETWORK,
      mac: "02:71:00:00:00:10",
      bindings: [{ ip: "10.71.0.10" }],
    });
    const { stdout } = await net.exec(net.hostNs, "ip", ["-d", "-j", "link", "show", tap.name]);
    const [link] = JSON.parse(stdout);
    expect(link.master).toBe(`${net.prefix}u`);
    expect(link.linkinfo.info_kind).toBe("tun");
    expect((await driver.status()).programs.map((p) => p.port)).toContain(tap.name);
    await driver.removeEndpoint(tap.name);
    expect((await driver.status()).programs.map((p) => p.port)).not.toContain(tap.name);
  });

  it("tears down every port, bridge, program and map it owns", async () => {
    await driver.teardown();
    const { stdout } = await net.exec(net.hostNs, "ip", ["-j", "link", "show"]);
    expect((JSON.parse(stdout) as { ifname: string }[]).map((link) => link.ifname)).toEqual(["lo"]);
    expect((await readdir(net.bpffs)).filter((entry) => !entry.endsWith(".debug"))).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBpfObjects } from "../testing/build.ts";
import { TestNet } from "../testing/netns.ts";
import { udp4 } from "../testing/packets.ts";
import { LinuxDataplane } from "./linux-dataplane.ts";

const NETWORK = 74;
const A = { ip: "10.74.0.1", mac: "02:74:00:00:00:01" };
const B = { ip: "10.74.0.2", mac: "02:74:00:00:00:02" };

describe("driver attaching at XDP", () => {
  const net = new TestNet();
  let driver: LinuxDataplane;
  let nsA: string;

  beforeAll(async () => {
    buildBpfObjects();
    await net.setup();
    nsA = await net.addNamespace(`${net.prefix}a`);
    const nsB = await net.addNamespace(`${net.prefix}b`);
    driver = new LinuxDataplane({ ...net.driverOptions(), attach: "xdp" });
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
    await driver.setPolicy({
      networkId: NETWORK,
      defaultAction: "deny",
      rules: [{ remote: "10.74.0.0/24", protocol: "icmp", action: "allow" }],
    });
  });

  afterAll(async () => {
    await driver?.stop();
    await net.cleanup();
  });

  it("runs the same pipeline: bound traffic passes, spoofed and denied traffic is dropped and counted", async () => {
    expect((await driver.status()).programs.map((p) => [p.attach, p.name])).toEqual([
      ["tc-egress", "to_endpoint"],
      ["xdp", "xdp_from_endpoint"],
      ["tc-egress", "to_endpoint"],
      ["xdp", "xdp_from_endpoint"],
    ]);
    await net.exec(nsA, "ping", ["-c", "3", "-i", "0.2", "-W", "1", B.ip]);
    await net.sendFrames(nsA, "eth0", [udp4({ srcMac: A.mac, dstMac: B.mac }, "10.74.0.66", B.ip, 1, 2)]);
    await net.sendFrames(nsA, "eth0", [udp4({ srcMac: A.mac, dstMac: B.mac }, A.ip, B.ip, 40000, 9)]);
    const counters = await driver.counters();
    const count = (reason: string) =>
      counters.find((c) => c.port === `${net.prefix}pa` && c.reason === reason)?.packets;
    expect(count("DROP_SPOOF_IP")).toBe(1);
    expect(count("DROP_POLICY_DEFAULT")).toBe(1);
  });
});

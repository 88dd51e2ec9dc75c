import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DropReason } from "./maps/drop-counters.ts";
import { ProgramUnderTest } from "./testing/bpf-harness.ts";
import {
  BACKENDS,
  CLIENT,
  fixturePort,
  NETWORK,
  SERVER,
  SERVICE,
  toServer,
  useFixtureProgram,
} from "./testing/fixture-suite.ts";
import { arp, ethernet, neighbourAdvert, tcpSyn4, udp4 } from "./testing/packets.ts";

const toClient = { srcMac: SERVER.mac, dstMac: CLIENT.mac };
const OUTSIDER = "10.70.0.50";

describe("tc to_endpoint fixtures: what a workload receives", () => {
  const fx = useFixtureProgram("tc");

  async function expectReceived(packet: Buffer): Promise<void> {
    const result = await fx.prog.runTo(packet);
    expect(result.verdict).toBe("pass");
    expect(result.output.toString("hex")).toBe(packet.toString("hex"));
  }

  async function expectRefused(packet: Buffer, reason: DropReason): Promise<void> {
    const before = await fx.dropCount(reason);
    expect((await fx.prog.runTo(packet)).verdict).toBe("drop");
    expect(await fx.dropCount(reason)).toBe(before + 1);
  }

  beforeAll(() => {
    fx.prog.programmer.setPolicy({
      networkId: NETWORK,
      defaultAction: "allow",
      ingressDefaultAction: "deny",
      rules: [
        { direction: "ingress", remote: `${OUTSIDER}/32`, protocol: "udp", action: "deny" },
        {
          direction: "ingress",
          remote: "10.70.0.0/24",
          protocol: "tcp",
          ports: { from: 22, to: 22 },
          action: "allow",
        },
      ],
    });
    fx.prog.programmer.setService({ ...SERVICE, backends: BACKENDS });
  });

  afterAll(() => {
    fx.prog.programmer.removePolicy(NETWORK);
    fx.prog.programmer.removeService(SERVICE.vip, SERVICE.port, SERVICE.protocol);
  });

  it("lets in what an ingress rule allows, and the rest of that flow", async () => {
    await expectReceived(tcpSyn4(toClient, SERVER.ip, CLIENT.ip, 50000, 22));
    await expectReceived(tcpSyn4(toClient, SERVER.ip, CLIENT.ip, 50000, 22));
  });

  it("drops what an ingress deny rule matches (DROP_POLICY_INGRESS_DENY)", async () => {
    await expectRefused(udp4(toClient, OUTSIDER, CLIENT.ip, 50001, 22), "DROP_POLICY_INGRESS_DENY");
  });

  it("drops what no ingress rule allows (DROP_POLICY_INGRESS_DEFAULT)", async () => {
    await expectRefused(udp4(toClient, SERVER.ip, CLIENT.ip, 50002, 6000), "DROP_POLICY_INGRESS_DEFAULT");
  });

  it("lets in replies to what the workload sent, and to what it asked a VIP", async () => {
    expect((await fx.prog.run(udp4(toServer, CLIENT.ip, SERVER.ip, 40100, 6000))).verdict).toBe("pass");
    await expectReceived(udp4(toClient, SERVER.ip, CLIENT.ip, 6000, 40100));

    const toVip = { srcMac: CLIENT.mac, dstMac: SERVICE.vipMac };
    expect((await fx.prog.run(udp4(toVip, CLIENT.ip, SERVICE.vip, 40101, SERVICE.port))).verdict).toBe(
      "pass",
    );
    const fromVip = { srcMac: SERVICE.vipMac, dstMac: CLIENT.mac };
    await expectReceived(udp4(fromVip, SERVICE.vip, CLIENT.ip, SERVICE.port, 40101));
  });

  it("lets the workload's own flows, once allowed in, answer back through an egress-deny policy", async () => {
    fx.prog.programmer.setPolicy({
      networkId: NETWORK,
      defaultAction: "deny",
      ingressDefaultAction: "allow",
      rules: [],
    });
    await expectReceived(udp4(toClient, SERVER.ip, CLIENT.ip, 50003, 7000));
    const reply = udp4({ srcMac: CLIENT.mac, dstMac: SERVER.mac }, CLIENT.ip, SERVER.ip, 7000, 50003);
    expect((await fx.prog.run(reply)).verdict).toBe("pass");
    const unsolicited = udp4({ srcMac: CLIENT.mac, dstMac: SERVER.mac }, CLIENT.ip, SERVER.ip, 7000, 50004);
    expect((await fx.prog.run(unsolicited)).verdict).toBe("drop");
  });

  it("always lets in ARP, neighbour discovery, DHCP offers and non-IP frames", async () => {
    await expectReceived(arp(toClient, "reply", SERVER.mac, SERVER.ip, CLIENT.mac, CLIENT.ip));
    await expectReceived(
      neighbourAdvert(
        { srcMac: SERVER.mac, dstMac: "33:33:00:00:00:01" },
        SERVER.ip6,
        SERVER.ip6,
        SERVER.mac,
      ),
    );
    await expectReceived(udp4(toClient, "10.70.0.1", "255.255.255.255", 67, 68));
    await expectReceived(ethernet(CLIENT.mac, SERVER.mac, 0x88cc, Buffer.alloc(46)));
  });

  it("drops what arrives for a port the agent has not programmed (DROP_UNKNOWN_PORT)", async () => {
    const fixturePortIfindex = ProgramUnderTest.FIXTURE_IFINDEX;
    fx.prog.programmer.forgetEndpoint(fixturePortIfindex);
    try {
      await expectRefused(udp4(toClient, SERVER.ip, CLIENT.ip, 50005, 22), "DROP_UNKNOWN_PORT");
    } finally {
      fx.prog.programmer.programEndpoint(fixturePortIfindex, fixturePort);
    }
  });
});

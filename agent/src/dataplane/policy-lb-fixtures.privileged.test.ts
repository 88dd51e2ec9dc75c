import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinLayout } from "./linux/pinned.ts";
import { CONNTRACK_MAP, decodeCtEntry, decodeCtKey } from "./maps/conntrack.ts";
import { encodeLbBackendKey } from "./maps/lb-backends.ts";
import { openPinnedMap } from "./maps/map-mirror.ts";
import {
  BACKENDS,
  CLIENT,
  NETWORK,
  SERVER,
  SERVICE,
  toServer,
  useFixtureProgram,
} from "./testing/fixture-suite.ts";
import { arp, icmpEcho4, ipv4ChecksumsValid, macBytes, tcpSyn4, udp4, udp6 } from "./testing/packets.ts";

describe.each(["tc", "xdp"] as const)("%s from_endpoint fixtures: firewall and load balancer", (kind) => {
  const fx = useFixtureProgram(kind);

  describe("stateful firewall and load balancer", () => {
    beforeAll(() => {
      fx.prog.clearConntrack();
      fx.prog.programmer.setPolicy({
        networkId: NETWORK,
        defaultAction: "deny",
        rules: [
          { remote: "10.70.0.0/24", protocol: "tcp", ports: { from: 22, to: 22 }, action: "deny" },
          { remote: `${SERVER.ip}/32`, protocol: "udp", ports: { from: 5000, to: 5001 }, action: "allow" },
          { remote: "10.70.0.16/28", protocol: "udp", action: "allow" },
          { remote: "10.70.0.16/28", protocol: "tcp", ports: { from: 9000, to: 9000 }, action: "allow" },
          { remote: "fd70::/64", protocol: "udp", ports: { from: 5000, to: 5000 }, action: "allow" },
          { remote: "10.70.0.0/16", protocol: "icmp", action: "allow" },
        ],
      });
      fx.prog.programmer.setService({ ...SERVICE, backends: BACKENDS });
      fx.prog.programmer.setService({ ...SERVICE, port: 8081, backends: [] });
      fx.prog.programmer.setService({ ...SERVICE, protocol: "tcp", port: 8443, backends: BACKENDS });
    });

    afterAll(() => {
      fx.prog.programmer.removePolicy(NETWORK);
      fx.prog.programmer.removeService(SERVICE.vip, 8080, "udp");
      fx.prog.programmer.removeService(SERVICE.vip, 8081, "udp");
      fx.prog.programmer.removeService(SERVICE.vip, 8443, "tcp");
    });

    it("passes what a rule allows and the replies to it, and nothing else from the other side", async () => {
      await fx.expectPassUnchanged(udp4(toServer, CLIENT.ip, SERVER.ip, 41000, 5000));
      await fx.expectPassUnchanged(icmpEcho4(toServer, CLIENT.ip, "10.70.200.1"));
      const fromServer = { srcMac: SERVER.mac, dstMac: CLIENT.mac };
      await fx.expectPassUnchanged(udp4(fromServer, SERVER.ip, CLIENT.ip, 5000, 41000));
      await fx.expectDrop(udp4(fromServer, SERVER.ip, CLIENT.ip, 5000, 41001), "DROP_POLICY_DEFAULT");
    });

    it("applies IPv6 rules and conntrack the same way", async () => {
      await fx.expectPassUnchanged(udp6(toServer, CLIENT.ip6, SERVER.ip6, 41100, 5000));
      const fromServer = { srcMac: SERVER.mac, dstMac: CLIENT.mac };
      await fx.expectPassUnchanged(udp6(fromServer, SERVER.ip6, CLIENT.ip6, 5000, 41100));
      await fx.expectDrop(udp6(toServer, CLIENT.ip6, SERVER.ip6, 41101, 5001), "DROP_POLICY_DEFAULT");
    });

    it("drops what a deny rule matches (DROP_POLICY_DENY)", async () => {
      await fx.expectDrop(tcpSyn4(toServer, CLIENT.ip, "10.70.0.12", 41002, 22), "DROP_POLICY_DENY");
    });

    it("drops what no rule matches when the default is deny (DROP_POLICY_DEFAULT)", async () => {
      await fx.expectDrop(udp4(toServer, CLIENT.ip, SERVER.ip, 41003, 6000), "DROP_POLICY_DEFAULT");
      await fx.expectDrop(tcpSyn4(toServer, CLIENT.ip, SERVER.ip, 41004, 5000), "DROP_POLICY_DEFAULT");
    });

    it("rewrites a packet to the VIP towards a backend and translates the reply back", async () => {
      const request = udp4(
        { srcMac: CLIENT.mac, dstMac: SERVICE.vipMac },
        CLIENT.ip,
        SERVICE.vip,
        42000,
        SERVICE.port,
      );
      const forward = await fx.prog.run(request);
      expect(forward.verdict).toBe("pass");
      expect(ipv4ChecksumsValid(forward.output)).toBe(true);
      const backendIp = [...forward.output.subarray(30, 34)].join(".");
      const backend = BACKENDS.find((candidate) => candidate.ip === backendIp);
      expect(backend).toBeDefined();
      expect(forward.output.readUInt16BE(36)).toBe(backend!.port);
      expect(forward.output.subarray(0, 6).equals(macBytes(backend!.mac))).toBe(true);
      expect(forward.output.subarray(6, 14).equals(request.subarray(6, 14))).toBe(true);

      const reply = udp4(
        { srcMac: backend!.mac, dstMac: CLIENT.mac },
        backend!.ip,
        CLIENT.ip,
        backend!.port,
        42000,
      );
      const back = await fx.prog.run(reply);
      expect(back.verdict).toBe("pass");
      expect(back.output.toString("hex")).toBe(
        udp4(
          { srcMac: SERVICE.vipMac, dstMac: CLIENT.mac },
          SERVICE.vip,
          CLIENT.ip,
          SERVICE.port,
          42000,
        ).toString("hex"),
      );
    });

    it("rewrites TCP to a backend with valid checksums", async () => {
      const request = tcpSyn4(
        { srcMac: CLIENT.mac, dstMac: SERVICE.vipMac },
        CLIENT.ip,
        SERVICE.vip,
        42300,
        8443,
      );
      const forward = await fx.prog.run(request);
      expect(forward.verdict).toBe("pass");
      expect(ipv4ChecksumsValid(forward.output)).toBe(true);
      expect(BACKENDS.map((backend) => backend.ip)).toContain([...forward.output.subarray(30, 34)].join("."));
      expect(forward.output.readUInt16BE(36)).toBe(9000);
    });

    it("records the client's backend pick and the flow's reverse translation in conntrack", async () => {
      fx.prog.clearConntrack();
      const request = udp4(
        { srcMac: CLIENT.mac, dstMac: SERVICE.vipMac },
        CLIENT.ip,
        SERVICE.vip,
        42400,
        SERVICE.port,
      );
      const backendIp = [...(await fx.prog.run(request)).output.subarray(30, 34)].join(".");
      const map = openPinnedMap(pinLayout(fx.prog.bpffs).map(CONNTRACK_MAP));
      try {
        const entries = [...map.entries()].map(([key, value]) => ({
          key: decodeCtKey(key),
          entry: decodeCtEntry(value),
        }));
        const ip = (bytes: Buffer) => [...bytes.subarray(0, 4)].join(".");
        const pick = entries.find((e) => e.key.kind === "service");
        const flow = entries.find((e) => e.key.kind === "flow");
        expect(entries).toHaveLength(2);
        expect([
          ip(pick!.key.saddr),
          ip(pick!.key.daddr),
          pick!.key.sport,
          pick!.key.dport,
          pick!.key.proto,
        ]).toEqual([CLIENT.ip, SERVICE.vip, 42400, SERVICE.port, 17]);
        expect(
          fx.prog.maps.lb_backends.get(encodeLbBackendKey(pick!.entry.backendId))?.subarray(0, 4),
        ).toEqual(Buffer.from(backendIp.split(".").map(Number)));
        expect([ip(flow!.key.daddr), flow!.key.dport, ip(flow!.entry.revVip), flow!.entry.revPort]).toEqual([
          backendIp,
          9000,
          SERVICE.vip,
          SERVICE.port,
        ]);
        expect(flow!.entry.expiresNs).toBeGreaterThan(0n);
      } finally {
        map.ref.close();
      }
    });

    it("keeps a client flow on its backend across repeated packets", async () => {
      const request = udp4(
        { srcMac: CLIENT.mac, dstMac: SERVICE.vipMac },
        CLIENT.ip,
        SERVICE.vip,
        42100,
        SERVICE.port,
      );
      const first = await fx.prog.run(request);
      for (let i = 0; i < 5; i++) expect((await fx.prog.run(request)).output.equals(first.output)).toBe(true);
    });

    it("spreads client flows over the backends", async () => {
      const seen = new Set<string>();
      for (let sport = 43000; sport < 43032; sport++) {
        const request = udp4(
          { srcMac: CLIENT.mac, dstMac: SERVICE.vipMac },
          CLIENT.ip,
          SERVICE.vip,
          sport,
          SERVICE.port,
        );
        seen.add([...(await fx.prog.run(request)).output.subarray(30, 34)].join("."));
      }
      expect([...seen].sort()).toEqual(BACKENDS.map((backend) => backend.ip).sort());
    });

    it("answers ARP for a VIP by sending the reply back out of the asking port", async () => {
      const broadcast = { srcMac: CLIENT.mac, dstMac: "ff:ff:ff:ff:ff:ff" };
      const result = await fx.prog.run(
        arp(broadcast, "request", CLIENT.mac, CLIENT.ip, "00:00:00:00:00:00", SERVICE.vip),
      );
      expect(result.verdict).toBe("reflect");
      const answer = { srcMac: SERVICE.vipMac, dstMac: CLIENT.mac };
      expect(result.output.toString("hex")).toBe(
        arp(answer, "reply", SERVICE.vipMac, SERVICE.vip, CLIENT.mac, CLIENT.ip).toString("hex"),
      );
    });

    it("drops packets to a service without backends (DROP_LB_NO_BACKEND)", async () => {
      await fx.expectDrop(
        udp4({ srcMac: CLIENT.mac, dstMac: SERVICE.vipMac }, CLIENT.ip, SERVICE.vip, 42200, 8081),
        "DROP_LB_NO_BACKEND",
      );
    });
  });
});

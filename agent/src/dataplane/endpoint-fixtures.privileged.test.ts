import { describe, expect, it } from "vitest";
import { pinLayout } from "./linux/pinned.ts";
import { countEntries, openPinnedMap } from "./maps/map-mirror.ts";
import { ProgramUnderTest } from "./testing/bpf-harness.ts";
import { CLIENT, fixturePort, SERVER, toServer, useFixtureProgram } from "./testing/fixture-suite.ts";
import {
  arp,
  dhcpDiscover,
  ethernet,
  icmpEcho4,
  neighbourAdvert,
  routerAdvert,
  udp4,
  udp6,
} from "./testing/packets.ts";

describe.each(["tc", "xdp"] as const)("%s from_endpoint fixtures: ports and anti-spoofing", (kind) => {
  const fx = useFixtureProgram(kind);

  it("refuses a change that does not fit the kernel map with MAP_FULL, writing nothing", async () => {
    const backends = [{ ip: "10.70.1.1", port: 80, mac: "02:00:00:00:01:01" }];
    const service = (port: number) => ({
      vip: "10.70.1.100",
      port,
      protocol: "tcp" as const,
      vipMac: CLIENT.mac,
      backends,
    });
    for (let port = 1; port <= 64; port++) fx.prog.programmer.setService(service(port));
    const kernelEntries = (name: string) => {
      const map = openPinnedMap(pinLayout(fx.prog.bpffs).map(name));
      try {
        return countEntries(map);
      } finally {
        map.ref.close();
      }
    };
    const kernelServices = () => kernelEntries("lb_services");
    expect(kernelServices()).toBe(64);
    expect(() => fx.prog.programmer.setService(service(65))).toThrow(
      expect.objectContaining({ code: "MAP_FULL" }),
    );
    expect(kernelServices()).toBe(64);
    expect(kernelEntries("lb_backends")).toBe(64);
    for (let port = 1; port <= 64; port++) fx.prog.programmer.removeService("10.70.1.100", port, "tcp");
    expect(kernelServices()).toBe(0);
  });

  describe("anti-spoofing", () => {
    it("passes a bound endpoint's IPv4 and IPv6 packets unchanged", async () => {
      await fx.expectPassUnchanged(udp4(toServer, CLIENT.ip, SERVER.ip, 40000, 53));
      await fx.expectPassUnchanged(udp6(toServer, CLIENT.ip6, SERVER.ip6, 40000, 53));
    });

    it("drops a bound address sent from another MAC (DROP_SPOOF_MAC)", async () => {
      await fx.expectDrop(
        udp4({ srcMac: "02:00:00:00:00:99", dstMac: SERVER.mac }, CLIENT.ip, SERVER.ip, 1, 2),
        "DROP_SPOOF_MAC",
      );
    });

    it("drops an address not bound to the port (DROP_SPOOF_IP)", async () => {
      await fx.expectDrop(udp4(toServer, "10.70.0.99", SERVER.ip, 1, 2), "DROP_SPOOF_IP");
      await fx.expectDrop(udp6(toServer, "fd70::99", SERVER.ip6, 1, 2), "DROP_SPOOF_IP");
    });

    it("passes ARP for the port's own address and address probes", async () => {
      await fx.expectPassUnchanged(
        arp(
          { srcMac: CLIENT.mac, dstMac: "ff:ff:ff:ff:ff:ff" },
          "request",
          CLIENT.mac,
          CLIENT.ip,
          "00:00:00:00:00:00",
          SERVER.ip,
        ),
      );
      await fx.expectPassUnchanged(
        arp(
          { srcMac: CLIENT.mac, dstMac: "ff:ff:ff:ff:ff:ff" },
          "request",
          CLIENT.mac,
          "0.0.0.0",
          "00:00:00:00:00:00",
          CLIENT.ip,
        ),
      );
    });

    it("drops ARP claiming another endpoint's address or MAC (DROP_SPOOF_ARP)", async () => {
      const broadcast = { srcMac: CLIENT.mac, dstMac: "ff:ff:ff:ff:ff:ff" };
      await fx.expectDrop(
        arp(broadcast, "reply", CLIENT.mac, "10.70.0.50", "00:00:00:00:00:00", "10.70.0.50"),
        "DROP_SPOOF_ARP",
      );
      await fx.expectDrop(
        arp(broadcast, "reply", CLIENT.mac, SERVER.ip, "00:00:00:00:00:00", SERVER.ip),
        "DROP_SPOOF_ARP",
      );
      await fx.expectDrop(
        arp(
          { srcMac: SERVER.mac, dstMac: "ff:ff:ff:ff:ff:ff" },
          "reply",
          CLIENT.mac,
          CLIENT.ip,
          "00:00:00:00:00:00",
          CLIENT.ip,
        ),
        "DROP_SPOOF_ARP",
      );
    });

    it("passes a neighbour advertisement for the port's own IPv6 address", async () => {
      await fx.expectPassUnchanged(
        neighbourAdvert(
          { srcMac: CLIENT.mac, dstMac: "33:33:00:00:00:01" },
          CLIENT.ip6,
          CLIENT.ip6,
          CLIENT.mac,
        ),
      );
    });

    it("drops neighbour advertisements for other addresses or with another MAC (DROP_SPOOF_ND)", async () => {
      const multicast = { srcMac: CLIENT.mac, dstMac: "33:33:00:00:00:01" };
      await fx.expectDrop(neighbourAdvert(multicast, CLIENT.ip6, SERVER.ip6, CLIENT.mac), "DROP_SPOOF_ND");
      await fx.expectDrop(
        neighbourAdvert(multicast, CLIENT.ip6, CLIENT.ip6, "02:00:00:00:00:99"),
        "DROP_SPOOF_ND",
      );
    });

    it("drops router advertisements from a workload (DROP_SPOOF_ND)", async () => {
      await fx.expectDrop(
        routerAdvert({ srcMac: CLIENT.mac, dstMac: "33:33:00:00:00:01" }, CLIENT.ip6),
        "DROP_SPOOF_ND",
      );
    });

    it("passes DHCP before a lease and drops anything else from 0.0.0.0 (DROP_NO_LEASE)", async () => {
      await fx.expectPassUnchanged(dhcpDiscover(CLIENT.mac));
      await fx.expectDrop(
        udp4({ srcMac: CLIENT.mac, dstMac: "ff:ff:ff:ff:ff:ff" }, "0.0.0.0", "255.255.255.255", 68, 53),
        "DROP_NO_LEASE",
      );
      await fx.expectDrop(icmpEcho4(toServer, "0.0.0.0", SERVER.ip), "DROP_NO_LEASE");
    });

    it("drops truncated headers (DROP_MALFORMED) and non-IP ethertypes (DROP_ETHERTYPE)", async () => {
      const udp = udp4(toServer, CLIENT.ip, SERVER.ip, 40000, 53);
      await fx.expectDrop(udp.subarray(0, 14 + 20 + 4), "DROP_MALFORMED");
      const shortHeader = Buffer.from(udp);
      shortHeader[14] = 0x44;
      await fx.expectDrop(shortHeader, "DROP_MALFORMED");
      await fx.expectDrop(ethernet(SERVER.mac, CLIENT.mac, 0x88cc, Buffer.alloc(46)), "DROP_ETHERTYPE");
      await fx.expectDrop(ethernet(SERVER.mac, CLIENT.mac, 0x8100, Buffer.alloc(46)), "DROP_ETHERTYPE");
    });

    it("drops everything on a port the agent has not programmed (DROP_UNKNOWN_PORT)", async () => {
      fx.prog.programmer.forgetEndpoint(ProgramUnderTest.FIXTURE_IFINDEX);
      try {
        await fx.expectDrop(udp4(toServer, CLIENT.ip, SERVER.ip, 40000, 53), "DROP_UNKNOWN_PORT");
      } finally {
        fx.prog.programmer.programEndpoint(ProgramUnderTest.FIXTURE_IFINDEX, fixturePort);
      }
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNTRACK_MAP } from "../maps/conntrack.ts";
import { openPinnedMap } from "../maps/map-mirror.ts";
import { buildBpfObjects } from "../testing/build.ts";
import { TestNet } from "../testing/netns.ts";
import { LinuxDataplane } from "./linux-dataplane.ts";
import { pinLayout } from "./pinned.ts";

const NETWORK = 72;
const CLIENT = { ip: "10.72.0.1", mac: "02:72:00:00:00:01" };
const BACKENDS = ["b1", "b2", "b3"].map((name, i) => ({
  name,
  ip: `10.72.0.${11 + i}`,
  mac: `02:72:00:00:00:1${i + 1}`,
  port: 9000,
}));
const SERVICE = { vip: "10.72.0.100", port: 8080, protocol: "udp", vipMac: "02:72:00:00:01:00" } as const;
const SOURCE_PORTS = Array.from({ length: 48 }, (_, i) => 32000 + i);

describe.each(["tc", "xdp"] as const)(
  "L4 load balancer attached at %s, real traffic between namespaces",
  (attach) => {
    const net = new TestNet();
    let driver: LinuxDataplane;
    let nsClient: string;

    beforeAll(async () => {
      buildBpfObjects();
      await net.setup();
      driver = new LinuxDataplane({ ...net.driverOptions(), attach });
      await driver.start();
      nsClient = await net.addNamespace(`${net.prefix}c`);
      await driver.addEndpoint({
        kind: "veth",
        name: `${net.prefix}pc`,
        namespace: nsClient,
        peerName: "eth0",
        networkId: NETWORK,
        mac: CLIENT.mac,
        bindings: [{ ip: CLIENT.ip }],
      });
      await net.configure(nsClient, "eth0", `${CLIENT.ip}/24`);
      /*
       * XDP_TX on a veth reaches the peer only when the peer runs NAPI (an XDP
       * program or GRO on the workload side), so at XDP the client is told the
       * VIP's MAC; at TC the data plane answers its ARP.
       */
      if (attach === "xdp") {
        await net.exec(nsClient, "ip", [
          "neigh",
          "replace",
          SERVICE.vip,
          "lladdr",
          SERVICE.vipMac,
          "dev",
          "eth0",
        ]);
      }
      for (const backend of BACKENDS) {
        const ns = await net.addNamespace(`${net.prefix}${backend.name}`);
        await driver.addEndpoint({
          kind: "veth",
          name: `${net.prefix}p${backend.name}`,
          namespace: ns,
          peerName: "eth0",
          networkId: NETWORK,
          mac: backend.mac,
          bindings: [{ ip: backend.ip }],
        });
        await net.configure(ns, "eth0", `${backend.ip}/24`);
        await net.udpEcho(ns, backend.name, [backend.port]);
      }
      await driver.setService({ ...SERVICE, backends: BACKENDS });
    });

    afterAll(async () => {
      await driver?.stop();
      await net.cleanup();
    });

    if (attach === "tc") {
      it("answers the client's ARP for the VIP", async () => {
        await net.exec(nsClient, "ping", ["-c", "1", "-W", "1", SERVICE.vip]).catch(() => undefined);
        const { stdout } = await net.exec(nsClient, "ip", ["-j", "neigh", "show", SERVICE.vip]);
        expect(JSON.parse(stdout)[0]?.lladdr).toBe(SERVICE.vipMac);
      });
    }

    it("spreads flows over the backends, keeps each flow on its backend, and answers from the VIP", async () => {
      const first = await net.udpAsk(nsClient, SERVICE.vip, SERVICE.port, SOURCE_PORTS);
      expect(first.every((answer) => answer !== null)).toBe(true);
      const perBackend = BACKENDS.map((backend) => first.filter((answer) => answer === backend.name).length);
      for (const count of perBackend) expect(count).toBeGreaterThan(0);
      expect(await net.udpAsk(nsClient, SERVICE.vip, SERVICE.port, SOURCE_PORTS)).toEqual(first);
    });

    it("keeps flows on their backends when an unrelated backend is removed", async () => {
      const before = await net.udpAsk(nsClient, SERVICE.vip, SERVICE.port, SOURCE_PORTS);
      await driver.setService({ ...SERVICE, backends: BACKENDS.filter((backend) => backend.name !== "b3") });
      const after = await net.udpAsk(nsClient, SERVICE.vip, SERVICE.port, SOURCE_PORTS);
      SOURCE_PORTS.forEach((_, i) => {
        if (before[i] === "b3") expect(["b1", "b2"]).toContain(after[i]);
        else expect(after[i]).toBe(before[i]);
      });
      expect(after).not.toContain("b3");
      expect(before).toContain("b3");
    });

    it("moves only the removed backend's flows through the Maglev table alone, without conntrack", async () => {
      const clearConntrack = () => {
        const conntrack = openPinnedMap(pinLayout(net.bpffs).map(CONNTRACK_MAP));
        conntrack.clear();
        conntrack.ref.close();
      };
      await driver.setService({ ...SERVICE, backends: BACKENDS });
      clearConntrack();
      const before = await net.udpAsk(nsClient, SERVICE.vip, SERVICE.port, SOURCE_PORTS);
      clearConntrack();
      await driver.setService({ ...SERVICE, backends: BACKENDS.filter((backend) => backend.name !== "b1") });
      const after = await net.udpAsk(nsClient, SERVICE.vip, SERVICE.port, SOURCE_PORTS);
      const moved = SOURCE_PORTS.filter((_, i) => before[i] !== "b1" && after[i] !== before[i]);
      expect(moved).toEqual([]);
      expect(after).not.toContain("b1");
    });
  },
);

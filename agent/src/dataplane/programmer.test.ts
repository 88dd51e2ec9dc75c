import { describe, expect, it } from "vitest";
import { DataplaneError } from "./errors.ts";
import { FakeDataplane } from "./fake-dataplane.ts";
import { MapStore } from "./maps/map-store.ts";
import { MapProgrammer, type ProgrammedMaps } from "./programmer.ts";

class RecordingStore extends MapStore {
  readonly writes: number[] = [];
  readonly removals: number[] = [];
  protected write(upserts: [Buffer, Buffer][]): void {
    this.writes.push(upserts.length);
  }
  protected remove(keys: Buffer[]): void {
    this.removals.push(keys.length);
  }
}

function smallMaps(limit: number) {
  const store = (name: string, fixed = false) => new RecordingStore(name, fixed ? 1021 * 64 : limit, fixed);
  const maps = {
    endpoint_ports: store("endpoint_ports"),
    endpoint_bindings: store("endpoint_bindings"),
    policy_rules: store("policy_rules"),
    policy_networks: store("policy_networks"),
    lb_services: store("lb_services"),
    lb_vips: store("lb_vips"),
    lb_backends: store("lb_backends"),
    lb_maglev: store("lb_maglev", true),
  } satisfies ProgrammedMaps;
  return maps;
}

function snapshot(maps: ProgrammedMaps): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(maps).map(([name, store]) => [
      name,
      [...store.entries()].map(([k, v]) => `${k.toString("hex")}=${v.toString("hex")}`).sort(),
    ]),
  );
}

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return error instanceof DataplaneError ? error.code : "NOT_A_DATAPLANE_ERROR";
  }
  return undefined;
}

const endpoint = {
  kind: "tap" as const,
  name: "tap0",
  networkId: 1,
  mac: "02:00:00:00:00:01",
  dhcpClient: false,
  bindings: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }, { ip: "fd00::1" }],
};

describe("map programmer", () => {
  it("writes only what changed", () => {
    const maps = smallMaps(100);
    const programmer = new MapProgrammer(maps);
    programmer.programEndpoint(5, endpoint);
    expect(maps.endpoint_bindings.writes).toEqual([3]);
    programmer.programEndpoint(5, endpoint);
    expect(maps.endpoint_bindings.writes).toEqual([3]);
    expect(maps.endpoint_ports.writes).toEqual([1]);
    programmer.setBindings(5, endpoint, [{ ip: "10.0.0.1" }, { ip: "10.0.0.3" }, { ip: "fd00::1" }]);
    expect(maps.endpoint_bindings.writes).toEqual([3, 1]);
    expect(maps.endpoint_bindings.removals).toEqual([1]);
  });

  it("refuses a change that does not fit with MAP_FULL and writes nothing", async () => {
    const maps = smallMaps(4);
    const programmer = new MapProgrammer(maps);
    programmer.programEndpoint(5, endpoint);
    const before = snapshot(maps);
    expect(await codeOf(() => programmer.programEndpoint(6, endpoint))).toBe("MAP_FULL");
    expect(snapshot(maps)).toEqual(before);
    expect(maps.endpoint_ports.writes).toEqual([1]);
  });

  it("moves only the removed backend's Maglev slots", () => {
    const maps = smallMaps(100);
    const programmer = new MapProgrammer(maps);
    const backends = [1, 2, 3, 4].map((i) => ({ ip: `10.0.1.${i}`, port: 80, mac: `02:00:00:00:01:0${i}` }));
    const service = { vip: "10.0.9.1", port: 80, protocol: "tcp" as const, vipMac: "02:00:00:00:09:01" };
    programmer.setService({ ...service, backends });
    expect(maps.lb_maglev.writes).toEqual([1021]);
    programmer.setService({ ...service, backends: backends.filter((b) => b.ip !== "10.0.1.2") });
    const rewritten = maps.lb_maglev.writes[1]!;
    expect(rewritten).toBeGreaterThan(200);
    expect(rewritten).toBeLessThan(300);
    expect(maps.lb_backends.removals).toEqual([1]);
  });
});

describe("fake data plane: bad input changes nothing", () => {
  it.each([
    ["a bad prefix", { remote: "10.0.0.0/33", action: "allow" as const }, "INVALID_PREFIX"],
    [
      "an inverted port range",
      { remote: "10.0.0.0/8", protocol: "udp" as const, ports: { from: 9, to: 1 }, action: "allow" as const },
      "INVALID_PORT_RANGE",
    ],
  ])("refuses %s", async (_what, badRule, code) => {
    const dataplane = new FakeDataplane();
    await dataplane.start();
    await dataplane.addEndpoint(endpoint);
    await dataplane.setPolicy({
      networkId: 1,
      defaultAction: "deny",
      rules: [{ remote: "10.0.0.0/8", action: "allow" }],
    });
    const before = snapshot(dataplane.maps);
    const rules = [{ remote: "192.168.0.0/16", action: "allow" as const }, badRule];
    expect(await codeOf(() => dataplane.setPolicy({ networkId: 1, defaultAction: "allow", rules }))).toBe(
      code,
    );
    expect(snapshot(dataplane.maps)).toEqual(before);
  });

  it("refuses a 65th service with MAP_FULL", async () => {
    const dataplane = new FakeDataplane();
    await dataplane.start();
    const backends = [{ ip: "10.0.1.1", port: 80, mac: "02:00:00:00:01:01" }];
    for (let port = 1; port <= 64; port++) {
      await dataplane.setService({
        vip: "10.0.9.1",
        port,
        protocol: "tcp",
        vipMac: "02:00:00:00:09:01",
        backends,
      });
    }
    const before = snapshot(dataplane.maps);
    const extra = {
      vip: "10.0.9.1",
      port: 65,
      protocol: "tcp" as const,
      vipMac: "02:00:00:00:09:01",
      backends,
    };
    expect(await codeOf(() => dataplane.setService(extra))).toBe("MAP_FULL");
    expect(snapshot(dataplane.maps)).toEqual(before);
  });

  it("refuses unknown ports, bad endpoints and calls before start", async () => {
    const dataplane = new FakeDataplane();
    expect(await codeOf(() => dataplane.addEndpoint(endpoint))).toBe("NOT_STARTED");
    await dataplane.start();
    expect(await codeOf(() => dataplane.setBindings("nope", []))).toBe("UNKNOWN_PORT");
    expect(await codeOf(() => dataplane.addEndpoint({ ...endpoint, bindings: [{ ip: "10.0.0.300" }] }))).toBe(
      "INVALID_ADDRESS",
    );
    expect(
      await codeOf(() => dataplane.addEndpoint({ ...endpoint, name: "way-too-long-interface-name" })),
    ).toBe("INVALID_INPUT");
    expect((await dataplane.status()).programs).toEqual([]);
  });

  it("reports status for simulate mode", async () => {
    const dataplane = new FakeDataplane();
    await dataplane.start();
    await dataplane.addEndpoint(endpoint);
    const status = await dataplane.status();
    expect(status.programs.map((program) => program.port)).toEqual(["tap0"]);
    expect(status.maps.find((map) => map.name === "endpoint_bindings")?.entries).toBe(3);
    expect(await dataplane.counters()).toEqual([]);
  });
});

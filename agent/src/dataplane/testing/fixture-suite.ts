import { afterAll, beforeAll, expect } from "vitest";
import type { DropReason } from "../maps/drop-counters.ts";
import type { TEndpoint } from "../model.ts";
import { ProgramUnderTest } from "./bpf-harness.ts";
import { buildBpfObjects } from "./build.ts";

export const CLIENT = { mac: "02:00:00:00:00:0a", ip: "10.70.0.10", ip6: "fd70::a" };
export const SERVER = { mac: "02:00:00:00:00:0b", ip: "10.70.0.11", ip6: "fd70::b" };
export const BACKENDS = [
  { ip: "10.70.0.21", port: 9000, mac: "02:00:00:00:00:21" },
  { ip: "10.70.0.22", port: 9000, mac: "02:00:00:00:00:22" },
];
export const SERVICE = {
  vip: "10.70.0.100",
  port: 8080,
  protocol: "udp",
  vipMac: "02:00:00:00:01:00",
} as const;
export const NETWORK = 7;

/*
 * BPF_PROG_TEST_RUN gives every packet ifindex 1, so the one fixture port
 * also holds the server's and backends' bindings to play their replies.
 */
export const fixturePort: TEndpoint = {
  kind: "tap",
  name: "fixture",
  networkId: NETWORK,
  mac: CLIENT.mac,
  dhcpClient: true,
  bindings: [
    { ip: CLIENT.ip },
    { ip: CLIENT.ip6 },
    { ip: SERVER.ip, mac: SERVER.mac },
    { ip: SERVER.ip6, mac: SERVER.mac },
    ...BACKENDS.map((backend) => ({ ip: backend.ip, mac: backend.mac })),
  ],
};

export const toServer = { srcMac: CLIENT.mac, dstMac: SERVER.mac };

export interface FixtureProgram {
  readonly prog: ProgramUnderTest;
  dropCount(reason: DropReason): Promise<number>;
  expectDrop(packet: Buffer, reason: DropReason): Promise<void>;
  expectPassUnchanged(packet: Buffer): Promise<void>;
}

/** Loads a private copy of the `kind` program with the fixture port for the enclosing describe block. */
export function useFixtureProgram(kind: "tc" | "xdp"): FixtureProgram {
  let loaded: ProgramUnderTest | undefined;

  beforeAll(async () => {
    buildBpfObjects();
    loaded = await ProgramUnderTest.load(kind);
    loaded.programmer.programEndpoint(ProgramUnderTest.FIXTURE_IFINDEX, fixturePort);
  });

  afterAll(async () => {
    await loaded?.close();
  });

  const fixture: FixtureProgram = {
    get prog() {
      if (!loaded) throw new Error("the fixture program is loaded in beforeAll");
      return loaded;
    },
    async dropCount(reason) {
      const counters = await fixture.prog.counters();
      return (
        counters.find((c) => c.ifindex === ProgramUnderTest.FIXTURE_IFINDEX && c.reason === reason)
          ?.packets ?? 0
      );
    },
    async expectDrop(packet, reason) {
      const before = await fixture.dropCount(reason);
      const result = await fixture.prog.run(packet);
      expect(result.verdict).toBe("drop");
      expect(await fixture.dropCount(reason)).toBe(before + 1);
    },
    async expectPassUnchanged(packet) {
      const result = await fixture.prog.run(packet);
      expect(result.verdict).toBe("pass");
      expect(result.output.toString("hex")).toBe(packet.toString("hex"));
    },
  };
  return fixture;
}

import type { TFirewallRule } from "../../agent/src/dataplane/model.ts";
import { ProgramUnderTest } from "../../agent/src/dataplane/testing/bpf-harness.ts";
import { udp4 } from "../../agent/src/dataplane/testing/packets.ts";

const CLIENT = { ip: "10.70.0.10", mac: "02:00:00:00:00:0a" };
const SERVER = { ip: "10.70.0.11", mac: "02:00:00:00:00:0b" };
const NETWORK = 7;
const BINDINGS = 10_000;
const BINDING_PORTS = 4;
const BENCH_PORT = { mac: CLIENT.mac, networkId: NETWORK };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** N rules: N-1 deny rules for other /32s, then the rule that allows the measured flow. */
export function benchRules(count: number, allowIp: string): TFirewallRule[] {
  const rules: TFirewallRule[] = Array.from({ length: count - 1 }, (_, i) => ({
    remote: `10.${200 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`,
    protocol: "udp",
    ports: { from: 5000, to: 5000 },
    action: "deny",
  }));
  rules.push({ remote: `${allowIp}/32`, protocol: "udp", ports: { from: 5000, to: 5000 }, action: "allow" });
  return rules;
}

function bindingIp(i: number): string {
  return `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
}

export interface ProgRunSample {
  passNs: number;
  policyLookupNs: number;
  newFlowNs: number;
}

export interface MapRateResult {
  programmedPerSecond: number;
  writtenPerSecond: number;
  bestWrittenPerSecond: number;
}

/** BPF_PROG_TEST_RUN of one program (TC or XDP) against a private copy with 10,000 bindings. */
export class ProgRunBench {
  private constructor(private readonly prog: ProgramUnderTest) {}

  static async create(kind: "tc" | "xdp"): Promise<ProgRunBench> {
    return new ProgRunBench(await ProgramUnderTest.load(kind));
  }

  /**
   * Rate of programming `count` bindings: through the driver's whole path
   * (validate, encode, diff, write), and of the map write alone (setBatch
   * plus the mirror's bookkeeping) for an already planned change.
   */
  mapRate(count: number, runs: number): MapRateResult {
    const bindings = Array.from({ length: count }, (_, i) => ({ ip: bindingIp(i) }));
    const programmed: number[] = [];
    const written: number[] = [];
    const store = this.prog.maps.endpoint_bindings;
    for (let run = 0; run < runs; run++) {
      this.prog.programmer.setBindings(99, BENCH_PORT, []);
      let started = performance.now();
      this.prog.programmer.setBindings(99, BENCH_PORT, bindings);
      programmed.push(count / ((performance.now() - started) / 1000));
      const entries = [...store.entries()];
      this.prog.programmer.setBindings(99, BENCH_PORT, []);
      const change = store.planUpsert(entries);
      started = performance.now();
      store.apply(change);
      written.push(count / ((performance.now() - started) / 1000));
    }
    this.prog.programmer.setBindings(99, BENCH_PORT, []);
    return {
      programmedPerSecond: median(programmed),
      writtenPerSecond: median(written),
      bestWrittenPerSecond: Math.max(...written),
    };
  }

  seedBindings(): void {
    const perPort = BINDINGS / BINDING_PORTS;
    for (let port = 0; port < BINDING_PORTS; port++) {
      const bindings = Array.from({ length: perPort }, (_, i) => ({ ip: bindingIp(port * perPort + i) }));
      if (port === 0) bindings[0] = { ip: CLIENT.ip };
      this.prog.programmer.programEndpoint(ProgramUnderTest.FIXTURE_IFINDEX + port, {
        kind: "tap",
        name: `bench${port}`,
        networkId: NETWORK,
        mac: CLIENT.mac,
        dhcpClient: false,
        bindings,
      });
    }
  }

  /**
   * One sample per path with `ruleCount` rules: an established flow (the
   * conntrack hit every packet after the first takes), a packet a rule denies
   * (the full LPM and rule walk), and a new flow's first packet (median of 20,
   * each a single run, so it includes cold caches and the conntrack insert).
   */
  async sample(ruleCount: number, repeat: number): Promise<ProgRunSample> {
    this.prog.programmer.setPolicy({
      networkId: NETWORK,
      defaultAction: "deny",
      rules: benchRules(ruleCount, SERVER.ip),
    });
    this.prog.clearConntrack();
    const frame = { srcMac: CLIENT.mac, dstMac: SERVER.mac };
    const run = async (packet: Buffer, verdict: string, times: number) => {
      const result = await this.prog.run(packet, times);
      if (result.verdict !== verdict)
        throw new Error(`bench packet got ${result.verdict}, expected ${verdict}`);
      return result.durationNs;
    };
    const pass = udp4(frame, CLIENT.ip, SERVER.ip, 40000, 5000);
    await run(pass, "pass", 1);
    const passNs = await run(pass, "pass", repeat);
    const policyLookupNs = await run(udp4(frame, CLIENT.ip, "10.200.0.5", 40000, 5000), "drop", repeat);
    const newFlowNs: number[] = [];
    for (let sport = 20000; sport < 20020; sport++) {
      newFlowNs.push(await run(udp4(frame, CLIENT.ip, SERVER.ip, sport, 5000), "pass", 1));
    }
    return { passNs, policyLookupNs, newFlowNs: median(newFlowNs) };
  }

  close(): Promise<void> {
    return this.prog.close();
  }
}

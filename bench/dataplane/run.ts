import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBpfObjects } from "../../agent/src/dataplane/testing/build.ts";
import { type Metric, writeResult } from "../result.ts";
import { median, ProgRunBench, type ProgRunSample } from "./prog-run.ts";
import { Topology } from "./throughput.ts";

const HELP = `Usage: npm run bench -- dataplane [options]   (or, as root: npx tsx bench/dataplane/run.ts [options])

Measures the eBPF data plane, with iptables side by side:
  - ns per packet through BPF_PROG_TEST_RUN, TC and XDP programs, 10,000 bindings, 10 / 1,000 / 10,000
    firewall rules (rule counts interleaved round by round): an established flow's pass path, a packet
    a rule denies (full policy lookup), a new flow's first packet
  - UDP datagrams per second between two namespaces through the BPF driver and, in the same run, through
    the same bridge with the same rules in iptables instead, at 10 and 10,000 rules
  - map programming rate for 100,000 bindings
Writes bench/results/dataplane.json and prints the same JSON as the last line of stdout.

Options:
  --repeat N       BPF_PROG_TEST_RUN repetitions per sample (default 1000000)
  --runs N         rounds of BPF_PROG_TEST_RUN samples; medians and minimums are reported (default 9)
  --flood-runs N   rounds of UDP floods per configuration; each round floods BPF then iptables and
                   the ratio reported is the median of per-round ratios (default 5)
  --seconds S      length of each UDP flood (default 2)
  --help           show this help
`;

const FLOOD_SOURCE = new URL("./udpflood.c", import.meta.url).pathname;
const RULE_COUNTS = [10, 1_000, 10_000];
const THROUGHPUT_RULES = [10, 10_000];

type Metrics = Record<string, Metric>;

function progress(message: string): void {
  console.error(`[dataplane bench] ${message}`);
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function spreadPct(values: readonly number[]): number {
  return round((100 * (Math.max(...values) - Math.min(...values))) / Math.min(...values));
}

async function measureMapRate(metrics: Metrics, runs: number): Promise<void> {
  const bench = await ProgRunBench.create("tc");
  try {
    progress("map programming rate, 100,000 bindings");
    const rate = bench.mapRate(100_000, runs);
    metrics.map_updates_per_s = {
      value: Math.round(rate.writtenPerSecond),
      unit: "updates/s",
      better: "higher",
    };
    metrics.map_updates_per_s_best = {
      value: Math.round(rate.bestWrittenPerSecond),
      unit: "updates/s",
      better: "higher",
    };
    metrics.bindings_programmed_per_s = {
      value: Math.round(rate.programmedPerSecond),
      unit: "bindings/s",
      better: "higher",
    };
  } finally {
    await bench.close();
  }
}

async function measureProgRun(
  metrics: Metrics,
  kind: "tc" | "xdp",
  repeat: number,
  runs: number,
): Promise<void> {
  const bench = await ProgRunBench.create(kind);
  try {
    bench.seedBindings();
    const samples = new Map<number, ProgRunSample[]>(RULE_COUNTS.map((rules) => [rules, []]));
    for (let run = 0; run < runs; run++) {
      progress(`${kind} BPF_PROG_TEST_RUN round ${run + 1}/${runs}: ${RULE_COUNTS.join(", ")} rules`);
      for (const rules of RULE_COUNTS) samples.get(rules)!.push(await bench.sample(rules, repeat));
    }
    const passNs: number[] = [];
    const passMinNs: number[] = [];
    for (const [rules, taken] of samples) {
      const pass = median(taken.map((s) => s.passNs));
      const passMin = Math.min(...taken.map((s) => s.passNs));
      passNs.push(pass);
      passMinNs.push(passMin);
      metrics[`${kind}_pass_ns_${rules}_rules`] = { value: pass, unit: "ns/packet", better: "lower" };
      metrics[`${kind}_pass_ns_min_${rules}_rules`] = { value: passMin, unit: "ns/packet", better: "lower" };
      metrics[`${kind}_policy_lookup_ns_${rules}_rules`] = {
        value: median(taken.map((s) => s.policyLookupNs)),
        unit: "ns/packet",
        better: "lower",
      };
      metrics[`${kind}_new_flow_ns_${rules}_rules`] = {
        value: median(taken.map((s) => s.newFlowNs)),
        unit: "ns/packet",
        better: "lower",
      };
    }
    metrics[`${kind}_pass_ns_spread_pct`] = { value: spreadPct(passNs), unit: "%", better: "lower" };
    metrics[`${kind}_pass_ns_min_spread_pct`] = { value: spreadPct(passMinNs), unit: "%", better: "lower" };
  } finally {
    await bench.close();
  }
}

async function measureThroughput(
  metrics: Metrics,
  baseline: Metrics,
  options: { floodBinary: string; scratch: string; runs: number; seconds: number },
): Promise<void> {
  const bpf = await Topology.withDriver(options.floodBinary);
  const plain = await Topology.plain(options.floodBinary);
  try {
    for (const rules of THROUGHPUT_RULES) {
      await bpf.setBpfRules(rules);
      await plain.setIptablesRules(rules, options.scratch);
      const samples = { bpf: [] as number[], iptables: [] as number[] };
      for (let run = 0; run < options.runs; run++) {
        progress(`UDP flood with ${rules} rules, round ${run + 1}/${options.runs}: BPF, then iptables`);
        samples.bpf.push(await bpf.flood(options.seconds));
        samples.iptables.push(await plain.flood(options.seconds));
      }
      const bpfPps = median(samples.bpf);
      const iptablesPps = median(samples.iptables);
      metrics[`udp_pps_${rules}_rules`] = {
        value: Math.round(bpfPps),
        unit: "datagrams/s",
        better: "higher",
      };
      baseline[`udp_pps_${rules}_rules`] = {
        value: Math.round(iptablesPps),
        unit: "datagrams/s",
        better: "higher",
      };
      /* Each round floods both setups back to back: the median of per-round ratios cancels load that drifts between rounds. */
      const ratios = samples.bpf.map((pps, i) => pps / samples.iptables[i]!);
      metrics[`udp_pps_ratio_vs_iptables_${rules}_rules`] = {
        value: round(median(ratios), 2),
        unit: "x",
        better: "higher",
      };
    }
  } finally {
    await bpf.close();
    await plain.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeat: { type: "string", default: "1000000" },
      runs: { type: "string", default: "9" },
      "flood-runs": { type: "string", default: "5" },
      seconds: { type: "string", default: "2" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (process.getuid?.() !== 0)
    throw new Error("the data plane benchmark needs root (BPF, namespaces, iptables)");
  const params = {
    bindings: 10_000,
    rule_counts: RULE_COUNTS,
    throughput_rules: THROUGHPUT_RULES,
    repeat: Number(values.repeat),
    runs: Number(values.runs),
    flood_runs: Number(values["flood-runs"]),
    seconds: Number(values.seconds),
  };

  progress("building BPF objects and the UDP flood tool");
  buildBpfObjects();
  const scratch = await mkdtemp(join(tmpdir(), "stt7-bench-"));
  const floodBinary = join(scratch, "udpflood");
  execFileSync("cc", ["-O2", "-o", floodBinary, FLOOD_SOURCE]);

  const metrics: Metrics = {};
  const baseline: Metrics = {};
  try {
    await measureMapRate(metrics, 5);
    await measureProgRun(metrics, "tc", params.repeat, params.runs);
    await measureProgRun(metrics, "xdp", params.repeat, params.runs);
    await measureThroughput(metrics, baseline, {
      floodBinary,
      scratch,
      runs: params.flood_runs,
      seconds: params.seconds,
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  writeResult({
    suite: "dataplane",
    params,
    metrics,
    baseline: {
      name: "iptables (nf_tables backend): the same rules, one iptables rule per firewall rule, in the receiver's INPUT chain, same namespaces and bridge without BPF, flooded alternately with the BPF setup in the same run",
      metrics: baseline,
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

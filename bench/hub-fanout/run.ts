// npm run bench -- hub-fanout --agents N [--workers W] ...   (see --help)
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { openDatabase } from "@stratum/db";
import { runMigrations } from "@stratum/db/migrate";
import { startPostgres } from "@stratum/db/testing";
import { bumpDesiredGeneration } from "@stratum/fleet/nodes";
import { calculateJwkThumbprint } from "jose";
import { type Metric, writeResult } from "../result.ts";
import { type FromWorker, now, type SimNode, type ToWorker, type WorkerStats } from "./messages.ts";

const { values: opts } = parseArgs({
  options: {
    agents: { type: "string", default: "500" },
    workers: { type: "string", default: "4" },
    pushes: { type: "string", default: "5" },
    "steady-seconds": { type: "string", default: "20" },
    concurrency: { type: "string", default: "200" },
    "source-addresses": { type: "string", default: "4" },
    profile: { type: "string" },
    "first-status": { type: "string", default: "after-welcome" },
    "agent-pings": { type: "string", default: "on" },
    "timeout-minutes": { type: "string", default: "20" },
    help: { type: "boolean", default: false },
  },
});
if (opts.help) {
  process.stdout.write(`npm run bench -- hub-fanout [--agents N] [--workers W] [options]

Starts a throwaway PostgreSQL, enrolls N nodes directly in the nodes table (fresh Ed25519 keys), runs
the fleet hub (packages/fleet FleetHub, default options) alone in a child process, and connects N
simulated agents from W worker processes over loopback: real WebSocket sessions, each agent signing
its own EdDSA session JWT, answering desired with ack + status, pinging every 10 s.

Measures: time from the first connect attempt to the last agent's welcome; hub RSS and hub CPU (% of
one core) over a steady heartbeat window; then, --pushes times, one bumpDesiredGeneration(tx, "all")
commit and the latency until each agent has received (and acked) the new generation (p50/p99/max
across agents, medians over the pushes), and until the status writer has stored every node's
observed generation. Writes bench/results/hub-fanout.json; progress goes to stderr.

  --agents N             simulated agents / nodes (default 500; the target is 10000)
  --workers W            agent worker processes (default 4)
  --pushes P             desired-state pushes to time (default 5)
  --steady-seconds S     CPU window at steady heartbeat (default 20)
  --concurrency C        handshakes in flight at once, over all workers (default 200)
  --source-addresses K   spread client sockets over 127.0.0.2 .. 127.0.0.(K+1) (default 4)
  --first-status WHEN    after-welcome (default; what agent/src/hub/hub-client.ts does) or after-desired
                         (hold the first status until the first desired frame has arrived)
  --agent-pings on|off   off: agents do not send their own pings, only answer the hub's (default on,
                         like the real agent); prices one heartbeat direction
  --profile DIR          write hub CPU profiles per phase (connect, steady, push) to DIR
  --timeout-minutes T    give up after T minutes (default 20)

Targets (issue 3): N = 10000 all connected; steady hub CPU <= 50 % of one core; push-to-all p99 <= 2 s;
hub RSS <= 1.5 GB. The file-descriptor limit of the hub and workers is raised to the hard limit.
`);
  process.exit(0);
}

const N = Number(opts.agents);
const W = Math.max(1, Math.min(Number(opts.workers), N));
const PUSHES = Number(opts.pushes);
const STEADY_S = Number(opts["steady-seconds"]);
const CONCURRENCY = Number(opts.concurrency);
const SOURCES = Math.max(1, Number(opts["source-addresses"]));
const TIMEOUT_MS = Number(opts["timeout-minutes"]) * 60_000;
const FIRST_STATUS = opts["first-status"] === "after-desired" ? "after-desired" : "after-welcome";
const AUDIENCE = `urn:stratum:installation:bench-${randomUUID()}`;
const here = import.meta.dirname;

const log = (line: string) =>
  process.stderr.write(`[hub-fanout ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- everything started is stopped in reverse order, on success, failure, signal or timeout ----
const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        log(`cleanup: ${String(error)}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
const watchdog = setTimeout(() => {
  log(`timed out after ${opts["timeout-minutes"]} minutes; stopping`);
  void cleanup().then(() => process.exit(3));
}, TIMEOUT_MS);
watchdog.unref();

/** Runs a node script with the open-file limit raised as far as this process may. */
function spawnNode(script: string, env: NodeJS.ProcessEnv, ipc: boolean): ChildProcess {
  return spawn(
    "sh",
    [
      "-c",
      'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"',
      "sh",
      process.execPath,
      "--import",
      "tsx",
      join(here, script),
    ],
    {
      env: { ...process.env, ...env, BENCH_PARENT_PID: String(process.pid), NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit", ...(ipc ? (["ipc"] as const) : [])],
    },
  );
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

// ---- statistics ----
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 2 ** 20);

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - (fields[4] ?? 0), total };
}
const machinePercent = (a: { busy: number; total: number }, b: { busy: number; total: number }) =>
  ((b.busy - a.busy) / (b.total - a.total)) * 100 * cpus().length;

/**
 * CPU seconds used so far by the processes this bench started, grouped: the hub, the agent workers,
 * PostgreSQL (postmaster plus its backends, including reaped ones via cutime/cstime) and this process.
 */
function groupCpu(hubPid: number | undefined, workerPids: Set<number>): Record<string, number> {
  const procs = new Map<number, { ppid: number; comm: string; own: number; reaped: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = text.lastIndexOf(")");
      const comm = text.slice(text.indexOf("(") + 1, close);
      const f = text.slice(close + 2).split(" ");
      procs.set(Number(entry), {
        ppid: Number(f[1]),
        comm,
        own: Number(f[11]) + Number(f[12]),
        reaped: Number(f[13]) + Number(f[14]),
      });
    } catch {
      // exited meanwhile
    }
  }
  const tick = 100; // USER_HZ
  const out: Record<string, number> = { hub: 0, workers: 0, postgres: 0, bench: 0 };
  for (const [pid, p] of procs) {
    let group: string | undefined;
    if (pid === process.pid) group = "bench";
    else if (pid === hubPid) group = "hub";
    else if (workerPids.has(pid)) group = "workers";
    else if (p.comm === "postgres") {
      // Only our server: its postmaster is a child of this process.
      let cur: number | undefined = pid;
      for (let depth = 0; cur !== undefined && depth < 3; depth++) {
        if (procs.get(cur)?.ppid === process.pid) {
          group = "postgres";
          break;
        }
        cur = procs.get(cur)?.ppid;
      }
    }
    if (!group) continue;
    out[group]! += (p.own + (group === "postgres" ? p.reaped : 0)) / tick;
  }
  return out;
}
/** Per group % of one core, plus "other": what the rest of this (shared) machine used meanwhile. */
function groupPercent(
  a: Record<string, number>,
  b: Record<string, number>,
  seconds: number,
  machine: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) out[k] = round((((b[k] ?? 0) - (a[k] ?? 0)) / seconds) * 100);
  out.other = round(machine - Object.values(out).reduce((x, y) => x + y, 0));
  return out;
}
const show = (g: Record<string, number>) =>
  Object.entries(g)
    .map(([k, v]) => `${k} ${v} %`)
    .join(", ");

// ---- hub ----
interface HubStats {
  rss: number;
  heapUsed: number;
  cpu: { user: number; system: number };
  wallMs: number;
  connected: number;
  loopDelay: { p50: number; p99: number; max: number };
}
let hubBase = "";
async function hubStats(reset = false): Promise<HubStats> {
  const res = await fetch(`${hubBase}/stats${reset ? "?reset=1" : ""}`, {
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as HubStats;
}
function cpuPercent(a: HubStats, b: HubStats): number {
  const cpuMs = (b.cpu.user - a.cpu.user + (b.cpu.system - a.cpu.system)) / 1000;
  return (cpuMs / (b.wallMs - a.wallMs)) * 100;
}
async function profile(action: "start" | "stop", phase?: string): Promise<void> {
  if (!opts.profile) return;
  const file = phase ? join(opts.profile, `hub-${phase}-${N}.cpuprofile`) : "";
  const res = await fetch(`${hubBase}/profile/${action}${file ? `?file=${encodeURIComponent(file)}` : ""}`, {
    method: "POST",
  });
  if (!res.ok) throw new Error(`profile ${action}: ${await res.text()}`);
  if (action === "stop") log(`hub CPU profile: ${file}`);
}

// ---- workers ----
interface Worker {
  child: ChildProcess;
  next<T extends FromWorker["type"]>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>>;
  send(message: ToWorker): void;
}
function startWorker(index: number): Worker {
  const child = spawnNode("agent-worker.ts", {}, true);
  const waiters = new Map<string, ((m: FromWorker) => void)[]>();
  child.on("message", (message: FromWorker) => {
    if (message.type === "fatal") {
      log(`worker ${index} failed: ${message.message}`);
      return;
    }
    const list = waiters.get(message.type);
    list?.shift()?.(message);
  });
  child.on("exit", (code, signal) => {
    if (!cleaning) log(`worker ${index} exited (${code ?? signal})`);
  });
  return {
    child,
    send: (message) => child.send(message),
    next: (type, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker ${index}: no ${type} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const list = waiters.get(type) ?? [];
        list.push((m) => {
          clearTimeout(timer);
          resolve(m as never);
        });
        waiters.set(type, list);
      }),
  };
}
async function workerStats(workers: Worker[]): Promise<WorkerStats[]> {
  const replies = workers.map((w) => w.next("stats", 10_000));
  for (const w of workers) w.send({ type: "stats" });
  return (await Promise.all(replies)).map((r) => r.stats);
}
function sumStats(all: WorkerStats[]) {
  const closes: Record<string, number> = {};
  for (const s of all)
    for (const [code, n] of Object.entries(s.closes)) closes[code] = (closes[code] ?? 0) + n;
  const reasons: Record<string, string> = {};
  for (const s of all) Object.assign(reasons, s.reasons);
  return {
    sessions: all.reduce((n, s) => n + s.sessions, 0),
    welcomedOnce: all.reduce((n, s) => n + s.welcomedOnce, 0),
    attempts: all.reduce((n, s) => n + s.attempts, 0),
    errors: all.reduce((n, s) => n + s.errors, 0),
    closes,
    reasons,
  };
}

// ---------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  if (opts.profile) mkdirSync(opts.profile, { recursive: true });
  log(`N=${N} agents, ${W} workers, ${PUSHES} pushes, steady window ${STEADY_S} s`);

  const postgres = await startPostgres();
  cleanups.push(() => postgres.stop());
  const databaseUrl = await postgres.createDatabase("bench_hub_fanout");
  const db = await openDatabase({ databaseUrl });
  cleanups.push(() => db.close());
  await runMigrations(db.sql);

  // Nodes, enrolled directly: fresh Ed25519 keys; only the simulated agents get the private halves.
  const t = now();
  const nodes: SimNode[] = [];
  const rows = [];
  for (let i = 0; i < N; i++) {
    const { privateKey } = generateKeyPairSync("ed25519");
    const jwk = privateKey.export({ format: "jwk" }) as { x: string; d: string };
    const publicKey = { kty: "OKP", crv: "Ed25519", x: jwk.x };
    const id = randomUUID();
    nodes.push({ id, x: jwk.x, d: jwk.d });
    rows.push({
      id,
      name: `bench-${String(i).padStart(5, "0")}`,
      hostname: `bench-${i}.stratum.test`,
      mode: "compute" as const,
      publicKey,
      keyThumbprint: await calculateJwkThumbprint(publicKey),
      facts: { cpus: 1, memoryBytes: 0, kernel: "bench", interfaces: [] },
    });
  }
  for (let i = 0; i < rows.length; i += 1000)
    await db.prisma.node.createMany({ data: rows.slice(i, i + 1000) });
  log(`inserted ${N} nodes in ${round(now() - t, 0)} ms`);

  // Hub.
  const hub = spawnNode("serve-hub.ts", { DATABASE_URL: databaseUrl, BENCH_AUDIENCE: AUDIENCE }, false);
  cleanups.push(() => stopChild(hub, "SIGTERM", 20_000));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: hub.stdout! }).once("line", resolve);
    hub.once("exit", (code) => reject(new Error(`hub exited with ${code}`)));
    setTimeout(() => reject(new Error("hub did not report its port within 60 s")), 60_000).unref();
  });
  const { port } = JSON.parse(first) as { port: number };
  hubBase = `http://127.0.0.1:${port}`;
  const hubUrl = `ws://127.0.0.1:${port}/agent/v1`;
  const idle = await hubStats();
  log(`hub on ${hubUrl}, idle RSS ${mb(idle.rss)} MiB`);

  // Workers, each with a contiguous slice of the nodes.
  const workers: Worker[] = [];
  const cpuGroups = () => groupCpu(hub.pid, new Set(workers.map((w) => w.child.pid!)));
  cleanups.push(async () => {
    for (const w of workers) if (w.child.connected) w.send({ type: "stop" });
    await Promise.all(workers.map((w) => stopChild(w.child, "SIGTERM", 5_000)));
  });
  const localAddresses = Array.from({ length: SOURCES }, (_, i) => `127.0.0.${i + 2}`);
  for (let i = 0; i < W; i++) workers.push(startWorker(i));
  const ready = workers.map((w) => w.next("ready", 60_000));
  for (const [i, w] of workers.entries())
    w.send({
      type: "init",
      url: hubUrl,
      audience: AUDIENCE,
      nodes: nodes.filter((_, k) => k % W === i),
      localAddresses,
      concurrency: Math.max(1, Math.floor(CONCURRENCY / W)),
      firstStatus: FIRST_STATUS,
      agentPings: opts["agent-pings"] !== "off",
    });
  await Promise.all(ready);
  log(`${W} workers ready`);

  // ---- phase 1: connect and authenticate all ----
  await profile("start");
  const c0 = await hubStats();
  const m0 = machineCpu();
  const g0 = cpuGroups();
  const connectedMsgs = workers.map((w) => w.next("connected", TIMEOUT_MS));
  for (const w of workers) w.send({ type: "connect" });
  let allConnected = false;
  void Promise.all(connectedMsgs).then(() => {
    allConnected = true;
  });
  const connectDeadline = Date.now() + Math.min(TIMEOUT_MS, 10 * 60_000);
  while (!allConnected && Date.now() < connectDeadline) {
    await sleep(2000);
    const [s, h] = await Promise.all([workerStats(workers), hubStats()]);
    const sum = sumStats(s);
    log(
      `connecting: welcomed ${sum.welcomedOnce}/${N}, hub sessions ${h.connected}, attempts ${sum.attempts}, closes ${JSON.stringify(sum.closes)} ${JSON.stringify(sum.reasons)}, hub RSS ${mb(h.rss)} MiB, loop p99 ${h.loopDelay.p99} ms`,
    );
  }
  if (!allConnected) throw new Error(`not all agents connected within the connect deadline`);
  const connected = await Promise.all(connectedMsgs);
  const connectMs =
    Math.max(...connected.map((c) => c.lastWelcomeAt)) - Math.min(...connected.map((c) => c.firstAttemptAt));
  const c1 = await hubStats();
  const m1 = machineCpu();
  const connectGroups = groupPercent(g0, cpuGroups(), (c1.wallMs - c0.wallMs) / 1000, machinePercent(m0, m1));
  log(`CPU during connect (% of one core): ${show(connectGroups)}`);
  await profile("stop", "connect");
  const connectStats = await workerStats(workers);
  const afterConnect = sumStats(connectStats);
  const connectHubCpu = cpuPercent(c0, c1);
  const connectMachineCpu = machinePercent(m0, m1);
  const workersCpuMs = connectStats.reduce((n, s) => n + (s.cpu.user + s.cpu.system) / 1000, 0);
  log(
    `all ${N} connected and authenticated in ${round(connectMs, 0)} ms (${afterConnect.attempts} attempts); during connect: hub CPU ${round(connectHubCpu)} % of one core (${round((c1.cpu.user - c0.cpu.user + c1.cpu.system - c0.cpu.system) / 1000 / N, 2)} ms per agent), whole machine ${round(connectMachineCpu)} % of one core (of ${cpus().length * 100}), workers ${round(workersCpuMs / N, 2)} ms CPU per agent`,
  );

  // ---- phase 2: steady heartbeat ----
  await sleep(10_000); // initial status writes and connect events flush, pings get going
  await profile("start");
  const s0 = await hubStats(true);
  const ms0 = machineCpu();
  const gs0 = cpuGroups();
  const rssSamples: number[] = [s0.rss];
  const windowEnd = Date.now() + STEADY_S * 1000;
  while (Date.now() < windowEnd) {
    await sleep(Math.min(5000, windowEnd - Date.now()));
    rssSamples.push((await hubStats()).rss);
  }
  const s1 = await hubStats(true);
  rssSamples.push(s1.rss);
  await profile("stop", "steady");
  const steadyCpu = cpuPercent(s0, s1);
  const steadyMachineCpu = machinePercent(ms0, machineCpu());
  const steadyGroups = groupPercent(gs0, cpuGroups(), (s1.wallMs - s0.wallMs) / 1000, steadyMachineCpu);
  log(`CPU at steady heartbeat (% of one core): ${show(steadyGroups)}`);
  const steadyRss = Math.max(...rssSamples);
  const steadyWorkers = sumStats(await workerStats(workers));
  log(
    `steady: hub CPU ${round(steadyCpu)} % of one core over ${round((s1.wallMs - s0.wallMs) / 1000)} s, RSS ${mb(steadyRss)} MiB, heap ${mb(s1.heapUsed)} MiB, loop delay p99 ${s1.loopDelay.p99} ms, sessions ${s1.connected}/${N}; whole machine ${round(steadyMachineCpu)} % of one core`,
  );

  // ---- phase 3: desired-state pushes ----
  const pushes: {
    txMs: number;
    p50: number;
    p99: number;
    max: number;
    missing: number;
    observedMs: number;
    hubCpuMs: number;
  }[] = [];
  const [generationRow] = await db.sql.withSession((s) =>
    s.query<{ generation: number }>("SELECT max(desired_generation)::int AS generation FROM nodes"),
  );
  let generation = generationRow!.generation;
  let bumpDeadlocks = 0;
  await profile("start");
  for (let k = 0; k < PUSHES; k++) {
    generation += 1;
    const h0 = await hubStats();
    const gp0 = cpuGroups();
    const tBegin = now();
    // A caller of bumpDesiredGeneration can lose a deadlock (40P01) against the hub's status
    // writer; count it and retry, as a careful caller would, so the push still gets timed.
    for (let attempt = 1; ; attempt++) {
      try {
        await db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, "all"));
        break;
      } catch (error) {
        const text = String(error);
        if (attempt >= 5 || !(text.includes("40P01") || text.includes("deadlock"))) throw error;
        bumpDeadlocks += 1;
        log(`push ${k + 1}: bumpDesiredGeneration lost a deadlock (40P01), retrying`);
      }
    }
    const tCommit = now();
    const replies = workers.map((w) => w.next("received", 60_000));
    for (const w of workers) w.send({ type: "expect", generation, timeoutMs: 30_000 });
    // Meanwhile: when has the status writer stored every node's observed generation?
    let observedMs = Number.NaN;
    const observedDeadline = Date.now() + 30_000;
    while (Date.now() < observedDeadline) {
      const [row] = await db.sql.withSession((s) =>
        s.query<{ n: number }>("SELECT count(*)::int AS n FROM nodes WHERE observed_generation >= $1", [
          generation,
        ]),
      );
      if (row!.n >= N) {
        observedMs = now() - tCommit;
        break;
      }
      await sleep(50);
    }
    const received = await Promise.all(replies);
    const h1 = await hubStats();
    const gp1 = cpuGroups();
    const pushCpu = Object.keys(gp1)
      .map((k) => `${k} ${round(((gp1[k] ?? 0) - (gp0[k] ?? 0)) * 1000, 0)} ms`)
      .join(", ");
    const latencies = received
      .flatMap((r) => r.times)
      .map((t) => t - tCommit)
      .sort((a, b) => a - b);
    const missing = received.reduce((n, r) => n + r.missing, 0);
    const result = {
      txMs: tCommit - tBegin,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      missing,
      observedMs,
      hubCpuMs: (h1.cpu.user - h0.cpu.user + h1.cpu.system - h0.cpu.system) / 1000,
    };
    pushes.push(result);
    log(
      `push ${k + 1}/${PUSHES} (generation ${generation}): tx ${round(result.txMs)} ms; received by all but ${missing}: p50 ${round(result.p50)} ms, p99 ${round(result.p99)} ms, max ${round(result.max)} ms; stored observed by all after ${round(observedMs)} ms; min ${round(latencies[0] ?? Number.NaN)} ms; CPU used during the push (until stored): ${pushCpu}`,
    );
    await sleep(2000);
  }
  await profile("stop", "push");
  const final = await hubStats();
  const finalWorkers = sumStats(await workerStats(workers));
  const peakRss = Math.max(steadyRss, final.rss);

  const targets = {
    connected: Math.min(N, 10_000),
    steadyCpuPercent: 50,
    pushP99Ms: 2000,
    rssBytes: 1.5e9,
  };
  const med = (f: (p: (typeof pushes)[number]) => number) => round(median(pushes.map(f)));
  const m: Record<string, Metric> = {
    connected: { value: s1.connected, unit: "agents", better: "higher" },
    connect_all_ms: { value: round(connectMs, 0), unit: "ms", better: "lower" },
    connect_attempts: { value: afterConnect.attempts, unit: "attempts", better: "lower" },
    connect_hub_cpu_pct: { value: round(connectHubCpu), unit: "% of one core", better: "lower" },
    connect_machine_cpu_pct: { value: round(connectMachineCpu), unit: "% of one core", better: "lower" },
    hub_rss_steady_mb: { value: mb(steadyRss), unit: "MiB", better: "lower" },
    hub_rss_peak_mb: { value: mb(peakRss), unit: "MiB", better: "lower" },
    hub_cpu_steady_pct: { value: round(steadyCpu), unit: "% of one core", better: "lower" },
    hub_loop_delay_steady_p99_ms: { value: s1.loopDelay.p99, unit: "ms", better: "lower" },
    push_p50_ms: { value: med((p) => p.p50), unit: "ms", better: "lower" },
    push_p99_ms: { value: med((p) => p.p99), unit: "ms", better: "lower" },
    push_max_ms: { value: med((p) => p.max), unit: "ms", better: "lower" },
    push_missing: { value: Math.max(...pushes.map((p) => p.missing)), unit: "agents", better: "lower" },
    push_observed_stored_ms: { value: med((p) => p.observedMs), unit: "ms", better: "lower" },
    push_tx_ms: { value: med((p) => p.txMs), unit: "ms", better: "lower" },
    push_hub_cpu_ms: { value: med((p) => p.hubCpuMs), unit: "ms", better: "lower" },
    push_bump_deadlocks: {
      value: bumpDeadlocks,
      unit: "bump transactions failed with 40P01",
      better: "lower",
    },
    agent_reconnects: {
      value: finalWorkers.attempts - afterConnect.attempts,
      unit: "connects after all were up",
      better: "lower",
    },
  };
  const met = {
    connected: s1.connected >= targets.connected && finalWorkers.sessions >= targets.connected,
    steadyCpu: steadyCpu <= targets.steadyCpuPercent,
    pushP99: m.push_p99_ms!.value <= targets.pushP99Ms && m.push_missing!.value === 0,
    rss: peakRss <= targets.rssBytes,
  };
  log(
    `targets: connected ${met.connected ? "met" : "MISSED"}, steady CPU ${met.steadyCpu ? "met" : "MISSED"}, push p99 ${met.pushP99 ? "met" : "MISSED"}, RSS ${met.rss ? "met" : "MISSED"}; closes during run ${JSON.stringify(finalWorkers.closes)} ${JSON.stringify(finalWorkers.reasons)}; steady-phase closes ${JSON.stringify(steadyWorkers.closes)}`,
  );
  writeResult({
    suite: "hub-fanout",
    params: {
      agents: N,
      workers: W,
      pushes: PUSHES,
      steadySeconds: STEADY_S,
      handshakeConcurrency: CONCURRENCY,
      sourceAddresses: SOURCES,
      firstStatus: FIRST_STATUS,
      agentPings: opts["agent-pings"] !== "off",
      database: "postgresql (throwaway, fsync off)",
      targets: {
        connected: targets.connected,
        hub_cpu_steady_pct_max: targets.steadyCpuPercent,
        push_p99_ms_max: targets.pushP99Ms,
        hub_rss_mb_max: mb(targets.rssBytes),
      },
      targetsMet: met,
      cpuBreakdownPctOfOneCore: {
        connect: connectGroups,
        steady: steadyGroups,
        note: "other = the rest of this shared machine (not started by the bench) in the same window",
      },
      agentCloses: { codes: finalWorkers.closes, firstReasons: finalWorkers.reasons },
      pushesDetail: pushes.map((p) => ({
        p50: round(p.p50),
        p99: round(p.p99),
        max: round(p.max),
        missing: p.missing,
        observedStoredMs: round(p.observedMs),
        txMs: round(p.txMs),
      })),
    },
    metrics: m,
  });
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startPostgres } from "@stratum/db/testing";
import autocannon from "autocannon";
import { type Metric, writeResult } from "../result.ts";

const { values: opts } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "20" },
    help: { type: "boolean", default: false },
  },
});
if (opts.help) {
  process.stdout.write(`npm run bench -- api [--connections N] [--duration SECONDS]

Runs an authenticated tRPC query (users.list) and a mutation (users.update, audited) against a panel
on the embedded PGlite and on a throwaway PostgreSQL, side by side. Writes bench/results/api.json.
`);
  process.exit(0);
}
const connections = Number(opts.connections);
const duration = Number(opts.duration);

interface Panel {
  url: string;
  cookie: string;
  userId: string;
  child: ChildProcess;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Panel> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "serve.ts")], {
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  try {
    return await prepare(child, JSON.parse(line) as { url: string; setupCode: string });
  } catch (error) {
    child.kill("SIGTERM");
    throw error;
  }
}

async function prepare(
  child: ChildProcess,
  { url, setupCode }: { url: string; setupCode: string },
): Promise<Panel> {
  const call = async (path: string, body: unknown, cookie?: string) => {
    const res = await fetch(`${url}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return { json: (await res.json()) as { result: { data: Record<string, string> } }, res };
  };
  const { res } = await call("setup.complete", {
    code: setupCode,
    email: "bench@stratum.test",
    name: "Bench",
    password: "load test secret 1",
  });
  const cookie = res.headers.getSetCookie()[0]!.split(";")[0]!;
  const { json } = await call(
    "users.create",
    { email: "target@stratum.test", name: "Target", role: "viewer", password: "load test secret 2" },
    cookie,
  );
  return { url, cookie, userId: json.result.data.id!, child };
}

async function load(panel: Panel, kind: "query" | "mutation") {
  let counter = 0;
  const result = await autocannon({
    url: panel.url,
    connections,
    duration,
    requests: [
      kind === "query"
        ? { method: "GET", path: "/api/trpc/users.list", headers: { cookie: panel.cookie } }
        : {
            method: "POST",
            path: "/api/trpc/users.update",
            headers: { cookie: panel.cookie, "content-type": "application/json" },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ id: panel.userId, name: `Target ${++counter}` }),
            }),
          },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    process.stderr.write(
      `${kind}: ${result.non2xx} non-2xx responses, ${result.errors} errors (${result.timeouts} timeouts)\n`,
    );
  }
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    total: result.requests.total,
    failed: result.non2xx + result.errors,
  };
}

async function measure(label: string, env: NodeJS.ProcessEnv) {
  const panel = await startServer(env);
  try {
    const query = await load(panel, "query");
    const mutation = await load(panel, "mutation");
    process.stderr.write(
      `${label}: query p50 ${query.p50} ms p99 ${query.p99} ms ${query.rps} req/s; mutation p50 ${mutation.p50} ms p99 ${mutation.p99} ms ${mutation.rps} req/s\n`,
    );
    return { query, mutation };
  } finally {
    panel.child.kill("SIGTERM");
  }
}

function metrics(m: Awaited<ReturnType<typeof measure>>): Record<string, Metric> {
  return {
    query_p50_ms: { value: m.query.p50, unit: "ms", better: "lower" },
    query_p99_ms: { value: m.query.p99, unit: "ms", better: "lower" },
    query_rps: { value: m.query.rps, unit: "req/s", better: "higher" },
    mutation_p50_ms: { value: m.mutation.p50, unit: "ms", better: "lower" },
    mutation_p99_ms: { value: m.mutation.p99, unit: "ms", better: "lower" },
    mutation_rps: { value: m.mutation.rps, unit: "req/s", better: "higher" },
    query_failed: { value: m.query.failed, unit: "requests", better: "lower" },
    mutation_failed: { value: m.mutation.failed, unit: "requests", better: "lower" },
  };
}

const dataDir = mkdtempSync(join(tmpdir(), "stratum-bench-api-"));
const postgres = await startPostgres();
try {
  const pglite = await measure("pglite", { STRATUM_DATA_DIR: dataDir, DATABASE_URL: "" });
  const pg = await measure("postgres", { DATABASE_URL: await postgres.createDatabase("bench_api") });
  writeResult({
    suite: "api",
    params: { connections, durationSeconds: duration, query: "users.list", mutation: "users.update" },
    metrics: Object.fromEntries(Object.entries(metrics(pg)).map(([k, v]) => [`postgres_${k}`, v])),
    baseline: {
      name: "the same load on the embedded PGlite database, run in the same script",
      metrics: Object.fromEntries(Object.entries(metrics(pglite)).map(([k, v]) => [`pglite_${k}`, v])),
    },
  });
} finally {
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

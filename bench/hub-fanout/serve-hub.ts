// The fleet hub alone, in its own process so the simulated agents do not share its event loop.
// Mounted like apps/panel/server/start-panel.ts mounts it (default options, pino at warn).
//
//   env DATABASE_URL, BENCH_AUDIENCE, BENCH_PARENT_PID
//   stdout, first line: {"port": N}
//   GET /stats            {rss, heapUsed, cpu: process.cpuUsage(), wallMs, connected, loopDelay}
//   GET /stats?reset=1    same, then resets the event-loop-delay histogram
//   POST /profile/start   starts the V8 CPU profiler (node:inspector)
//   POST /profile/stop?file=PATH  stops it and writes a .cpuprofile
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Session } from "node:inspector/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openDatabase } from "@stratum/db";
import { FleetHub } from "@stratum/fleet/hub";
import { HUB_PATH } from "@stratum/protocol";
import pino from "pino";

const databaseUrl = process.env.DATABASE_URL;
const audience = process.env.BENCH_AUDIENCE;
if (!databaseUrl || !audience) throw new Error("serve-hub needs DATABASE_URL and BENCH_AUDIENCE");

const logger = pino({ level: "warn" }, pino.destination(2));
const db = await openDatabase({ databaseUrl });
const hub = new FleetHub({ db, logger, audience });
await hub.start();

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let inspector: Session | null = null;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://hub");
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/stats") {
    const mem = process.memoryUsage();
    const ms = (n: number) => Math.round(n / 1e4) / 100;
    reply(200, {
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      cpu: process.cpuUsage(),
      wallMs: performance.now(),
      connected: hub.connectedNodes,
      loopDelay: {
        p50: ms(loopDelay.percentile(50)),
        p99: ms(loopDelay.percentile(99)),
        max: ms(loopDelay.max),
      },
    });
    if (url.searchParams.get("reset")) loopDelay.reset();
    return;
  }
  if (req.method === "POST" && url.pathname === "/profile/start") {
    void (async () => {
      inspector = new Session();
      inspector.connect();
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: 500 });
      await inspector.post("Profiler.start");
      reply(200, { ok: true });
    })().catch((error) => reply(500, { error: String(error) }));
    return;
  }
  if (req.method === "POST" && url.pathname === "/profile/stop") {
    const file = url.searchParams.get("file");
    void (async () => {
      if (!inspector || !file) throw new Error("no profile running, or no file");
      const { profile } = await inspector.post("Profiler.stop");
      inspector.disconnect();
      inspector = null;
      writeFileSync(file, JSON.stringify(profile));
      reply(200, { ok: true, file });
    })().catch((error) => reply(500, { error: String(error) }));
    return;
  }
  reply(404, { error: "not found" });
});
server.on("upgrade", (req, socket, head) => {
  if (new URL(req.url ?? "/", "http://hub").pathname === HUB_PATH) hub.handleUpgrade(req, socket, head);
  else socket.destroy();
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`,
  );
});

let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(1), 15_000).unref();
  await hub.close().catch((err) => logger.error({ err }, "hub close failed"));
  server.close();
  await db.close().catch(() => {});
  process.exit(code);
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));

// Never outlive the bench.
const parentPid = Number(process.env.BENCH_PARENT_PID);
if (parentPid > 0)
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      void shutdown(1);
    }
  }, 1000).unref();

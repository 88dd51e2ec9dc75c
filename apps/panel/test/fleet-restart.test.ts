import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, type PostgresServer, startPostgres } from "@stratum/db/testing";
import { bumpDesiredGeneration, createJoinToken } from "@stratum/fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAgentEnv } from "../server/demo-agents.ts";
import { readPanelEnv } from "../server/env.ts";
import { type RunningPanel, startPanel } from "../server/start-panel.ts";

const agentBin = join(import.meta.dirname, "../../../agent/src/bin/cenvero-str-agent.ts");
let pg: PostgresServer;
let databaseUrl: string;
let dir: string;
let port: number;
const agents: ChildProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  databaseUrl = await pg.createDatabase("restart");
  dir = mkdtempSync(join(tmpdir(), "stratum-restart-"));
  port = await freePort();
});
afterAll(async () => {
  for (const a of agents) a.kill("SIGKILL");
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(): Promise<RunningPanel> {
  const env = readPanelEnv({
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    STRATUM_DEMO_AGENTS: "0",
  });
  return startPanel({ env, ui: false, databaseUrl });
}

const agentEnv = (name: string) => localAgentEnv(join(dir, name));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

describe("panel restart with real agents connected", () => {
  it("gets every agent back and converged to the latest generation", async () => {
    let panel = await start();
    const { token } = await panel.db.prisma.$transaction((tx) =>
      createJoinToken(tx, {
        description: "restart test",
        mode: "compute",
        labels: {},
        maxUses: 3,
        expiresInHours: 1,
      }),
    );
    const names = ["r-1", "r-2", "r-3"];
    for (const name of names) {
      await promisify(execFile)(
        process.execPath,
        [
          "--import",
          "tsx",
          agentBin,
          "enroll",
          "--panel",
          `http://127.0.0.1:${port}`,
          "--token",
          token,
          "--name",
          name,
        ],
        { env: agentEnv(name) },
      );
      agents.push(
        spawn(process.execPath, ["--import", "tsx", agentBin, "run", "--simulate"], {
          env: agentEnv(name),
          stdio: "ignore",
        }),
      );
    }
    await until(async () => panel.hub.connectedNodes === 3, 20_000, "three agents to connect");
    await panel.db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, "all"));

    await panel.close();
    // A change made while no panel runs must still reach the agents afterwards.
    const { openDatabase } = await import("@stratum/db");
    const db = await openDatabase({ databaseUrl });
    await db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, "all"));
    await db.close();

    panel = await start();
    const back = await until(async () => panel.hub.connectedNodes === 3, 30_000, "agents to reconnect");
    expect(back).toBeLessThan(30_000);
    await until(
      async () => {
        await panel.hub.flushStatus();
        const nodes = await panel.db.prisma.node.findMany();
        return (
          nodes.length === 3 && nodes.every((n) => n.desiredGeneration === 3n && n.observedGeneration === 3n)
        );
      },
      10_000,
      "every agent to report generation 3",
    );
    const events = await panel.db.prisma.nodeEvent.groupBy({ by: ["kind"], _count: { _all: true } });
    expect(Object.fromEntries(events.map((e) => [e.kind, e._count._all]))).toMatchObject({
      enrolled: 3,
      connected: 6,
      disconnected: 3,
    });
    await panel.close();
  }, 90_000);
});

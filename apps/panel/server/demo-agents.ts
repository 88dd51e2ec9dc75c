import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Database } from "@stratum/db";
import { createJoinToken } from "@stratum/fleet";
import type { Logger } from "pino";

const agentBin = join(dirname(fileURLToPath(import.meta.url)), "../../../agent/src/bin/cenvero-str-agent.ts");

/** The environment of an unprivileged agent keeping every path under `base`. */
export function localAgentEnv(base: string): NodeJS.ProcessEnv {
  for (const d of ["state", "log", "run", "config"]) mkdirSync(join(base, d), { recursive: true });
  return {
    ...process.env,
    CENVERO_STR_STATE_DIR: join(base, "state"),
    CENVERO_STR_LOG_DIR: join(base, "log"),
    CENVERO_STR_RUN_DIR: join(base, "run"),
    CENVERO_STR_CONFIG_DIR: join(base, "config"),
    CENVERO_STR_LOG_LEVEL: "warn",
  };
}

export interface DemoAgents {
  stop(): Promise<void>;
}

/**
 * Local demo nodes for the embedded default: real agent processes in simulate mode (no root, no
 * kernel changes), enrolled through a real join token marked demo, so the panel shows them as such.
 */
export async function startDemoAgents(options: {
  db: Database;
  logger: Logger;
  panelUrl: string;
  count: number;
  dataDir: string;
}): Promise<DemoAgents> {
  const { db, logger, panelUrl, count } = options;
  const root = join(options.dataDir, "demo-agents");
  const children: ChildProcess[] = [];
  const envFor = (i: number) => localAgentEnv(join(root, `demo-${i}`));
  const pending = Array.from({ length: count }, (_, i) => i + 1).filter(
    (i) => !existsSync(join(root, `demo-${i}`, "state", "enrollment.json")),
  );
  if (pending.length > 0) {
    const { token } = await db.prisma.$transaction((tx) =>
      createJoinToken(tx, {
        description: "Local demo agents (npm start)",
        mode: "compute",
        labels: { demo: "true" },
        maxUses: pending.length,
        expiresInHours: 1,
        demo: true,
      }),
    );
    for (const i of pending) {
      await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", agentBin, "enroll", "--panel", panelUrl, "--token", token, "--name", `demo-${i}`],
        { env: envFor(i) },
      ).catch((error: Error & { stderr?: string }) => {
        throw new Error(`demo agent demo-${i} could not enroll: ${error.stderr?.trim() || error.message}`);
      });
    }
  }
  for (let i = 1; i <= count; i++) {
    const child = spawn(process.execPath, ["--import", "tsx", agentBin, "run", "--simulate"], {
      env: envFor(i),
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", (d: Buffer) =>
      logger.warn({ demoAgent: `demo-${i}` }, d.toString().trim().slice(0, 500)),
    );
    children.push(child);
  }
  logger.info({ count }, `started ${count} demo agent(s) in simulate mode`);
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
              setTimeout(() => c.kill("SIGKILL"), 5000).unref();
            }),
        ),
      );
    },
  };
}

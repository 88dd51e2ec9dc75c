import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLiveFeed, createTrpcHandler, issueSetupCode } from "@stratum/api";
import { requestMeta } from "@stratum/api/http";
import { type Database, installationId, openDatabase, readDbEnv } from "@stratum/db";
import { readMigrationFiles, runMigrations } from "@stratum/db/migrate";
import { createEnrollHandler, FleetHub } from "@stratum/fleet";
import pino, { type Logger } from "pino";
import { type DemoAgents, startDemoAgents } from "./demo-agents.ts";
import type { TPanelEnv } from "./env.ts";
import { checkHealth, sendJson } from "./health.ts";
import {
  createRequestRouter,
  createUpgradeRouter,
  type RequestHandler,
  type UpgradeHandler,
} from "./routes.ts";

const panelDir = join(dirname(fileURLToPath(import.meta.url)), "..");

export function productVersion(): string {
  const pkg = JSON.parse(readFileSync(join(panelDir, "../../package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export interface StartPanelOptions {
  env: TPanelEnv;
  /** Serve the Next.js UI; tests and benchmarks of the API can leave it out. */
  ui: boolean;
  logger?: Logger;
  databaseUrl?: string;
  dataDir?: string;
}

export interface RunningPanel {
  server: Server;
  url: string;
  db: Database;
  logger: Logger;
  setupCode: string | null;
  hub: FleetHub;
  close(): Promise<void>;
}

async function loadNext(
  dev: boolean,
  logger: Logger,
): Promise<{ handle: RequestHandler; upgrade?: UpgradeHandler; close(): Promise<void> }> {
  const { default: next } = await import("next");
  const app = next({ dev, dir: panelDir, quiet: !dev });
  await app.prepare();
  logger.info({ dev }, "panel UI ready");
  const handle = app.getRequestHandler();
  return {
    handle: (req, res) => handle(req, res),
    upgrade: dev ? (app.getUpgradeHandler() as UpgradeHandler) : undefined,
    close: () => app.close(),
  };
}

/** Opens and migrates the database, then serves the API, the agent endpoints and the UI on one port. */
export async function startPanel(options: StartPanelOptions): Promise<RunningPanel> {
  const { env } = options;
  const logger = options.logger ?? pino({ level: env.LOG_LEVEL, base: { service: "stratum-panel" } });
  const version = productVersion();
  const dbEnv = readDbEnv();
  const db = await openDatabase({
    databaseUrl: options.databaseUrl ?? dbEnv.databaseUrl,
    dataDir: options.dataDir ?? dbEnv.dataDir,
  });
  logger.info({ database: db.kind, location: db.location }, "database opened");
  try {
    const applied = await runMigrations(db.sql, {
      onApplied: (name, ms) => logger.info({ migration: name, ms }, "migration applied"),
    });
    logger.info({ applied: applied.length }, "database schema is current");
  } catch (error) {
    await db.close();
    throw error;
  }

  const migrationFiles = readMigrationFiles();
  const production = env.NODE_ENV === "production";
  const live = createLiveFeed(db, (err) => logger.warn({ err }, "ignored malformed live event"));
  const publicOrigins = env.STRATUM_PUBLIC_URL ? [new URL(env.STRATUM_PUBLIC_URL).origin] : [];
  const offlineAfterMs = env.STRATUM_OFFLINE_AFTER_SECONDS * 1000;
  const metaOptions = { trustProxy: env.STRATUM_TRUST_PROXY, publicOrigins };
  const trpc = createTrpcHandler({ db, logger, live, version, production, offlineAfterMs }, metaOptions);
  const audience = `urn:stratum:installation:${await installationId(db)}`;
  const hub = new FleetHub({ db, logger, audience, offlineAfterMs });
  await hub.start();
  const enroll = createEnrollHandler({
    db,
    logger,
    context: async (req) => {
      const meta = requestMeta(req, metaOptions);
      return { audience, panelUrl: meta.panelOrigin ?? "", sourceIp: meta.sourceIp };
    },
  });
  const ui = options.ui ? await loadNext(!production, logger) : undefined;

  const server = createServer(
    createRequestRouter({
      health: async (_req, res) => {
        const report = await checkHealth(db, version, migrationFiles);
        sendJson(res, report.status === "ok" ? 200 : 503, report);
      },
      trpc,
      agentApi: async (req, res) => {
        if (!(await enroll(req, res)))
          sendJson(res, 404, { error: "not_found", message: "No agent endpoint at this path." });
      },
      next:
        ui?.handle ??
        ((_req, res) =>
          sendJson(res, 404, { error: "not_found", message: "This server runs without the UI." })),
    }),
  );
  server.on(
    "upgrade",
    createUpgradeRouter({
      agent: (req, socket, head) => hub.handleUpgrade(req, socket, head),
      next: ui?.upgrade,
    }),
  );
  server.on("clientError", (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const url = `http://${shownHost}:${port}`;

  const setupCode = await issueSetupCode(db);
  logger.info({ url, version, database: db.kind }, `Stratum panel listening on ${url}`);
  if (setupCode) {
    logger.info(
      { setupUrl: `${url}/setup`, setupCode },
      `First run: open ${url}/setup and enter the setup code ${setupCode}`,
    );
    if (env.STRATUM_SETUP_CODE_FILE)
      writeFileSync(env.STRATUM_SETUP_CODE_FILE, `${setupCode}\n`, { mode: 0o600 });
  }

  let demo: DemoAgents | undefined;
  const embedded = db.kind === "pglite" && !options.databaseUrl;
  if (embedded && env.STRATUM_DEMO_AGENTS > 0) {
    demo = await startDemoAgents({
      db,
      logger,
      panelUrl: url.replace("localhost", "127.0.0.1"),
      count: env.STRATUM_DEMO_AGENTS,
      dataDir: options.dataDir ?? dbEnv.dataDir,
    });
  }

  let closing: Promise<void> | undefined;
  return {
    server,
    url,
    db,
    logger,
    setupCode,
    hub,
    close() {
      closing ??= (async () => {
        await demo?.stop();
        await hub.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await live.close();
        await ui?.close();
        await db.close();
      })();
      return closing;
    },
  };
}

import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readDbEnv } from "./env.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import type { SqlRunner, SqlSession } from "./sql.ts";

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  sql: SqlRunner;
  /** A description safe to log: the data directory or the server address, never credentials. */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite only: keep everything in memory (tests). */
  inMemory?: boolean;
  poolSize?: number;
}

/**
 * Opens the database the environment asks for: PostgreSQL when DATABASE_URL is set,
 * otherwise embedded PGlite persisted under STRATUM_DATA_DIR.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const env = readDbEnv();
  const databaseUrl = options.inMemory ? undefined : (options.databaseUrl ?? env.databaseUrl);
  if (databaseUrl) return openPostgres(databaseUrl, options.poolSize ?? 10);
  return openPglite(options.inMemory ? undefined : (options.dataDir ?? env.dataDir));
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "postgres";
  }
}

function openPostgres(connectionString: string, max: number): Database {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listener = createListener(connectionString);
  const sql: SqlRunner = {
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          query: async (text, params) => (await client.query(text, params)).rows,
          exec: async (script) => {
            await client.query(script);
          },
        });
      } finally {
        client.release();
      }
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async notify(channel, payload) {
      await pool.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
  };
  return {
    kind: "postgres",
    prisma,
    sql,
    location: describeUrl(connectionString),
    async close() {
      await prisma.$disconnect();
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * One dedicated connection carries every LISTEN of this process, so subscriptions never take
 * connections from the pool. A lost connection is re-established and re-subscribed.
 */
function createListener(connectionString: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: Promise<pg.Client> | undefined;
  let closed = false;
  const connect = (): Promise<pg.Client> => {
    client ??= (async () => {
      const c = new pg.Client({ connectionString });
      c.on("notification", (msg) => {
        for (const handler of handlers.get(msg.channel) ?? []) handler(msg.payload ?? "");
      });
      const lost = () => {
        client = undefined;
        if (!closed && handlers.size > 0) setTimeout(() => void connect().catch(() => {}), 1000).unref();
      };
      c.on("error", lost);
      c.on("end", lost);
      await c.connect();
      for (const channel of handlers.keys()) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return c;
    })();
    client.catch(() => {
      client = undefined;
    });
    return client;
  };
  return {
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      const existing = handlers.get(channel);
      const set = existing ?? new Set<(payload: string) => void>();
      if (!existing) handlers.set(channel, set);
      set.add(onPayload);
      const c = await connect();
      if (!existing) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        set.delete(onPayload);
        if (set.size > 0 || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        if (client) await (await client).query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
      };
    },
    async close(): Promise<void> {
      closed = true;
      handlers.clear();
      if (client) await (await client.catch(() => undefined))?.end().catch(() => {});
      client = undefined;
    },
  };
}

// PGlite serves one connection per process; reuse the instance across hot reloads and callers.
const globalPglite = globalThis as unknown as { __stratumPglite?: Map<string, PGlite> };

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let instance: PGlite;
  if (dataDir) {
    globalPglite.__stratumPglite ??= new Map();
    const existing = globalPglite.__stratumPglite.get(dataDir);
    if (existing && !existing.closed) {
      instance = existing;
    } else {
      mkdirSync(dataDir, { recursive: true });
      instance = await PGlite.create(dataDir);
      globalPglite.__stratumPglite.set(dataDir, instance);
    }
  } else {
    instance = await PGlite.create();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(instance) });
  const session: SqlSession = {
    query: async (text, params) => (await instance.query(text, params)).rows as never[],
    exec: async (script) => {
      await instance.exec(script);
    },
  };
  const sql: SqlRunner = {
    withSession: (fn) => fn(session),
    async listen(channel, onPayload) {
      const unlisten = await instance.listen(channel, onPayload);
      return async () => unlisten();
    },
    async notify(channel, payload) {
      await instance.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
  };
  return {
    kind: "pglite",
    prisma,
    sql,
    location: dataDir ?? "memory",
    async close() {
      await prisma.$disconnect();
      if (dataDir) globalPglite.__stratumPglite?.delete(dataDir);
      await instance.close();
    },
  };
}

export * from "./generated/prisma/client.ts";
export { PrismaClient };

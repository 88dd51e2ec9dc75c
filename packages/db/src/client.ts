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
  const listeners = new Set<pg.PoolClient>();
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
    async listen(channel, onPayload) {
      const client = await pool.connect();
      listeners.add(client);
      const handler = (msg: pg.Notification) => {
        if (msg.channel === channel) onPayload(msg.payload ?? "");
      };
      client.on("notification", handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off("notification", handler);
        listeners.delete(client);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        client.release();
      };
    },
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
      for (const client of listeners) client.release();
      listeners.clear();
      await pool.end();
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

import type { ServerResponse } from "node:http";
import type { Database } from "@stratum/db";
import { type MigrationFile, migrationStatus } from "@stratum/db/migrate";

export interface HealthReport {
  status: "ok" | "unavailable";
  version: string;
  database: {
    kind: "pglite" | "postgres";
    migrations: "current" | "pending" | "error" | "unknown";
    error?: string;
  };
}

/** 200 once the database answers and every migration is applied; 503 with the reason otherwise. */
export async function checkHealth(
  db: Database,
  version: string,
  migrations: MigrationFile[],
): Promise<HealthReport> {
  const kind = db.kind;
  try {
    const status = await migrationStatus(db.sql, undefined, migrations);
    return {
      status: status.state === "current" ? "ok" : "unavailable",
      version,
      database: { kind, migrations: status.state, ...(status.error ? { error: status.error } : {}) },
    };
  } catch (error) {
    return {
      status: "unavailable",
      version,
      database: {
        kind,
        migrations: "unknown",
        error: `database unreachable: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

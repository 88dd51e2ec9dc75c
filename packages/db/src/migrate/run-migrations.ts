import { randomUUID } from "node:crypto";
import type { SqlRunner, SqlSession } from "../sql.ts";
import { type MigrationFile, readMigrationFiles } from "./migration-files.ts";

/** The advisory lock key `prisma migrate` takes, so this runner and Prisma's never interleave. */
export const MIGRATION_LOCK_KEY = 72707369;

// Identical to the table `prisma migrate deploy` creates, so both tools read each other's history.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export type MigrationErrorCode =
  | "CHECKSUM_MISMATCH"
  | "FAILED_MIGRATION"
  | "UNKNOWN_MIGRATION"
  | "APPLY_FAILED";

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationPlan {
  applied: string[];
  pending: MigrationFile[];
}

/** Compares the recorded history with the files; throws when they cannot be reconciled. */
function plan(files: MigrationFile[], rows: AppliedRow[]): MigrationPlan {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.find((r) => r.finished_at === null);
  if (failed) {
    throw new MigrationError(
      "FAILED_MIGRATION",
      `Migration ${failed.migration_name} failed earlier and is recorded as unfinished. Fix the database by hand, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name}) and start again.`,
      failed.migration_name,
    );
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of live) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        "UNKNOWN_MIGRATION",
        `The database has migration ${row.migration_name}, which this build does not know. The database belongs to a newer Stratum version: run that version, or restore a matching backup.`,
        row.migration_name,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        "CHECKSUM_MISMATCH",
        `Migration ${row.migration_name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). Restore the original migration.sql; changes belong in a new migration.`,
        row.migration_name,
      );
    }
  }
  const done = new Set(live.map((r) => r.migration_name));
  return { applied: [...done], pending: files.filter((f) => !done.has(f.name)) };
}

async function readHistory(session: SqlSession): Promise<AppliedRow[]> {
  const exists = await session.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return [];
  return session.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

export interface MigrationStatus {
  state: "current" | "pending" | "error";
  applied: string[];
  pending: string[];
  error?: string;
}

/** Pass `files` when the caller already read them (a health check asks often; the files never change). */
export async function migrationStatus(
  sql: SqlRunner,
  dir?: string,
  files: MigrationFile[] = readMigrationFiles(dir),
): Promise<MigrationStatus> {
  return sql.withSession(async (session) => {
    try {
      const p = plan(files, await readHistory(session));
      return {
        state: p.pending.length === 0 ? "current" : "pending",
        applied: p.applied,
        pending: p.pending.map((f) => f.name),
      };
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      return { state: "error", applied: [], pending: [], error: error.message };
    }
  });
}

export interface RunMigrationsOptions {
  dir?: string;
  onApplied?: (name: string, ms: number) => void;
}

/**
 * Applies pending migrations in order, each in its own transaction, under the advisory lock,
 * recording each in `_prisma_migrations` as `prisma migrate deploy` would.
 */
export async function runMigrations(sql: SqlRunner, options: RunMigrationsOptions = {}): Promise<string[]> {
  const files = readMigrationFiles(options.dir);
  return sql.withSession(async (session) => {
    await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(CREATE_MIGRATIONS_TABLE);
      const { pending } = plan(files, await readHistory(session));
      const applied: string[] = [];
      for (const file of pending) {
        const started = new Date();
        try {
          await session.exec("BEGIN");
          await session.exec(file.sql);
          await session.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), file.checksum, file.name, started],
          );
          await session.exec("COMMIT");
        } catch (error) {
          await session.exec("ROLLBACK").catch(() => {});
          const reason = error instanceof Error ? error.message : String(error);
          throw new MigrationError(
            "APPLY_FAILED",
            `Migration ${file.name} failed and was rolled back; the database is unchanged by it. Cause: ${reason}`,
            file.name,
          );
        }
        applied.push(file.name);
        options.onApplied?.(file.name, Date.now() - started.getTime());
      }
      return applied;
    } finally {
      await session.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  });
}

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../client.ts";
import { type PostgresServer, startPostgres } from "../testing/postgres-server.ts";
import { defaultMigrationsDir, readMigrationFiles } from "./migration-files.ts";
import { MigrationError, migrationStatus, runMigrations } from "./run-migrations.ts";
import { findSchemaDrift } from "./schema-drift.ts";

let server: PostgresServer;
let dbCounter = 0;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const backends: [string, () => Promise<Database>][] = [
  ["pglite", () => openDatabase({ inMemory: true })],
  [
    "postgres",
    async () => openDatabase({ databaseUrl: await server.createDatabase(`migrate_${++dbCounter}`) }),
  ],
];

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), "stratum-migrations-"));
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

describe.each(backends)("migration runner on %s", (_kind, open) => {
  it("applies every migration once and records it as prisma migrate deploy does", async () => {
    const db = await open();
    try {
      expect((await migrationStatus(db.sql)).state).toBe("pending");
      const applied = await runMigrations(db.sql);
      const files = readMigrationFiles();
      expect(applied).toEqual(files.map((f) => f.name));
      const rows = await db.sql.withSession((s) =>
        s.query<{
          id: string;
          checksum: string;
          migration_name: string;
          finished_at: Date | null;
          logs: string | null;
          rolled_back_at: Date | null;
          applied_steps_count: number;
        }>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`),
      );
      expect(
        rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.logs, r.rolled_back_at]),
      ).toEqual(files.map((f) => [f.name, f.checksum, 1, null, null]));
      for (const row of rows) {
        expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.finished_at).not.toBeNull();
      }
      expect(await runMigrations(db.sql)).toEqual([]);
      expect((await migrationStatus(db.sql)).state).toBe("current");
    } finally {
      await db.close();
    }
  });

  it("leaves no drift between the Prisma schema and the migrated catalog", async () => {
    const db = await open();
    try {
      await runMigrations(db.sql);
      expect(await db.sql.withSession((s) => findSchemaDrift(s))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("detects drift when the catalog and schema disagree", async () => {
    const db = await open();
    try {
      await runMigrations(db.sql);
      await db.sql.withSession((s) =>
        s.exec(
          `ALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL; DROP INDEX "sessions_expires_at_idx"; ALTER TABLE "settings" ADD COLUMN "extra" TEXT`,
        ),
      );
      const drift = await db.sql.withSession((s) => findSchemaDrift(s));
      expect(drift).toEqual(
        expect.arrayContaining([
          expect.stringContaining("users.name is nullable"),
          expect.stringContaining("index sessions_expires_at_idx"),
          expect.stringContaining("settings.extra exists in the database"),
        ]),
      );
    } finally {
      await db.close();
    }
  });

  it("refuses to start when an applied migration's file has changed", async () => {
    const dir = copyMigrations();
    const db = await open();
    try {
      await runMigrations(db.sql, { dir });
      const first = readMigrationFiles(dir)[0]!;
      writeFileSync(join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited\n`);
      const error = await runMigrations(db.sql, { dir }).catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.code).toBe("CHECKSUM_MISMATCH");
      expect((await migrationStatus(db.sql, dir)).state).toBe("error");
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rolls back a failing migration completely and records nothing for it", async () => {
    const dir = copyMigrations();
    const db = await open();
    try {
      mkdirSync(join(dir, "29991231000000_broken"));
      writeFileSync(
        join(dir, "29991231000000_broken", "migration.sql"),
        `CREATE TABLE "half_done" (id INT);\nSELECT * FROM "no_such_table";\n`,
      );
      const error = await runMigrations(db.sql, { dir }).catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.code).toBe("APPLY_FAILED");
      expect(error.message).toContain("29991231000000_broken");
      const state = await db.sql.withSession(async (s) => ({
        table: (await s.query<{ t: string | null }>(`SELECT to_regclass('half_done')::text AS t`))[0]?.t,
        names: (
          await s.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`)
        ).map((r) => r.migration_name),
      }));
      expect(state.table).toBeNull();
      expect(state.names).not.toContain("29991231000000_broken");
      expect(state.names.length).toBe(readMigrationFiles().length);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a database that has a migration this build does not know", async () => {
    const db = await open();
    try {
      await runMigrations(db.sql);
      await db.sql.withSession((s) =>
        s.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('00000000-0000-4000-8000-000000000000', 'x', now(), '29990101000000_future', 1)`,
        ),
      );
      const error = await runMigrations(db.sql).catch((e) => e);
      expect(error.code).toBe("UNKNOWN_MIGRATION");
    } finally {
      await db.close();
    }
  });

  it("keeps the audit log append-only", async () => {
    const db = await open();
    try {
      await runMigrations(db.sql);
      await db.prisma.auditEvent.create({ data: { action: "test.write", targetType: "test" } });
      await expect(db.prisma.auditEvent.updateMany({ data: { action: "changed" } })).rejects.toThrow(
        /append-only/,
      );
      await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
      expect(await db.prisma.auditEvent.count()).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe("concurrent runners on one PostgreSQL", () => {
  it("serialise on the advisory lock and apply each migration once", async () => {
    const url = await server.createDatabase("migrate_concurrent");
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: url })));
    try {
      const results = await Promise.all(dbs.map((db) => runMigrations(db.sql)));
      expect(results.flat().sort()).toEqual(readMigrationFiles().map((f) => f.name));
      const count = await dbs[0]!.sql.withSession((s) =>
        s.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`),
      );
      expect(count[0]?.n).toBe(readMigrationFiles().length);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});

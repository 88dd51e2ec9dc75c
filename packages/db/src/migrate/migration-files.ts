import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface MigrationFile {
  /** Folder name, e.g. `20261122000000_init`; migrations apply in this order. */
  name: string;
  sql: string;
  /** SHA-256 of the file's bytes, hex, as `prisma migrate` records it. */
  checksum: string;
}

export const defaultMigrationsDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../prisma/migrations",
);

const MIGRATION_NAME = /^\d{14}_[a-z0-9_]+$/;

export function readMigrationFiles(dir: string = defaultMigrationsDir): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`Migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      if (!MIGRATION_NAME.test(name)) {
        throw new Error(`Migration folder "${name}" must be named <14-digit timestamp>_<snake_case_name>`);
      }
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    });
}

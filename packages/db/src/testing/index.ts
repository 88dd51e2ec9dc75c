import { type Database, openDatabase } from "../client.ts";
import { runMigrations } from "../migrate/run-migrations.ts";

export { freePort, type PostgresServer, startPostgres } from "./postgres-server.ts";

/** A migrated database for tests: in-memory PGlite, or the given PostgreSQL URL. */
export async function openMigratedDatabase(databaseUrl?: string): Promise<Database> {
  const db = databaseUrl ? await openDatabase({ databaseUrl }) : await openDatabase({ inMemory: true });
  await runMigrations(db.sql);
  return db;
}

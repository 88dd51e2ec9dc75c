import { openDatabase } from "@stratum/db";
import { migrationStatus, runMigrations } from "@stratum/db/migrate";
import { Command } from "commander";
import type { Io } from "../io.ts";

export function dbCommand(io: Io): Command {
  const db = new Command("db").description(
    "Database schema tasks (PostgreSQL from DATABASE_URL, else the embedded database)",
  );
  db.command("migrate")
    .description("Apply pending migrations, each in its own transaction")
    .action(async () => {
      const database = await openDatabase();
      try {
        io.out(`Database: ${database.kind} at ${database.location}\n`);
        const applied = await runMigrations(database.sql, {
          onApplied: (name, ms) => io.out(`  applied ${name} (${ms} ms)\n`),
        });
        io.out(
          applied.length
            ? `Applied ${applied.length} migration(s); the schema is current.\n`
            : "Nothing to apply; the schema is current.\n",
        );
      } finally {
        await database.close();
      }
    });
  db.command("status")
    .description("Show applied and pending migrations")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const database = await openDatabase();
      try {
        const status = await migrationStatus(database.sql);
        if (options.json) io.out(`${JSON.stringify({ database: database.kind, ...status })}\n`);
        else {
          io.out(`Database: ${database.kind} at ${database.location}\nState: ${status.state}\n`);
          for (const name of status.applied) io.out(`  applied  ${name}\n`);
          for (const name of status.pending) io.out(`  pending  ${name}\n`);
          if (status.error) io.out(`  error    ${status.error}\n`);
        }
        if (status.state === "error") process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
  return db;
}

export { defaultMigrationsDir, type MigrationFile, readMigrationFiles } from "./migration-files.ts";
export {
  MIGRATION_LOCK_KEY,
  MigrationError,
  type MigrationStatus,
  migrationStatus,
  runMigrations,
} from "./run-migrations.ts";

export { type Database, type DatabaseKind, type OpenDatabaseOptions, openDatabase } from "./client.ts";
export { readDbEnv, type TDbEnv } from "./env.ts";
export { installationId } from "./installation.ts";
export type { SqlRunner, SqlSession } from "./sql.ts";

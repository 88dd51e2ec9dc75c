import { defineConfig } from "prisma/config";

// The CLI reads this file; the application builds its own client in @stratum/db.
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/stratum" },
});

#!/usr/bin/env node
// `npm run bench -- <suite> [options]`: runs bench/<suite>/run.ts with tsx.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [suite, ...args] = process.argv.slice(2);
const suites = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(import.meta.dirname, d.name, "run.ts")))
  .map((d) => d.name);
if (!suite || !suites.includes(suite)) {
  console.error(
    `usage: npm run bench -- <suite> [options]   (suites: ${suites.join(", ")}; add --help for a suite's options)`,
  );
  process.exit(2);
}
const run = spawnSync(
  process.execPath,
  ["--import", "tsx", join(import.meta.dirname, suite, "run.ts"), ...args],
  { stdio: "inherit" },
);
process.exit(run.status ?? 1);

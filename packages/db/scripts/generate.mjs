// Runs `prisma generate`. Prisma 7's CLI insists on a schema engine binary even though
// generate never uses it; where none could be downloaded, point it at an existing file.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const require = createRequire(import.meta.url);
const env = { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };

function engineIsPresent() {
  try {
    const dir = dirname(require.resolve("@prisma/engines/package.json"));
    return readdirSync(dir).some((f) => f.startsWith("schema-engine"));
  } catch {
    return false;
  }
}
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !engineIsPresent()) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const cli = join(dirname(require.resolve("prisma/package.json")), "build/index.js");
if (!existsSync(cli)) throw new Error(`prisma CLI not found at ${cli}`);
execFileSync(process.execPath, [cli, "generate", "--config", join(root, "prisma.config.ts")], {
  cwd: root,
  env,
  stdio: "inherit",
});

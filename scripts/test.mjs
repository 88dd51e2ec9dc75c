#!/usr/bin/env node
// `npm test`: every check the project has, in order, stopping at the first failure, then one
// summary line with the number of tests that passed and failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const results = join(root, ".test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  STRATUM_TEST_RESULTS: results,
};

const steps = [
  ["typecheck", "npx", ["turbo", "run", "typecheck", "--concurrency=2", "--log-order=grouped"]],
  ["lint", "npx", ["biome", "ci", "."]],
  [
    "unit and integration tests",
    "npx",
    [
      "turbo",
      "run",
      "test",
      "--filter=!@stratum/playwright",
      "--concurrency=2",
      "--log-order=grouped",
      "--",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=.vitest-report.json",
    ],
  ],
  [
    "panel production build",
    "npx",
    ["turbo", "run", "build", "--filter=@stratum/panel", "--log-order=grouped"],
  ],
  ["end-to-end tests in Chromium", "npm", ["run", "test", "-w", "@stratum/playwright"]],
];

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const workspaces = ["apps", "packages"]
    .flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)))
    .concat([join(root, "agent")]);
  for (const dir of workspaces) {
    const file = join(dir, ".vitest-report.json");
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
  const e2e = join(results, "playwright.json");
  if (existsSync(e2e)) {
    const { stats } = JSON.parse(readFileSync(e2e, "utf8"));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    skipped += stats.skipped;
  }
  return { passed, failed, skipped };
}

let failure;
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  console.log(
    `=== ${name}: ${run.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (run.status !== 0) {
    failure = name;
    break;
  }
}

const { passed, failed, skipped } = summarize();
if (failure) console.log(`\nFailed at: ${failure}`);
if (process.env.CI && skipped > 0) {
  console.log(`\n${skipped} test(s) were skipped; in CI every test must run.`);
  failure ??= "skipped tests";
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failure || failed > 0 ? 1 : 0);

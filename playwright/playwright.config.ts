import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = 3917;
export const BASE_URL = `http://127.0.0.1:${PORT}`;

// Every run starts from a fresh installation. Playwright loads this file in the runner and in each
// worker, so the directory is created once and handed to the workers through the environment.
process.env.STRATUM_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "stratum-e2e-"));
const dataDir = process.env.STRATUM_E2E_DATA_DIR;

/** Where the panel writes the first-run setup code; the specs read it from here. */
export const SETUP_CODE_FILE = join(dataDir, "setup-code");

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "report" }]] : "list",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // All specs share one panel and one database. Files run in name order, so the spec that needs a
  // fresh installation is its own project and the rest depend on it; each spec still signs in alone.
  projects: [
    { name: "operators", testMatch: "operators.spec.ts", use: { browserName: "chromium" } },
    {
      name: "chromium",
      testIgnore: "operators.spec.ts",
      dependencies: ["operators"],
      use: { browserName: "chromium" },
    },
  ],
  webServer: {
    command: "npm run start -w @stratum/panel",
    cwd: "..",
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      STRATUM_DATA_DIR: join(dataDir, "data"),
      STRATUM_SETUP_CODE_FILE: SETUP_CODE_FILE,
      STRATUM_DEMO_AGENTS: "0",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});

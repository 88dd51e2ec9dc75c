import { defineConfig } from "vitest/config";

/**
 * Tests that need root are named `*.privileged.test.ts`. They run whenever the process is root or
 * CI is set; in CI a missing prerequisite is a failure, never a skip.
 */
export const runPrivileged = process.getuid?.() === 0 || process.env.CI === "true";

export function stratumVitest(overrides: { exclude?: string[]; testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
      exclude: [
        "**/node_modules/**",
        "**/generated/**",
        ...(runPrivileged ? [] : ["**/*.privileged.test.ts"]),
        ...(overrides.exclude ?? []),
      ],
      testTimeout: overrides.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      pool: "forks",
    },
  });
}

import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, computeBackoff } from "./compute-backoff.ts";

describe("computeBackoff", () => {
  it("doubles per attempt within [window/2, window]", () => {
    expect(computeBackoff(0, () => 0)).toBe(250);
    expect(computeBackoff(0, () => 1)).toBe(500);
    expect(computeBackoff(3, () => 0)).toBe(2_000);
    expect(computeBackoff(3, () => 1)).toBe(4_000);
  });

  it("never exceeds 30 s however many attempts failed", () => {
    for (const attempt of [6, 7, 20, 1_000, Number.POSITIVE_INFINITY]) {
      expect(computeBackoff(attempt, () => 1)).toBe(BACKOFF_CAP_MS);
      expect(computeBackoff(attempt, () => 0)).toBe(BACKOFF_CAP_MS / 2);
    }
  });

  it("spreads agents apart", () => {
    const delays = new Set(Array.from({ length: 50 }, () => computeBackoff(10)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

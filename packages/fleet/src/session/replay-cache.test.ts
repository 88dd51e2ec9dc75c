import { describe, expect, it } from "vitest";
import { ReplayCache } from "./replay-cache.ts";
import { ReplayCacheFullError } from "./session-errors.ts";

describe("ReplayCache", () => {
  it("detects a replay inside the window and forgets it afterwards", () => {
    let now = 0;
    const cache = new ReplayCache({ windowMs: 120_000, now: () => now });
    expect(cache.remember("node-a", "jti-1")).toBe(true);
    now = 119_999;
    expect(cache.remember("node-a", "jti-1")).toBe(false);
    now = 120_000;
    expect(cache.remember("node-a", "jti-1")).toBe(true);
  });

  it("scopes jti values by node", () => {
    const cache = new ReplayCache();
    expect(cache.remember("node-a", "same")).toBe(true);
    expect(cache.remember("node-b", "same")).toBe(true);
  });

  it("stays bounded: expired entries are purged and a full window of live ones is refused", () => {
    let now = 0;
    const cache = new ReplayCache({ capacity: 3, windowMs: 1_000, now: () => now });
    for (const jti of ["a", "b", "c"]) cache.remember("n", jti);
    expect(() => cache.remember("n", "d")).toThrow(ReplayCacheFullError);
    expect(cache.size).toBe(3);
    now = 1_000;
    expect(cache.remember("n", "d")).toBe(true);
    expect(cache.size).toBe(1);
  });
});

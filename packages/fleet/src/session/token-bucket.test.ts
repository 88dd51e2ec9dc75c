import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.ts";

describe("TokenBucket", () => {
  it("allows a burst up to capacity, then refills at the configured rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 2, now: () => now });
    for (let i = 0; i < 5; i++) expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now = 499;
    expect(bucket.tryTake()).toBe(false);
    now = 500;
    expect(bucket.tryTake()).toBe(true);
    now = 60_000;
    expect(bucket.available).toBe(5);
  });

  it("takes nothing when the cost exceeds what is left", () => {
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 0, now: () => 0 });
    expect(bucket.tryTake(8)).toBe(true);
    expect(bucket.tryTake(3)).toBe(false);
    expect(bucket.available).toBe(2);
  });

  it("ignores a clock stepping backwards", () => {
    let now = 1_000;
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, now: () => now });
    bucket.tryTake(2);
    now = 0;
    expect(bucket.available).toBe(0);
    now = 1_000;
    expect(bucket.available).toBe(1);
  });

  it("refuses nonsense configuration", () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
  });
});

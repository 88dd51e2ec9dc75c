import { describe, expect, it } from "vitest";
import { buildMaglevTable } from "./maglev.ts";

const SIZE = 1021;
const backends = Array.from({ length: 8 }, (_, i) => `10.0.0.${i + 1}:80`);

describe("Maglev table", () => {
  it("fills every slot and spreads them evenly", () => {
    const table = buildMaglevTable(backends, SIZE);
    const counts = backends.map((_, i) => table.filter((slot) => slot === i).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(SIZE);
    for (const count of counts) expect(Math.abs(count - SIZE / backends.length)).toBeLessThanOrEqual(2);
  });

  it("does not depend on the order backends are listed in", () => {
    const forward = buildMaglevTable(backends, SIZE).map((i) => backends[i]);
    const reversed = [...backends].reverse();
    expect(buildMaglevTable(reversed, SIZE).map((i) => reversed[i])).toEqual(forward);
  });

  it("moves (almost) only the removed backend's slots", () => {
    const before = buildMaglevTable(backends, SIZE).map((i) => backends[i]);
    const remaining = backends.filter((name) => name !== "10.0.0.3:80");
    const after = buildMaglevTable(remaining, SIZE).map((i) => remaining[i]);
    const moved = before.filter((name, slot) => name !== "10.0.0.3:80" && after[slot] !== name).length;
    expect(after).not.toContain("10.0.0.3:80");
    expect(moved / SIZE).toBeLessThan(0.05);
  });
});

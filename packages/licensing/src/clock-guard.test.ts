import { describe, expect, it } from "vitest";
import { guardClock } from "./clock-guard.ts";

const mark = new Date("2027-06-30T12:00:00Z");

describe("clock rollback guard", () => {
  it("uses the clock on first start and while it moves forward", () => {
    expect(guardClock(null, mark)).toEqual({ effectiveNow: mark, rollbackDetected: false, rollbackMs: 0 });
    const later = new Date(mark.getTime() + 60_000);
    expect(guardClock(mark, later)).toEqual({ effectiveNow: later, rollbackDetected: false, rollbackMs: 0 });
  });

  it("keeps the high-water mark when the clock is wound back, and reports it", () => {
    const wound = new Date(mark.getTime() - 90 * 86_400_000);
    expect(guardClock(mark, wound)).toEqual({
      effectiveNow: mark,
      rollbackDetected: true,
      rollbackMs: 90 * 86_400_000,
    });
  });

  it("tolerates small steps back (NTP) without an alarm, still never going back", () => {
    const stepped = new Date(mark.getTime() - 30_000);
    expect(guardClock(mark, stepped)).toEqual({ effectiveNow: mark, rollbackDetected: false, rollbackMs: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { formatRelativeTime } from "../lib/relative-time.ts";

const now = new Date("2026-05-01T12:00:00Z");
const at = (offsetSeconds: number) => new Date(now.getTime() + offsetSeconds * 1000).toISOString();

describe("formatRelativeTime", () => {
  it("reads anything within heartbeat jitter as now", () => {
    expect(formatRelativeTime(at(-4), now)).toBe("just now");
    expect(formatRelativeTime(at(3), now)).toBe("just now");
  });

  it("uses the largest whole unit in the past", () => {
    expect(formatRelativeTime(at(-42), now)).toBe("42 sec. ago");
    expect(formatRelativeTime(at(-150), now)).toBe("2 min. ago");
    expect(formatRelativeTime(at(-3 * 3600 - 59), now)).toBe("3 hr. ago");
    expect(formatRelativeTime(at(-86_400), now)).toBe("yesterday");
    expect(formatRelativeTime(at(-9 * 86_400), now)).toBe("9 days ago");
  });

  it("reads future times, such as a token's expiry, forwards", () => {
    expect(formatRelativeTime(at(24 * 3600), now)).toBe("tomorrow");
    expect(formatRelativeTime(at(5 * 3600), now)).toBe("in 5 hr.");
  });
});

/** Clocks drift and NTP steps them back a little; only a larger step counts as a rollback. */
export const CLOCK_ROLLBACK_TOLERANCE_MS = 5 * 60_000;

export interface ClockReading {
  /** The time licensing uses, never earlier than the highest time already seen; store it as the new mark. */
  effectiveNow: Date;
  rollbackDetected: boolean;
  /** How far the clock is behind the high-water mark, in ms; 0 without a rollback. */
  rollbackMs: number;
}

/**
 * Winding the clock back must not extend a license, so licensing uses the highest time the
 * installation has seen. The caller stores `effectiveNow` as the new mark (shared by every replica).
 */
export function guardClock(
  storedHighWaterMark: Date | null,
  now: Date,
  toleranceMs = CLOCK_ROLLBACK_TOLERANCE_MS,
): ClockReading {
  const mark = storedHighWaterMark && storedHighWaterMark > now ? storedHighWaterMark : now;
  const behind = mark.getTime() - now.getTime();
  return {
    effectiveNow: mark,
    rollbackDetected: behind > toleranceMs,
    rollbackMs: behind > toleranceMs ? behind : 0,
  };
}

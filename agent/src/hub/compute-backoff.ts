export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter" —
 * half the window fixed, half random — so a panel restart does not see every agent at once yet
 * no agent retries in a tight loop.
 */
export function computeBackoff(attempt: number, random: () => number = Math.random): number {
  const window = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  return Math.round(window / 2 + random() * (window / 2));
}

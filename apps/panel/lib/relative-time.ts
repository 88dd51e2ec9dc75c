const UNITS: readonly { unit: Intl.RelativeTimeFormatUnit; seconds: number }[] = [
  { unit: "day", seconds: 86_400 },
  { unit: "hour", seconds: 3_600 },
  { unit: "minute", seconds: 60 },
  { unit: "second", seconds: 1 },
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

/**
 * "5 min. ago", "in 3 hr.": the largest whole unit, so a glance tells an operator how stale a node is.
 * Anything within five seconds reads as now, because heartbeats jitter by that much.
 */
export function formatRelativeTime(iso: string, now: Date): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 5) return "just now";
  for (const { unit, seconds: size } of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

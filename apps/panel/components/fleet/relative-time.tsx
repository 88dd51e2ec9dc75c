"use client";

import { useEffect, useState } from "react";
import { formatDate, formatTime } from "@/lib/format";
import { formatRelativeTime } from "@/lib/relative-time";

/** Ticks every few seconds so "last seen" stays true between refreshes; the exact time is on hover. */
export function RelativeTime({ iso, empty = "never" }: { iso: string | null; empty?: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 5_000);
    return () => clearInterval(timer);
  }, []);
  if (!iso) return <span>{empty}</span>;
  return (
    <time dateTime={iso} title={`${formatDate(iso)} ${formatTime(iso)}`}>
      {formatRelativeTime(iso, now)}
    </time>
  );
}

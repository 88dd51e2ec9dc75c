"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { throttle } from "@/lib/throttle";
import { useTRPC } from "@/lib/trpc";

/**
 * Keeps every fleet query on the page current. A busy fleet reports many times a second, so the
 * re-reads are throttled to one per second rather than one per event.
 */
export function FleetLiveStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = useMemo(
    () =>
      throttle(() => {
        void queryClient.invalidateQueries({ queryKey: trpc.fleet.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.nodes.pathKey() });
      }, 1_000),
    [queryClient, trpc],
  );
  useEffect(() => refresh.cancel, [refresh]);
  const live = useSubscription(trpc.fleet.live.subscriptionOptions(undefined, { onData: refresh.call }));
  if (live.status === "pending") return <Badge tone="success">Live</Badge>;
  if (live.status === "error") return <Badge tone="danger">Live updates stopped; reload the page</Badge>;
  return <Badge tone="warning">Connecting…</Badge>;
}

import { cpus, freemem, totalmem } from "node:os";
import type { TClusterRole, TStatusFrame } from "@stratum/protocol";
import type { TReconcileSnapshot } from "../reconcile/reconciler.ts";

/** The status frame body: the reconciler's view plus what the host reports about itself. */
export function buildStatus(
  snapshot: TReconcileSnapshot,
  agentVersion: string,
  clusterRole: TClusterRole,
): Omit<TStatusFrame, "type"> {
  return {
    observedGeneration: snapshot.observedGeneration,
    health: snapshot.health,
    capacity: {
      cpus: Math.max(1, cpus().length),
      memoryBytes: totalmem(),
      memoryAvailableBytes: freemem(),
      // No endpoints can be attached until the data plane issue lands; zero is the true count.
      endpoints: 0,
    },
    agentVersion,
    clusterRole,
    conditions: snapshot.conditions,
    tasks: snapshot.tasks,
  };
}

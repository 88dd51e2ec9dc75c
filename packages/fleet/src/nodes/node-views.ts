import { ZClusterRole, ZCondition, ZHealth, ZNodeFacts, ZNodeMode } from "@stratum/protocol";
import { z } from "zod";

export const NODE_STATES = ["online", "offline", "revoked"] as const;
export const ZNodeState = z.enum(NODE_STATES);
export type TNodeState = z.infer<typeof ZNodeState>;

export const ZNodeSummary = z.object({
  id: z.string(),
  name: z.string(),
  hostname: z.string(),
  mode: ZNodeMode,
  state: ZNodeState,
  demo: z.boolean(),
  agentVersion: z.string().nullable(),
  lastSeenAt: z.iso.datetime().nullable(),
  enrolledAt: z.iso.datetime(),
  desiredGeneration: z.number(),
  observedGeneration: z.number(),
  generationLag: z.number(),
  health: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
});
export type TNodeSummary = z.infer<typeof ZNodeSummary>;

export const ZNodeEvent = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  kind: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export const ZNodeDetail = ZNodeSummary.extend({
  facts: ZNodeFacts.partial(),
  conditions: z.array(ZCondition),
  capacity: z.record(z.string(), z.number()).nullable(),
  clusterRole: ZClusterRole.nullable(),
  connectedAt: z.iso.datetime().nullable(),
  disconnectedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  lastRejection: z.string().nullable(),
  events: z.array(ZNodeEvent),
});
export type TNodeDetail = z.infer<typeof ZNodeDetail>;

export { ZHealth };

export interface NodeStateInput {
  revokedAt: Date | null;
  hubInstance: string | null;
  lastSeenAt: Date | null;
}

/** Online: connected to some panel replica and heard from within the offline window. */
export function nodeState(node: NodeStateInput, now: Date, offlineAfterMs: number): TNodeState {
  if (node.revokedAt) return "revoked";
  if (node.hubInstance && node.lastSeenAt && now.getTime() - node.lastSeenAt.getTime() <= offlineAfterMs)
    return "online";
  return "offline";
}

import { ZClusterRole, ZCondition, ZHealth, ZNodeMode, ZTaskProgress } from "@stratum/protocol";
import { z } from "zod";

export const LOCAL_API_ROUTES = { node: "/v1/node", cluster: "/v1/cluster" } as const;

const ZIso = z.iso.datetime({ offset: true });

export const ZHubSession = z.object({
  state: z.enum([
    "idle",
    "connecting",
    "authenticating",
    "connected",
    "waiting",
    "revoked",
    "stopping",
    "stopped",
  ]),
  url: z.string(),
  failedAttempts: z.number().int().min(0),
  sessionId: z.string().nullable(),
  protocolVersion: z.number().int().nullable(),
  connectedSince: ZIso.nullable(),
  nextAttemptAt: ZIso.nullable(),
  lastClose: z.object({ code: z.number().int(), name: z.string(), reason: z.string(), at: ZIso }).nullable(),
});
export type THubSession = z.infer<typeof ZHubSession>;

export const ZNodeInfo = z.object({
  nodeId: z.string(),
  name: z.string(),
  mode: ZNodeMode,
  hostname: z.string(),
  panelUrl: z.string(),
  agentVersion: z.string(),
  simulate: z.boolean(),
  startedAt: ZIso,
  publicKeyThumbprint: z.string(),
  hub: ZHubSession,
});
export type TNodeInfo = z.infer<typeof ZNodeInfo>;

export const ZClusterStatus = z.object({
  clusterRole: ZClusterRole,
  health: ZHealth,
  desiredGeneration: z.number().int().nullable(),
  observedGeneration: z.number().int(),
  lastReconciledAt: ZIso.nullable(),
  conditions: z.array(ZCondition),
  tasks: z.array(ZTaskProgress),
  hubState: ZHubSession.shape.state,
});
export type TClusterStatus = z.infer<typeof ZClusterStatus>;

export const ZLocalApiError = z.object({ error: z.string() });

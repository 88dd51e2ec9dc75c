import { z } from "zod";
import { ZProtocolRange, ZProtocolVersion } from "./version.ts";

/**
 * Every frame is one JSON object with a `type` discriminator. Objects strip unknown keys so that a
 * newer peer may add optional fields without a protocol version bump.
 */

const ZIdentifier = z.string().min(1).max(128);
const ZTimestamp = z.iso.datetime({ offset: true });
const ZGeneration = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ZNodeId = ZIdentifier;
export type TNodeId = z.infer<typeof ZNodeId>;

/**
 * Compact JWS: three base64url segments, size-capped so a huge token never reaches the verifier.
 * Empty segments pass on purpose: an unsigned (`alg: none`) token then fails in the verifier with a
 * reason naming its algorithm instead of a generic schema error.
 */
export const ZCompactJwt = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/, "not a compact JWS");

export const ZHealth = z.enum(["healthy", "degraded", "unhealthy", "unknown"]);
export type THealth = z.infer<typeof ZHealth>;

export const ZClusterRole = z.enum(["leader", "follower", "learner", "none", "unknown"]);
export type TClusterRole = z.infer<typeof ZClusterRole>;

/** Positive polarity, as in Kubernetes: status "True" is the good state for every condition type. */
export const ZCondition = z.object({
  type: z.string().min(1).max(64),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string().max(64),
  message: z.string().max(1024),
  lastTransition: ZTimestamp,
});
export type TCondition = z.infer<typeof ZCondition>;

export const ZTask = z.object({
  id: ZIdentifier,
  kind: z.string().min(1).max(64),
  spec: z.record(z.string(), z.unknown()),
});
export type TTask = z.infer<typeof ZTask>;

export const ZTaskState = z.enum(["pending", "running", "succeeded", "failed", "cancelled"]);
export type TTaskState = z.infer<typeof ZTaskState>;

export const ZTaskProgress = z.object({
  taskId: ZIdentifier,
  state: ZTaskState,
  percent: z.number().min(0).max(100),
  message: z.string().max(1024),
  updatedAt: ZTimestamp,
});
export type TTaskProgress = z.infer<typeof ZTaskProgress>;

export const ZCapacity = z.object({
  cpus: z.number().int().min(0),
  memoryBytes: z.number().int().min(0),
  memoryAvailableBytes: z.number().int().min(0),
  endpoints: z.number().int().min(0),
});
export type TCapacity = z.infer<typeof ZCapacity>;

export const ZErrorCode = z.enum([
  "frame_too_large",
  "invalid_encoding",
  "invalid_json",
  "unknown_frame_type",
  "invalid_frame",
  "unexpected_frame",
  "rate_limited",
  "internal",
]);
export type TErrorCode = z.infer<typeof ZErrorCode>;

/** Agent → hub, first frame of every session. */
export const ZHelloFrame = z.object({
  type: z.literal("hello"),
  protocol: ZProtocolRange,
  agentVersion: z.string().min(1).max(64),
  nodeId: ZNodeId,
  token: ZCompactJwt,
});
export type THelloFrame = z.infer<typeof ZHelloFrame>;

/** Hub → agent, after the session JWT verified and a version was negotiated. */
export const ZWelcomeFrame = z.object({
  type: z.literal("welcome"),
  protocolVersion: ZProtocolVersion,
  sessionId: ZIdentifier,
  heartbeatIntervalMs: z.number().int().min(1000).max(300_000),
  offlineAfterMs: z.number().int().min(1000).max(3_600_000),
  serverTime: ZTimestamp,
});
export type TWelcomeFrame = z.infer<typeof ZWelcomeFrame>;

/**
 * Hub → agent: everything the node must converge to, tagged with a monotonically increasing
 * generation. `config` is the signed .shub blob (opaque here; null until a config was signed).
 * Tasks are idempotent by id: the agent runs each id at most once.
 */
export const ZDesiredFrame = z.object({
  type: z.literal("desired"),
  generation: ZGeneration,
  config: z
    .string()
    .max(512 * 1024)
    .nullable(),
  tasks: z.array(ZTask).max(256),
});
export type TDesiredFrame = z.infer<typeof ZDesiredFrame>;

/** Agent → hub: the observed state, sent after every convergence and periodically. */
export const ZStatusFrame = z.object({
  type: z.literal("status"),
  observedGeneration: ZGeneration,
  health: ZHealth,
  capacity: ZCapacity,
  agentVersion: z.string().min(1).max(64),
  clusterRole: ZClusterRole,
  conditions: z.array(ZCondition).max(64),
  tasks: z.array(ZTaskProgress).max(256),
});
export type TStatusFrame = z.infer<typeof ZStatusFrame>;

/** Agent → hub: progress of one task between status frames, for progress bars. */
export const ZTaskProgressFrame = z.object({ type: z.literal("task-progress") }).extend(ZTaskProgress.shape);
export type TTaskProgressFrame = z.infer<typeof ZTaskProgressFrame>;

/** Agent → hub: a desired generation was received and parsed (not yet converged; see status). */
export const ZAckFrame = z.object({ type: z.literal("ack"), generation: ZGeneration });
export type TAckFrame = z.infer<typeof ZAckFrame>;

/** Either direction: a problem with a frame the peer sent; the session stays open unless closed. */
export const ZErrorFrame = z.object({
  type: z.literal("error"),
  code: ZErrorCode,
  message: z.string().max(1024),
});
export type TErrorFrame = z.infer<typeof ZErrorFrame>;

/** Either direction: heartbeat; the receiver answers with a pong carrying the same seq. */
export const ZPingFrame = z.object({ type: z.literal("ping"), seq: z.number().int().min(0) });
export type TPingFrame = z.infer<typeof ZPingFrame>;

export const ZPongFrame = z.object({ type: z.literal("pong"), seq: z.number().int().min(0) });
export type TPongFrame = z.infer<typeof ZPongFrame>;

export const ZAgentFrame = z.discriminatedUnion("type", [
  ZHelloFrame,
  ZStatusFrame,
  ZTaskProgressFrame,
  ZAckFrame,
  ZErrorFrame,
  ZPingFrame,
  ZPongFrame,
]);
export type TAgentFrame = z.infer<typeof ZAgentFrame>;

export const ZHubFrame = z.discriminatedUnion("type", [
  ZWelcomeFrame,
  ZDesiredFrame,
  ZErrorFrame,
  ZPingFrame,
  ZPongFrame,
]);
export type THubFrame = z.infer<typeof ZHubFrame>;

export const ZFrame = z.discriminatedUnion("type", [
  ZHelloFrame,
  ZWelcomeFrame,
  ZDesiredFrame,
  ZStatusFrame,
  ZTaskProgressFrame,
  ZAckFrame,
  ZErrorFrame,
  ZPingFrame,
  ZPongFrame,
]);
export type TFrame = z.infer<typeof ZFrame>;
export type TFrameType = TFrame["type"];

/** The `type` values a union of frame schemas accepts, read from the schemas themselves. */
export function frameTypesOf(union: {
  options: readonly { shape: { type: { value: string } } }[];
}): readonly string[] {
  return union.options.map((option) => option.shape.type.value);
}

export const FRAME_TYPES = frameTypesOf(ZFrame) as readonly TFrameType[];

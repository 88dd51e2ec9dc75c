import type { Prisma } from "./generated/prisma/client.ts";

/** NOTIFY channel for live pages: payload `{ topic, id? }`, fanned out by every panel replica. */
export const LIVE_CHANNEL = "stratum_live";

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditEntry {
  /** `<area>.<verb>`, e.g. `user.create`, `node.enroll`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** What changed, never secrets: field names with old and new values, counts, reasons. */
  summary?: Record<string, unknown>;
  /** Who acted, when it is not the session's user (sign-in, setup, an agent enrolling). */
  actor?: AuditActor;
}

/** Appends one event to the append-only audit log inside the caller's transaction; live pages hear of it on commit. */
export async function recordAudit(
  tx: Prisma.TransactionClient,
  actor: AuditActor | null,
  sourceIp: string | undefined,
  entry: AuditEntry,
): Promise<void> {
  const who = entry.actor ?? actor;
  const event = await tx.auditEvent.create({
    data: {
      actorId: who?.id ?? null,
      actorEmail: who?.email ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      sourceIp: sourceIp ?? null,
      summary: (entry.summary ?? {}) as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  await publishLive(tx, "audit", event.id.toString());
}

/** Tells live pages on every replica that `topic` changed, when the transaction commits. */
export async function publishLive(tx: Prisma.TransactionClient, topic: string, id?: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ topic, id })})`;
}

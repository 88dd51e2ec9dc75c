import type { Prisma } from "@stratum/db/client";
import { LIVE_CHANNEL } from "../live/live-feed.ts";

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditEntry {
  /** `<area>.<verb>`, e.g. `user.create`, `auth.login_failed`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** What changed, never secrets: field names with old and new values, counts, reasons. */
  summary?: Record<string, unknown>;
  /** Who acted, when it is not the session's user (sign-in, setup). */
  actor?: AuditActor;
}

/** Appends one audit event inside the caller's transaction; live pages hear of it on commit. */
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
  await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ topic: "audit", id: event.id.toString() })})`;
}

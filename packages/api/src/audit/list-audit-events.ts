import type { Prisma } from "@stratum/db/client";
import { z } from "zod";
import type { Context } from "../context.ts";

export const ZAuditFilter = z.object({
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(254).optional(),
  targetType: z.string().trim().max(64).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const ZAuditEvent = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
});

export const ZAuditPage = z.object({ items: z.array(ZAuditEvent), nextCursor: z.string().nullable() });

export async function listAuditEvents(
  ctx: Context,
  filter: z.infer<typeof ZAuditFilter>,
): Promise<z.infer<typeof ZAuditPage>> {
  const where: Prisma.AuditEventWhereInput = {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actor ? { actorEmail: { contains: filter.actor, mode: "insensitive" } } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.from || filter.to
      ? {
          at: {
            ...(filter.from ? { gte: new Date(filter.from) } : {}),
            ...(filter.to ? { lte: new Date(filter.to) } : {}),
          },
        }
      : {}),
    ...(filter.cursor ? { id: { lt: BigInt(filter.cursor) } } : {}),
  };
  const rows = await ctx.deps.db.prisma.auditEvent.findMany({
    where,
    orderBy: { id: "desc" },
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      actorEmail: r.actorEmail,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      sourceIp: r.sourceIp,
      summary: (r.summary ?? {}) as Record<string, unknown>,
    })),
    nextCursor: rows.length > filter.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}

import type { Database } from "@stratum/db";
import { ZCondition, ZNodeFacts } from "@stratum/protocol";
import { z } from "zod";
import { toNodeSummary } from "./list-nodes.ts";
import type { TNodeDetail } from "./node-views.ts";

export async function getNode(
  db: Database,
  id: string,
  now: Date,
  offlineAfterMs: number,
): Promise<TNodeDetail | null> {
  const row = await db.prisma.node.findUnique({
    where: { id },
    include: { events: { orderBy: { id: "desc" }, take: 50 } },
  });
  if (!row) return null;
  const capacity = z.record(z.string(), z.number()).safeParse(row.capacity);
  return {
    ...toNodeSummary(row, now, offlineAfterMs),
    facts: ZNodeFacts.partial().catch({}).parse(row.facts),
    conditions: z.array(ZCondition).catch([]).parse(row.conditions),
    capacity: capacity.success ? capacity.data : null,
    clusterRole: (row.clusterRole as TNodeDetail["clusterRole"]) ?? null,
    connectedAt: row.connectedAt?.toISOString() ?? null,
    disconnectedAt: row.disconnectedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastRejection: row.lastRejection,
    events: row.events.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      kind: e.kind,
      detail: (e.detail ?? {}) as Record<string, unknown>,
    })),
  };
}

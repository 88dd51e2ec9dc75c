import type { Database } from "@stratum/db";
import { z } from "zod";
import { stateWhere } from "./list-nodes.ts";
import { NODE_STATES } from "./node-views.ts";

const ZCount = z.object({
  mode: z.enum(["compute", "gateway"]),
  online: z.number(),
  offline: z.number(),
  revoked: z.number(),
});

export const ZFleetSummary = z.object({
  byMode: z.array(ZCount),
  versions: z.array(z.object({ version: z.string(), nodes: z.number() })),
  demoNodes: z.number(),
  recentEvents: z.array(
    z.object({
      id: z.string(),
      at: z.iso.datetime(),
      nodeId: z.string(),
      nodeName: z.string(),
      kind: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type TFleetSummary = z.infer<typeof ZFleetSummary>;

export async function fleetSummary(db: Database, now: Date, offlineAfterMs: number): Promise<TFleetSummary> {
  const byMode = await Promise.all(
    (["compute", "gateway"] as const).map(async (mode) => {
      const counts = await Promise.all(
        NODE_STATES.map((state) =>
          db.prisma.node.count({ where: { AND: [{ mode }, stateWhere(state, now, offlineAfterMs)] } }),
        ),
      );
      return { mode, online: counts[0]!, offline: counts[1]!, revoked: counts[2]! };
    }),
  );
  const versions = await db.prisma.node.groupBy({
    by: ["agentVersion"],
    where: { revokedAt: null },
    _count: { _all: true },
  });
  const demoNodes = await db.prisma.node.count({ where: { demo: true, revokedAt: null } });
  const events = await db.prisma.nodeEvent.findMany({
    orderBy: { id: "desc" },
    take: 20,
    include: { node: { select: { name: true } } },
  });
  return {
    byMode,
    versions: versions
      .map((v) => ({ version: v.agentVersion ?? "unknown", nodes: v._count._all }))
      .sort((a, b) => b.nodes - a.nodes),
    demoNodes,
    recentEvents: events.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      nodeId: e.nodeId,
      nodeName: e.node.name,
      kind: e.kind,
      detail: (e.detail ?? {}) as Record<string, unknown>,
    })),
  };
}

import type { Database } from "@stratum/db";
import type { Prisma } from "@stratum/db/client";
import { ZNodeMode } from "@stratum/protocol";
import { z } from "zod";
import { nodeState, type TNodeSummary, ZNodeState, ZNodeSummary } from "./node-views.ts";

export const NODE_SORT_FIELDS = ["name", "mode", "agentVersion", "lastSeenAt", "enrolledAt"] as const;

export const ZListNodesInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
  sort: z.enum(NODE_SORT_FIELDS).default("name"),
  direction: z.enum(["asc", "desc"]).default("asc"),
  search: z.string().trim().max(100).optional(),
  mode: ZNodeMode.optional(),
  state: ZNodeState.optional(),
  /** `key=value`: nodes carrying that label. */
  label: z
    .string()
    .regex(/^[^=]+=.*$/, "Filter labels as key=value.")
    .optional(),
});
export type TListNodesInput = z.infer<typeof ZListNodesInput>;

export const ZNodePage = z.object({
  items: z.array(ZNodeSummary),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

type NodeRow = Prisma.NodeGetPayload<object>;

export function toNodeSummary(row: NodeRow, now: Date, offlineAfterMs: number): TNodeSummary {
  return {
    id: row.id,
    name: row.name,
    hostname: row.hostname,
    mode: row.mode,
    state: nodeState(row, now, offlineAfterMs),
    demo: row.demo,
    agentVersion: row.agentVersion,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    enrolledAt: row.enrolledAt.toISOString(),
    desiredGeneration: Number(row.desiredGeneration),
    observedGeneration: Number(row.observedGeneration),
    generationLag: Math.max(0, Number(row.desiredGeneration - row.observedGeneration)),
    health: row.health,
    labels: row.labels as Record<string, string>,
  };
}

/** The state filter as a query, so paging and counting stay in the database at any fleet size. */
export function stateWhere(
  state: z.infer<typeof ZNodeState>,
  now: Date,
  offlineAfterMs: number,
): Prisma.NodeWhereInput {
  const fresh = new Date(now.getTime() - offlineAfterMs);
  if (state === "revoked") return { revokedAt: { not: null } };
  if (state === "online") return { revokedAt: null, hubInstance: { not: null }, lastSeenAt: { gte: fresh } };
  return {
    revokedAt: null,
    OR: [{ hubInstance: null }, { lastSeenAt: null }, { lastSeenAt: { lt: fresh } }],
  };
}

export async function listNodes(db: Database, input: TListNodesInput, now: Date, offlineAfterMs: number) {
  const and: Prisma.NodeWhereInput[] = [];
  if (input.search) {
    and.push({
      OR: [
        { name: { contains: input.search, mode: "insensitive" } },
        { hostname: { contains: input.search, mode: "insensitive" } },
      ],
    });
  }
  if (input.mode) and.push({ mode: input.mode });
  if (input.state) and.push(stateWhere(input.state, now, offlineAfterMs));
  if (input.label) {
    const [key, ...rest] = input.label.split("=");
    and.push({ labels: { path: [key!], equals: rest.join("=") } });
  }
  const where: Prisma.NodeWhereInput = and.length ? { AND: and } : {};
  const orderBy: Prisma.NodeOrderByWithRelationInput[] = [
    { [input.sort]: { sort: input.direction, nulls: input.direction === "asc" ? "last" : "first" } },
    { id: "asc" },
  ];
  if (input.sort === "name") orderBy[0] = { name: input.direction };
  const [rows, total] = await Promise.all([
    db.prisma.node.findMany({
      where,
      orderBy,
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
    }),
    db.prisma.node.count({ where }),
  ]);
  return {
    items: rows.map((r) => toNodeSummary(r, now, offlineAfterMs)),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

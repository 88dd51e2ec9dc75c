import type { Prisma } from "@stratum/db/client";

/** NOTIFY channel: the desired state of some nodes changed; payload ZNodeChange. */
export const NODE_CHANGED_CHANNEL = "stratum_node_changed";
/** NOTIFY channel: a node was revoked; payload is its id. */
export const NODE_REVOKED_CHANNEL = "stratum_node_revoked";

/** NOTIFY channel: a node's session opened on a replica; payload `{ nodeId, instance }`. */
export const NODE_SESSION_CHANNEL = "stratum_node_session";

/** Above this many ids one notification says "all nodes" instead (NOTIFY payloads are small). */
const MAX_IDS_PER_NOTIFY = 100;

export type TNodeChange = { ids: string[] } | { all: true };

/**
 * Bumps the desired-state generation of the given nodes (or all) inside the caller's transaction
 * and tells every panel replica on commit, so whichever holds a node's socket pushes the new state.
 */
export async function bumpDesiredGeneration(
  tx: Prisma.TransactionClient,
  nodeIds: string[] | "all",
): Promise<void> {
  // Rows are locked in id order, like the status writer does: two statements updating many of the
  // same rows in different orders deadlock (40P01), which fails one of them.
  if (nodeIds === "all") {
    await tx.$executeRaw`UPDATE nodes SET desired_generation = desired_generation + 1
      WHERE id IN (SELECT id FROM nodes WHERE revoked_at IS NULL ORDER BY id FOR UPDATE)`;
  } else {
    if (nodeIds.length === 0) return;
    await tx.$executeRaw`UPDATE nodes SET desired_generation = desired_generation + 1
      WHERE id IN (SELECT id FROM nodes WHERE id = ANY(${nodeIds}::uuid[]) ORDER BY id FOR UPDATE)`;
  }
  const change: TNodeChange =
    nodeIds === "all" || nodeIds.length > MAX_IDS_PER_NOTIFY ? { all: true } : { ids: nodeIds };
  await tx.$executeRaw`SELECT pg_notify(${NODE_CHANGED_CHANNEL}, ${JSON.stringify(change)})`;
}

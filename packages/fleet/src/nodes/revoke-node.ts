import type { Prisma } from "@stratum/db/client";
import { NODE_REVOKED_CHANNEL } from "./node-changes.ts";

/**
 * Revokes a node inside the caller's transaction: its key stops working at once and, on commit,
 * whichever replica holds its socket closes it. Returns false when the node does not exist.
 */
export async function revokeNode(
  tx: Prisma.TransactionClient,
  nodeId: string,
  reason: string,
  now = new Date(),
): Promise<{ name: string; alreadyRevoked: boolean } | null> {
  const node = await tx.node.findUnique({ where: { id: nodeId }, select: { name: true, revokedAt: true } });
  if (!node) return null;
  if (node.revokedAt) return { name: node.name, alreadyRevoked: true };
  await tx.node.update({ where: { id: nodeId }, data: { revokedAt: now } });
  await tx.nodeEvent.create({ data: { nodeId, at: now, kind: "revoked", detail: { reason } } });
  await tx.$executeRaw`SELECT pg_notify(${NODE_REVOKED_CHANNEL}, ${nodeId})`;
  return { name: node.name, alreadyRevoked: false };
}

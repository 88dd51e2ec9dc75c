import type { Database } from "@stratum/db";
import { recordAudit } from "@stratum/db/audit";
import type { Prisma } from "@stratum/db/client";
import {
  HUB_PATH,
  type TEnrollErrorCode,
  type TEnrollRequest,
  type TEnrollResponse,
  type TNodeMode,
  ZNodeName,
} from "@stratum/protocol";
import { calculateJwkThumbprint } from "jose";
import { hashJoinToken, looksLikeJoinToken } from "./join-tokens.ts";

/**
 * Enrollments of one token (and the seat check) run one after another under row and advisory
 * locks, so a burst of servers booting together waits its turn instead of timing out.
 */
const ENROLL_TRANSACTION = { maxWait: 30_000, timeout: 30_000 };

export class EnrollError extends Error {
  override readonly name = "EnrollError";
  constructor(
    readonly code: TEnrollErrorCode,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

/**
 * Runs inside the enrollment transaction, after the token is checked and before the node is
 * created: the place where licensing refuses a node beyond the seats (throw EnrollError "seat_limit").
 */
export type SeatCheck = (tx: Prisma.TransactionClient, node: { mode: TNodeMode }) => Promise<void>;

export interface EnrollContext {
  /** The session-token audience agents of this installation use. */
  audience: string;
  panelUrl: string;
  seatCheck?: SeatCheck;
  sourceIp?: string;
  now?: Date;
}

/** A node name from a hostname: its first label, as a DNS label. */
export function nameFromHostname(hostname: string): string {
  const label = hostname
    .split(".")[0]!
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return ZNodeName.safeParse(label).success ? label : "node";
}

/** Enrolls a node with a join token: one transaction that checks the token, seats, name and key. */
export async function enrollNode(
  db: Database,
  request: TEnrollRequest,
  ctx: EnrollContext,
): Promise<TEnrollResponse> {
  const now = ctx.now ?? new Date();
  if (!looksLikeJoinToken(request.token)) {
    throw new EnrollError(
      "token_invalid",
      "The join token is not valid. Copy it again from the panel's Enroll page.",
      401,
    );
  }
  const keyThumbprint = await calculateJwkThumbprint(request.publicKey, "sha256");
  return db.prisma.$transaction(async (tx) => {
    // Locking the token row serialises concurrent enrollments with it, so uses never exceed its limit.
    const locked = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM join_tokens WHERE token_hash = ${hashJoinToken(request.token)} FOR UPDATE`;
    const token = locked[0] ? await tx.joinToken.findUnique({ where: { id: locked[0].id } }) : null;
    if (!token)
      throw new EnrollError(
        "token_invalid",
        "The join token is not known to this panel. Create a token on the Enroll page.",
        401,
      );
    if (token.revokedAt)
      throw new EnrollError(
        "token_revoked",
        "The join token was revoked. Create a new one on the Enroll page.",
        401,
      );
    if (token.expiresAt <= now)
      throw new EnrollError(
        "token_expired",
        `The join token expired at ${token.expiresAt.toISOString()}. Create a new one on the Enroll page.`,
        401,
      );
    if (token.uses >= token.maxUses) {
      throw new EnrollError(
        "token_exhausted",
        `The join token was already used ${token.uses} of ${token.maxUses} times. Create a new one on the Enroll page.`,
        401,
      );
    }
    if (request.mode && request.mode !== token.mode) {
      throw new EnrollError(
        "mode_mismatch",
        `This join token enrolls ${token.mode} nodes, not ${request.mode}. Use a ${request.mode} token, or drop --mode.`,
        409,
      );
    }
    const name = request.name ?? nameFromHostname(request.hostname);
    if (await tx.node.findUnique({ where: { name }, select: { id: true } })) {
      throw new EnrollError(
        "name_taken",
        `A node named ${name} is already enrolled. Choose another with --name, or revoke the old node.`,
        409,
      );
    }
    if (await tx.node.findUnique({ where: { keyThumbprint }, select: { id: true } })) {
      throw new EnrollError(
        "key_in_use",
        "This node key is already enrolled. Each node needs its own key: remove the state directory's node key and enroll again.",
        409,
      );
    }
    await ctx.seatCheck?.(tx, { mode: token.mode });
    const node = await tx.node.create({
      data: {
        name,
        hostname: request.hostname,
        mode: token.mode,
        labels: token.labels as Prisma.InputJsonValue,
        publicKey: request.publicKey,
        keyThumbprint,
        demo: token.demo,
        facts: request.facts as Prisma.InputJsonValue,
        joinTokenId: token.id,
        agentVersion: request.agentVersion,
        enrolledAt: now,
      },
    });
    await tx.joinToken.update({ where: { id: token.id }, data: { uses: { increment: 1 } } });
    await tx.nodeEvent.create({
      data: {
        nodeId: node.id,
        at: now,
        kind: "enrolled",
        detail: { hostname: request.hostname, joinToken: token.description },
      },
    });
    await recordAudit(tx, null, ctx.sourceIp, {
      action: "node.enroll",
      targetType: "node",
      targetId: node.id,
      summary: { name, mode: token.mode, hostname: request.hostname, joinToken: token.id, demo: token.demo },
    });
    return {
      nodeId: node.id,
      name,
      mode: token.mode,
      audience: ctx.audience,
      panelUrl: ctx.panelUrl,
      hubPath: HUB_PATH,
      trustedKeys: [],
    };
  }, ENROLL_TRANSACTION);
}

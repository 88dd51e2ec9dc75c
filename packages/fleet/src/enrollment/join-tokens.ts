import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@stratum/db";
import type { Prisma } from "@stratum/db/client";
import { ZNodeMode } from "@stratum/protocol";
import { z } from "zod";

/** Join tokens look like `stj_` + 43 base64url characters; only their SHA-256 is stored. */
export const JOIN_TOKEN_PREFIX = "stj_";
const TOKEN_SHAPE = /^stj_[A-Za-z0-9_-]{43}$/;

export const hashJoinToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const looksLikeJoinToken = (token: string) => TOKEN_SHAPE.test(token);

const ZLabelKey = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/,
    "Label keys are lower-case letters, digits and . _ / -, up to 63 characters.",
  );
export const ZLabels = z
  .record(ZLabelKey, z.string().max(63, "Label values have at most 63 characters."))
  .refine((labels) => Object.keys(labels).length <= 32, "At most 32 labels.");

export const ZCreateJoinTokenInput = z.object({
  description: z
    .string()
    .trim()
    .min(1, "Say what this token is for, e.g. the rack or the batch of servers.")
    .max(200),
  mode: ZNodeMode,
  labels: ZLabels.default({}),
  maxUses: z.number().int().min(1, "A token allows at least one enrollment.").max(10_000),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30, "Tokens live at most 30 days."),
});
export type TCreateJoinTokenInput = z.infer<typeof ZCreateJoinTokenInput>;

export const ZJoinToken = z.object({
  id: z.string(),
  description: z.string(),
  mode: ZNodeMode,
  labels: z.record(z.string(), z.string()),
  maxUses: z.number(),
  uses: z.number(),
  demo: z.boolean(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  state: z.enum(["active", "expired", "used", "revoked"]),
});
export type TJoinToken = z.infer<typeof ZJoinToken>;

type JoinTokenRow = Prisma.JoinTokenGetPayload<object>;

export function joinTokenState(
  row: Pick<JoinTokenRow, "revokedAt" | "expiresAt" | "uses" | "maxUses">,
  now: Date,
): TJoinToken["state"] {
  if (row.revokedAt) return "revoked";
  if (row.uses >= row.maxUses) return "used";
  if (row.expiresAt <= now) return "expired";
  return "active";
}

export function toJoinToken(row: JoinTokenRow, now: Date): TJoinToken {
  return {
    id: row.id,
    description: row.description,
    mode: row.mode,
    labels: row.labels as Record<string, string>,
    maxUses: row.maxUses,
    uses: row.uses,
    demo: row.demo,
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    state: joinTokenState(row, now),
  };
}

/** Creates a join token; the secret is returned once and never stored. */
export async function createJoinToken(
  tx: Prisma.TransactionClient,
  input: TCreateJoinTokenInput & { demo?: boolean; createdById?: string | null },
  now = new Date(),
): Promise<{ token: string; joinToken: TJoinToken }> {
  const token = `${JOIN_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await tx.joinToken.create({
    data: {
      tokenHash: hashJoinToken(token),
      description: input.description,
      mode: input.mode,
      labels: input.labels,
      maxUses: input.maxUses,
      demo: input.demo ?? false,
      expiresAt: new Date(now.getTime() + input.expiresInHours * 3_600_000),
      createdById: input.createdById ?? null,
    },
  });
  return { token, joinToken: toJoinToken(row, now) };
}

export async function listJoinTokens(db: Database, now = new Date()): Promise<TJoinToken[]> {
  const rows = await db.prisma.joinToken.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((r) => toJoinToken(r, now));
}

/** Revokes a token; nodes already enrolled with it are unaffected. Returns null when unknown. */
export async function revokeJoinToken(
  tx: Prisma.TransactionClient,
  id: string,
  now = new Date(),
): Promise<TJoinToken | null> {
  const row = await tx.joinToken.findUnique({ where: { id } });
  if (!row) return null;
  const updated = row.revokedAt
    ? row
    : await tx.joinToken.update({ where: { id }, data: { revokedAt: now } });
  return toJoinToken(updated, now);
}

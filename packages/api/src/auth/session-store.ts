import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@stratum/db";
import type { TRole } from "../roles.ts";

export const SESSION_COOKIE = "stratum_session";
/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** ...and after this long in any case. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** The cookie gets a fresh token this often; the old one keeps working briefly for requests in flight. */
export const SESSION_ROTATE_MS = 15 * 60 * 1000;
export const SESSION_ROTATE_GRACE_MS = 60 * 1000;
const SESSION_EXTEND_EVERY_MS = 60 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: TRole;
}

export interface ActiveSession {
  id: string;
  user: SessionUser;
  createdAt: Date;
  /** Set when this request rotated the token: the new cookie value to send back. */
  rotatedToken?: string;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface SessionMeta {
  sourceIp?: string;
  userAgent?: string;
}

export async function createSession(
  db: Database,
  userId: string,
  meta: SessionMeta,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.prisma.session.create({
    data: {
      id: hashToken(token),
      userId,
      createdAt: now,
      rotatedAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      sourceIp: meta.sourceIp ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
  });
  return token;
}

/**
 * Resolves a cookie token to a live session of an enabled user, sliding its idle expiry and
 * rotating the token when it is due. Anything else (malformed, unknown, expired, disabled) is null.
 */
export async function resolveSession(
  db: Database,
  token: string | undefined,
  meta: SessionMeta,
  now = new Date(),
): Promise<ActiveSession | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const id = hashToken(token);
  const row = await db.prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!row) return null;
  const absoluteEnd = row.createdAt.getTime() + SESSION_ABSOLUTE_MS;
  if (row.expiresAt <= now || absoluteEnd <= now.getTime() || row.user.disabledAt) {
    await db.prisma.session.deleteMany({ where: { id } });
    return null;
  }
  const user: SessionUser = {
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.user.role,
  };
  const idleEnd = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, absoluteEnd));
  if (now.getTime() - row.rotatedAt.getTime() < SESSION_ROTATE_MS) {
    // Slide the idle expiry at most once a minute, not on every request. A rotated-away token in
    // its grace period (expiring within the grace) is served but never extended.
    const remaining = row.expiresAt.getTime() - now.getTime();
    if (
      remaining > SESSION_ROTATE_GRACE_MS &&
      idleEnd.getTime() - row.expiresAt.getTime() > SESSION_EXTEND_EVERY_MS
    ) {
      await db.prisma.session.update({ where: { id }, data: { expiresAt: idleEnd } });
    }
    return { id, user, createdAt: row.createdAt };
  }
  const rotatedToken = randomBytes(32).toString("base64url");
  const newId = hashToken(rotatedToken);
  await db.prisma.$transaction([
    db.prisma.session.create({
      data: {
        id: newId,
        userId: row.userId,
        createdAt: row.createdAt,
        rotatedAt: now,
        expiresAt: idleEnd,
        sourceIp: meta.sourceIp ?? row.sourceIp,
        userAgent: meta.userAgent?.slice(0, 300) ?? row.userAgent,
      },
    }),
    db.prisma.session.update({
      where: { id },
      data: { expiresAt: new Date(now.getTime() + SESSION_ROTATE_GRACE_MS), rotatedAt: now },
    }),
  ]);
  return { id: newId, user, createdAt: row.createdAt, rotatedToken };
}

export async function revokeSession(db: Database, sessionId: string): Promise<void> {
  await db.prisma.session.deleteMany({ where: { id: sessionId } });
}

export function sessionCookie(token: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.floor(SESSION_ABSOLUTE_MS / 1000)}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    "Max-Age=0",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

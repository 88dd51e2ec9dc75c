import type { Database } from "@stratum/db";
import { type AuditEntry, recordAudit } from "@stratum/db/audit";
import type { Prisma } from "@stratum/db/client";
import type { Logger } from "pino";
import {
  type ActiveSession,
  readCookie,
  resolveSession,
  SESSION_COOKIE,
  sessionCookie,
} from "./auth/session-store.ts";
import type { LiveFeed } from "./live/live-feed.ts";

/** Long-lived things the API needs, created once by the server. */
export interface ApiDeps {
  db: Database;
  logger: Logger;
  live: LiveFeed;
  version: string;
  /** In production a mutation that forgets its audit event is logged; elsewhere it fails loudly. */
  production: boolean;
  /** A node silent this long counts as offline. */
  offlineAfterMs: number;
  now?: () => Date;
}

export interface RequestMeta {
  sourceIp?: string;
  userAgent?: string;
  origin?: string;
  /** The origins this panel is served from; a mutation from any other origin is refused. */
  allowedOrigins: string[];
  /** The address agents and operators reach this panel at (STRATUM_PUBLIC_URL, else this request's origin). */
  panelOrigin?: string;
  secure: boolean;
}

export interface Context {
  deps: ApiDeps;
  meta: RequestMeta;
  session: ActiveSession | null;
  now(): Date;
  setCookie(cookie: string): void;
  /** Runs `fn` in a transaction that also records `entry` in the audit log. */
  audited<T>(
    entry: AuditEntry | ((result: T) => AuditEntry),
    fn: (tx: Prisma.TransactionClient) => Promise<T>,
  ): Promise<T>;
  auditCount(): number;
}

export interface CreateContextInput {
  deps: ApiDeps;
  meta: RequestMeta;
  cookieHeader: string | undefined;
  setCookie(cookie: string): void;
}

export async function createContext({
  deps,
  meta,
  cookieHeader,
  setCookie,
}: CreateContextInput): Promise<Context> {
  const now = () => deps.now?.() ?? new Date();
  const session = await resolveSession(deps.db, readCookie(cookieHeader, SESSION_COOKIE), meta, now());
  if (session?.rotatedToken) setCookie(sessionCookie(session.rotatedToken, meta.secure));
  let audits = 0;
  const ctx: Context = {
    deps,
    meta,
    session,
    now,
    setCookie,
    async audited(entry, fn) {
      const result = await deps.db.prisma.$transaction(async (tx) => {
        const value = await fn(tx);
        const actor = ctx.session ? { id: ctx.session.user.id, email: ctx.session.user.email } : null;
        await recordAudit(tx, actor, meta.sourceIp, typeof entry === "function" ? entry(value) : entry);
        return value;
      });
      audits++;
      return result;
    },
    auditCount: () => audits,
  };
  return ctx;
}

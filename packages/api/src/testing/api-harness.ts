import type { Database } from "@stratum/db";
import { openMigratedDatabase } from "@stratum/db/testing";
import pino from "pino";
import { SESSION_COOKIE } from "../auth/session-store.ts";
import { type ApiDeps, createContext } from "../context.ts";
import { createLiveFeed } from "../live/live-feed.ts";
import { issueSetupCode } from "../operators/setup-code.ts";
import { createCaller } from "../router.ts";

export const PANEL_ORIGIN = "http://panel.test";

export interface CallOptions {
  token?: string;
  origin?: string;
  ip?: string;
}

/** The API on a migrated database with a controllable clock, called the way the HTTP adapter calls it. */
export async function apiHarness(databaseUrl?: string) {
  const db: Database = await openMigratedDatabase(databaseUrl);
  let clock = new Date("2026-11-22T10:00:00Z");
  const deps: ApiDeps = {
    db,
    logger: pino({ level: "silent" }),
    live: createLiveFeed(db, () => {}),
    version: "test",
    production: false,
    offlineAfterMs: 30_000,
    now: () => clock,
  };
  async function as(options: CallOptions = {}) {
    const cookies: string[] = [];
    const ctx = await createContext({
      deps,
      meta: {
        sourceIp: options.ip ?? "127.0.0.9",
        userAgent: "vitest",
        origin: options.origin ?? PANEL_ORIGIN,
        allowedOrigins: [PANEL_ORIGIN],
        panelOrigin: PANEL_ORIGIN,
        secure: false,
      },
      cookieHeader: options.token ? `other=1; ${SESSION_COOKIE}=${options.token}` : undefined,
      setCookie: (c) => cookies.push(c),
    });
    const caller = createCaller(ctx);
    /** The session token from the last Set-Cookie, or undefined when the cookie was cleared. */
    const issuedToken = () => {
      const last = cookies.at(-1);
      const value = last?.match(new RegExp(`^${SESSION_COOKIE}=([^;]*)`))?.[1];
      return value || undefined;
    };
    return { caller, cookies, issuedToken };
  }
  return {
    db,
    deps,
    as,
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
    now: () => clock,
    issueSetupCode: () => issueSetupCode(db),
    /** Completes setup and returns the owner's session token. */
    async withOwner(email = "owner@stratum.test", password = "correct horse battery") {
      const code = (await issueSetupCode(db))!;
      const { caller, issuedToken } = await as();
      await caller.setup.complete({ code, email, name: "Owner", password });
      return issuedToken()!;
    },
    async signIn(email: string, password: string, ip?: string) {
      const { caller, issuedToken } = await as({ ip });
      await caller.auth.signIn({ email, password });
      return issuedToken()!;
    },
    async close() {
      await deps.live.close();
      await db.close();
    },
  };
}

export type ApiHarness = Awaited<ReturnType<typeof apiHarness>>;

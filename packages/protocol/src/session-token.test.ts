import { describe, expect, it } from "vitest";
import {
  SESSION_TOKEN_REPLAY_WINDOW_SECONDS,
  ZSessionTokenClaims,
  ZSessionTokenHeader,
} from "./session-token.ts";

const claims = { sub: "node-1", aud: "https://panel", iat: 1_000, exp: 1_060, jti: "0123456789abcdef0123" };

describe("session token rules", () => {
  it("accepts a 60 s token", () => {
    expect(ZSessionTokenClaims.parse(claims)).toEqual(claims);
  });

  it("rejects a lifetime over 60 s, exp before iat, and a short jti", () => {
    expect(ZSessionTokenClaims.safeParse({ ...claims, exp: 1_061 }).success).toBe(false);
    expect(ZSessionTokenClaims.safeParse({ ...claims, exp: 999 }).success).toBe(false);
    expect(ZSessionTokenClaims.safeParse({ ...claims, jti: "short" }).success).toBe(false);
  });

  it("pins the header algorithm", () => {
    expect(ZSessionTokenHeader.safeParse({ alg: "none" }).success).toBe(false);
    expect(ZSessionTokenHeader.safeParse({ alg: "HS256" }).success).toBe(false);
    expect(ZSessionTokenHeader.safeParse({ alg: "EdDSA", typ: "JWT" }).success).toBe(true);
  });

  it("remembers jti values for lifetime plus skew on both ends", () => {
    expect(SESSION_TOKEN_REPLAY_WINDOW_SECONDS).toBe(120);
  });
});

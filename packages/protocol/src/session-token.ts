import { z } from "zod";
import { ZNodeId } from "./messages.ts";

/**
 * Rules for the JWT an agent signs with its node key and sends in `hello`. The hub enforces every
 * one; the agent follows them when signing.
 */
export const SESSION_TOKEN_ALGORITHM = "EdDSA";
/** `exp - iat` may not exceed this, and the hub rejects tokens whose `iat` is older than this. */
export const SESSION_TOKEN_MAX_LIFETIME_SECONDS = 60;
/** Clock skew tolerated between agent and panel, applied to `iat`, `nbf` and `exp`. */
export const SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;
/**
 * How long the hub must remember a `jti` after accepting it: a token accepted at time t carries
 * iat ≤ t + skew and exp ≤ iat + lifetime, so it stays acceptable until at most t + lifetime + 2·skew.
 */
export const SESSION_TOKEN_REPLAY_WINDOW_SECONDS =
  SESSION_TOKEN_MAX_LIFETIME_SECONDS + 2 * SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS;
export const SESSION_TOKEN_TYPE = "JWT";

const ZNumericDate = z.number().int().min(0);

export const ZSessionTokenHeader = z.object({
  alg: z.literal(SESSION_TOKEN_ALGORITHM),
  typ: z.literal(SESSION_TOKEN_TYPE).optional(),
});
export type TSessionTokenHeader = z.infer<typeof ZSessionTokenHeader>;

export const ZSessionTokenClaims = z
  .object({
    /** The node id returned by enrollment. */
    sub: ZNodeId,
    /** The `audience` string returned by enrollment. */
    aud: z.string().min(1).max(512),
    iat: ZNumericDate,
    exp: ZNumericDate,
    nbf: ZNumericDate.optional(),
    /** Random and unique per token; at least 128 bits of entropy encoded as text. */
    jti: z.string().min(16).max(128),
  })
  .refine((claims) => claims.exp > claims.iat, { message: "exp must be after iat", path: ["exp"] })
  .refine((claims) => claims.exp - claims.iat <= SESSION_TOKEN_MAX_LIFETIME_SECONDS, {
    message: `exp may be at most ${SESSION_TOKEN_MAX_LIFETIME_SECONDS} s after iat`,
    path: ["exp"],
  });
export type TSessionTokenClaims = z.infer<typeof ZSessionTokenClaims>;

import {
  SESSION_TOKEN_ALGORITHM,
  SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS,
  SESSION_TOKEN_MAX_LIFETIME_SECONDS,
  type TSessionTokenClaims,
  ZEd25519PublicJwk,
  ZSessionTokenClaims,
  ZSessionTokenHeader,
} from "@stratum/protocol";
import { decodeProtectedHeader, errors, importJWK, type JWTPayload, jwtVerify } from "jose";
import type { ReplayCache } from "./replay-cache.ts";
import { SessionTokenError } from "./session-errors.ts";

export type TNodeKeyRecord = {
  /** The Ed25519 public JWK stored at enrollment. */
  publicKey: unknown;
  revoked: boolean;
};

/** Resolves a node's stored key; null when no such node exists. Injected so this stays database-free. */
export type TLookupNodeKey = (nodeId: string) => Promise<TNodeKeyRecord | null>;

export type TVerifySessionTokenInput = {
  token: string;
  /** The node id the agent claims in `hello`; it only selects the key, the signed `sub` must match it. */
  nodeId: string;
  /** This panel's audience string, as returned at enrollment. */
  audience: string;
  lookupNodeKey: TLookupNodeKey;
  replayCache: ReplayCache;
  now?: () => number;
};

function rejectionFromJose(error: unknown): SessionTokenError {
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new SessionTokenError("algorithm_not_allowed", `token algorithm not allowed: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new SessionTokenError("bad_signature", "token signature does not match this node's enrolled key", {
      cause: error,
    });
  }
  if (error instanceof errors.JWTExpired) {
    const detail = error.claim === "iat" ? "issued too long ago" : "expired";
    return new SessionTokenError("expired", `token ${detail}; check the node's clock (NTP)`, {
      cause: error,
    });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") {
      return new SessionTokenError("wrong_audience", "token audience is not this panel; re-enroll the node", {
        cause: error,
      });
    }
    if (error.claim === "iat") {
      return new SessionTokenError(
        "issued_in_future",
        "token issued in the future; check the node's clock (NTP)",
        {
          cause: error,
        },
      );
    }
    if (error.claim === "nbf") {
      return new SessionTokenError("not_yet_valid", "token not yet valid; check the node's clock (NTP)", {
        cause: error,
      });
    }
    return new SessionTokenError("invalid_claims", `token claim ${error.claim} invalid: ${error.reason}`, {
      cause: error,
    });
  }
  return new SessionTokenError("malformed", "token is not a valid signed JWT", { cause: error });
}

/**
 * Verifies the JWT an agent sends in `hello`. Resolves to the claims or throws SessionTokenError
 * whose `rejection` and `message` say why; a full replay cache throws ReplayCacheFullError.
 */
export async function verifySessionToken(input: TVerifySessionTokenInput): Promise<TSessionTokenClaims> {
  const now = input.now ?? Date.now;

  let header: unknown;
  try {
    header = decodeProtectedHeader(input.token);
  } catch (error) {
    throw new SessionTokenError("malformed", "token is not a compact JWS", { cause: error });
  }
  // jose would refuse these too; checking first gives the agent a reason that names the algorithm.
  const parsedHeader = ZSessionTokenHeader.safeParse(header);
  if (!parsedHeader.success) {
    const alg = typeof header === "object" && header !== null ? (header as { alg?: unknown }).alg : undefined;
    throw new SessionTokenError(
      "algorithm_not_allowed",
      `token algorithm ${JSON.stringify(alg ?? null)} not allowed; only ${SESSION_TOKEN_ALGORITHM} is accepted`,
    );
  }

  const record = await input.lookupNodeKey(input.nodeId);
  if (record === null) {
    throw new SessionTokenError("unknown_node", `node ${input.nodeId} is not enrolled in this panel`);
  }
  if (record.revoked) {
    throw new SessionTokenError(
      "node_revoked",
      `node ${input.nodeId} was revoked; enroll it again to reconnect`,
    );
  }
  const publicJwk = ZEd25519PublicJwk.safeParse(record.publicKey);
  if (!publicJwk.success) {
    throw new SessionTokenError("unknown_node", `node ${input.nodeId} has no usable Ed25519 key on record`);
  }

  let payload: JWTPayload;
  try {
    const key = await importJWK(publicJwk.data, SESSION_TOKEN_ALGORITHM);
    ({ payload } = await jwtVerify(input.token, key, {
      algorithms: [SESSION_TOKEN_ALGORITHM],
      audience: input.audience,
      maxTokenAge: SESSION_TOKEN_MAX_LIFETIME_SECONDS,
      clockTolerance: SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["sub", "iat", "exp", "jti"],
      currentDate: new Date(now()),
    }));
  } catch (error) {
    throw rejectionFromJose(error);
  }

  // jose has already required iat and exp as numeric dates; it does not bound the lifetime.
  if ((payload.exp ?? 0) - (payload.iat ?? 0) > SESSION_TOKEN_MAX_LIFETIME_SECONDS) {
    throw new SessionTokenError(
      "lifetime_too_long",
      `token lifetime exceeds ${SESSION_TOKEN_MAX_LIFETIME_SECONDS} s (exp - iat)`,
    );
  }
  const claims = ZSessionTokenClaims.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw new SessionTokenError(
      "invalid_claims",
      `token claim ${issue?.path.join(".")} invalid: ${issue?.message}`,
    );
  }
  if (claims.data.sub !== input.nodeId) {
    throw new SessionTokenError("subject_mismatch", "token subject does not match the node id in hello");
  }
  if (!input.replayCache.remember(input.nodeId, claims.data.jti)) {
    throw new SessionTokenError("replayed", "token was already used (jti replay)");
  }
  return claims.data;
}

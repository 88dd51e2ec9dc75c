import type { CryptoKey } from "jose";
import { z } from "zod";
import { openEnvelope, signEnvelope } from "./envelope.ts";
import { ShubVerifyError } from "./errors.ts";
import type { TPrivateSigningJwk } from "./keys.ts";
import { describeIssues } from "./node-config.ts";
import { importTrustedKey, type TTrustSet, ZTrustSet } from "./trust-set.ts";

export const TRUST_UPDATE_TYPE = "stratum-trust-set+shub";

const ZTrustUpdateClaims = z.strictObject({
  iss: z.string().min(1),
  iat: z.number().int().nonnegative(),
  trust: ZTrustSet,
});

/** Signs `next` with a key that is active in the trust set agents hold now. */
export function signTrustUpdate(input: {
  next: TTrustSet;
  key: TPrivateSigningJwk | CryptoKey;
  kid: string;
  issuer: string;
  issuedAt?: Date;
}): Promise<string> {
  const claims = {
    iss: input.issuer,
    iat: Math.floor((input.issuedAt ?? new Date()).getTime() / 1000),
    trust: input.next,
  };
  return signEnvelope(claims, { key: input.key, kid: input.kid, typ: TRUST_UPDATE_TYPE });
}

function signerResolver(current: TTrustSet) {
  return async (kid: string): Promise<CryptoKey> => {
    const key = current.keys.find((candidate) => candidate.kid === kid);
    if (key?.state !== "active") {
      const why = !key ? "is not in" : key.state === "revoked" ? "is revoked in" : "is only retired in";
      throw new ShubVerifyError(
        "unknown_key",
        `the trust update is signed by key ${kid}, which ${why} trust set version ${current.version}; only an active key may sign the next trust set (apply the missing updates in order)`,
      );
    }
    return importTrustedKey(key);
  };
}

/**
 * Verifies one link of the rotation chain against the trust set the agent holds and returns the new
 * set. A compromised key that `current` revokes cannot sign a way back in, nor be reinstated.
 */
export async function applyTrustUpdate(current: TTrustSet, updateText: string): Promise<TTrustSet> {
  const opened = await openEnvelope(updateText, {
    typ: TRUST_UPDATE_TYPE,
    describe: "a trust-set update",
    resolveKey: signerResolver(current),
  });
  const claims = ZTrustUpdateClaims.safeParse(opened.payload);
  if (!claims.success) {
    throw new ShubVerifyError(
      "schema_invalid",
      `the trust update is invalid: ${describeIssues(claims.error).join("; ")}`,
    );
  }
  const next = claims.data.trust;
  if (next.version <= current.version) {
    throw new ShubVerifyError(
      "version_rollback",
      `the trust update carries version ${next.version}, not newer than the held version ${current.version}`,
    );
  }
  const revoked = new Set(current.keys.filter((key) => key.state === "revoked").map((key) => key.kid));
  const reinstated = next.keys.find((key) => revoked.has(key.kid) && key.state !== "revoked");
  if (reinstated) {
    throw new ShubVerifyError(
      "schema_invalid",
      `the trust update reinstates key ${reinstated.kid}, which trust set version ${current.version} revoked`,
    );
  }
  return next;
}

/** Applies rotation links in order, so an agent that missed several rotations catches up. */
export async function applyTrustChain(current: TTrustSet, updates: readonly string[]): Promise<TTrustSet> {
  let trust = current;
  for (const update of updates) trust = await applyTrustUpdate(trust, update);
  return trust;
}

import { type CryptoKey, importJWK } from "jose";
import { z } from "zod";
import { ShubInputError } from "./errors.ts";
import { type TPublicSigningJwk, ZPublicSigningJwk } from "./keys.ts";
import { describeIssues } from "./node-config.ts";

/**
 * active: signs configs and the next trust set. retired: replaced by a rotation, still verifies configs
 * it signed until the panel drops it. revoked: compromised; refused for everything.
 */
export const ZKeyState = z.enum(["active", "retired", "revoked"]);

export const ZTrustedKey = ZPublicSigningJwk.safeExtend({ state: ZKeyState });
export type TTrustedKey = z.infer<typeof ZTrustedKey>;

/** A JWKS with a state per key and its own version, which only increases. */
export const ZTrustSet = z
  .strictObject({
    version: z.number().int().min(1),
    keys: z.array(ZTrustedKey).min(1).max(64),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.keys.forEach((key, index) => {
      if (seen.has(key.kid))
        ctx.addIssue({
          code: "custom",
          path: ["keys", index, "kid"],
          message: `key ${key.kid} is listed twice`,
        });
      seen.add(key.kid);
    });
    if (!set.keys.some((key) => key.state === "active")) {
      ctx.addIssue({ code: "custom", path: ["keys"], message: "a trust set needs at least one active key" });
    }
  });
export type TTrustSet = z.infer<typeof ZTrustSet>;

/** The first trust set of an installation, as handed to agents at enrollment. */
export function initialTrustSet(key: TPublicSigningJwk): TTrustSet {
  return { version: 1, keys: [{ ...key, state: "active" }] };
}

/** The next trust set after a rotation: the new key becomes active, the active ones retire. */
export function rotateTrustSet(current: TTrustSet, next: TPublicSigningJwk): TTrustSet {
  if (current.keys.some((key) => key.kid === next.kid)) {
    throw new ShubInputError(`key ${next.kid} is already in trust set ${current.version}`);
  }
  return {
    version: current.version + 1,
    keys: [
      ...current.keys.map((key) => (key.state === "active" ? { ...key, state: "retired" as const } : key)),
      { ...next, state: "active" },
    ],
  };
}

/** The next trust set with `kid` revoked; a rotation must come first if it is the only active key. */
export function revokeKey(current: TTrustSet, kid: string): TTrustSet {
  if (!current.keys.some((key) => key.kid === kid)) {
    throw new ShubInputError(`key ${kid} is not in trust set ${current.version}`);
  }
  const next: TTrustSet = {
    version: current.version + 1,
    keys: current.keys.map((key) => (key.kid === kid ? { ...key, state: "revoked" } : key)),
  };
  if (!next.keys.some((key) => key.state === "active")) {
    throw new ShubInputError(`key ${kid} is the only active key; rotate to a new key before revoking it`);
  }
  return next;
}

/** Parses trust.json; an unusable file is the operator's to fix, so the issues name the fields. */
export function parseTrustSet(text: string): TTrustSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ShubInputError(`the trust set is not JSON (${(error as Error).message})`);
  }
  const parsed = ZTrustSet.safeParse(json);
  if (!parsed.success) throw new ShubInputError("the trust set is invalid", describeIssues(parsed.error));
  return parsed.data;
}

// Importing a key costs more than an Ed25519 verification, and trust sets change rarely.
const importedKeys = new WeakMap<TTrustedKey, Promise<CryptoKey>>();

export function importTrustedKey(key: TTrustedKey): Promise<CryptoKey> {
  let imported = importedKeys.get(key);
  if (!imported) {
    imported = importJWK({ kty: key.kty, crv: key.crv, x: key.x }, "EdDSA") as Promise<CryptoKey>;
    importedKeys.set(key, imported);
  }
  return imported;
}

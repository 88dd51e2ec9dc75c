import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { z } from "zod";
import { canonicalJson } from "./canonical-json.ts";
import { ShubInputError } from "./errors.ts";
import { describeIssues } from "./node-config.ts";

const ZBase64Url = (bytes: number) =>
  z
    .string()
    .length(Math.ceil((bytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]+$/, "not base64url");

/** An Ed25519 public key as a JWK, with kid = its RFC 7638 thumbprint. */
export const ZPublicSigningJwk = z
  .strictObject({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: ZBase64Url(32),
    kid: z.string(),
    alg: z.literal("EdDSA"),
    use: z.literal("sig"),
  })
  .refine((jwk) => jwk.kid === jwkThumbprint(jwk.x), {
    path: ["kid"],
    message: "kid must be the RFC 7638 thumbprint of the key",
  });
export type TPublicSigningJwk = z.infer<typeof ZPublicSigningJwk>;

export const ZPrivateSigningJwk = z
  .strictObject({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: ZBase64Url(32),
    d: ZBase64Url(32),
    kid: z.string(),
    alg: z.literal("EdDSA"),
    use: z.literal("sig"),
  })
  .refine((jwk) => jwk.kid === jwkThumbprint(jwk.x), {
    path: ["kid"],
    message: "kid must be the RFC 7638 thumbprint of the key",
  })
  .refine((jwk) => derivedPublicX(jwk) === jwk.x, {
    path: ["x"],
    message: "the public half x does not belong to the private half d",
  });
export type TPrivateSigningJwk = z.infer<typeof ZPrivateSigningJwk>;

function derivedPublicX(jwk: { crv: string; kty: string; x: string; d: string }): string | undefined {
  try {
    return createPublicKey(createPrivateKey({ key: jwk, format: "jwk" })).export({ format: "jwk" }).x;
  } catch {
    return undefined;
  }
}

/** RFC 7638 thumbprint of an Ed25519 key: SHA-256 over its required members in canonical form. */
export function jwkThumbprint(x: string): string {
  return createHash("sha256")
    .update(canonicalJson({ crv: "Ed25519", kty: "OKP", x }))
    .digest("base64url");
}

/** A fresh Ed25519 signing key as a private JWK. */
export async function generateSigningKey(): Promise<TPrivateSigningJwk> {
  const { privateKey } = await generateKeyPair("Ed25519", { extractable: true });
  const { x, d } = await exportJWK(privateKey);
  if (!x || !d) throw new Error("the runtime exported an Ed25519 key without x or d");
  return { kty: "OKP", crv: "Ed25519", x, d, kid: jwkThumbprint(x), alg: "EdDSA", use: "sig" };
}

export function publicJwkOf(key: TPrivateSigningJwk): TPublicSigningJwk {
  const { d: _private, ...publicJwk } = key;
  return publicJwk;
}

/** Parses a signing key file (as written by `stratum-admin keys generate`). */
export function parseSigningKey(text: string): TPrivateSigningJwk {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ShubInputError(`the signing key is not JSON (${(error as Error).message})`);
  }
  const parsed = ZPrivateSigningJwk.safeParse(json);
  if (!parsed.success) {
    throw new ShubInputError("the signing key is not a private Ed25519 JWK", describeIssues(parsed.error));
  }
  return parsed.data;
}

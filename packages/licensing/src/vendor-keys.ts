import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { z } from "zod";

const ZBase64UrlKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a 32-byte base64url value");

/** A vendor public key the product trusts; `kid` is the key's RFC 7638 SHA-256 thumbprint. */
export const ZVendorPublicKey = z.strictObject({
  kid: z.string().min(1).max(128),
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: ZBase64UrlKey,
});
export type VendorPublicKey = z.infer<typeof ZVendorPublicKey>;

/** A vendor private key file as `license keygen` writes it. */
export const ZVendorPrivateKey = z.object({
  kid: z.string().min(1).max(128),
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  alg: z.literal("EdDSA"),
  x: ZBase64UrlKey,
  d: ZBase64UrlKey,
});
export type VendorPrivateKey = z.infer<typeof ZVendorPrivateKey>;

/**
 * The production vendor keys built into the product. Deliberately a constant: no environment
 * variable or setting can add to or replace it, so only the vendor can issue licenses. A new key
 * is added here (the old one kept while its licenses live) and shipped in a release.
 */
export const PRODUCTION_VENDOR_KEYS: readonly VendorPublicKey[] = [
  {
    kid: "bN0TrSVChfyhWGsmHuDWn1fFODvEoCGkFxhN6uQmeks",
    kty: "OKP",
    crv: "Ed25519",
    x: "8XaJbEjHHgCBoKm4B4FGVUg8YoLTovwrIdZbCEbAcN8",
  },
];

/**
 * The TEST vendor key: its private half is in this repository (test-vendor/), so anyone can sign
 * with it. It is trusted only when the caller explicitly allows test licensing.
 */
export const TEST_VENDOR_KEYS: readonly VendorPublicKey[] = [
  {
    kid: "_Rpk6F8TEujJJ0JSxP-IbWXjFHDz4t2DfxlAjhblOGs",
    kty: "OKP",
    crv: "Ed25519",
    x: "JNSkBAoIIHto1ncrzpsaKFNo94K7GiTeZLaiv0FVnK4",
  },
];

export function isTestVendorKey(kid: string): boolean {
  return TEST_VENDOR_KEYS.some((k) => k.kid === kid);
}

export function vendorPublicKeyOf(key: VendorPrivateKey): VendorPublicKey {
  return { kid: key.kid, kty: key.kty, crv: key.crv, x: key.x };
}

/** Parses a vendor private key file, checking that its `kid` is the thumbprint of its public half. */
export async function parseVendorPrivateKey(text: string): Promise<VendorPrivateKey> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("The vendor key file is not JSON. Use the file `stratum-admin license keygen` wrote.");
  }
  const parsed = ZVendorPrivateKey.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `The vendor key file is not an Ed25519 private JWK with kid and alg (${parsed.error.issues
        .map((i) => `${i.path.join(".") || "key"}: ${i.message}`)
        .join("; ")}). Use the file \`stratum-admin license keygen\` wrote.`,
    );
  }
  const thumbprint = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: parsed.data.x }, "sha256");
  if (thumbprint !== parsed.data.kid) {
    throw new Error("The vendor key file's kid does not match its key; the file was edited.");
  }
  return parsed.data;
}

export async function generateVendorKey(): Promise<VendorPrivateKey> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  const x = jwk.x ?? "";
  const kid = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x }, "sha256");
  return ZVendorPrivateKey.parse({ kid, kty: "OKP", crv: "Ed25519", alg: "EdDSA", x, d: jwk.d });
}

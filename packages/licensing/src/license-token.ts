import { randomUUID } from "node:crypto";
import { compactVerify, decodeProtectedHeader, errors, importJWK, SignJWT } from "jose";
import { z } from "zod";
import { LicenseError } from "./license-error.ts";
import { PLANS, type TFeature, type TPlanId, type TSeats, ZFeature, ZPlanId, ZSeats } from "./plans.ts";
import {
  isTestVendorKey,
  PRODUCTION_VENDOR_KEYS,
  TEST_VENDOR_KEYS,
  type VendorPrivateKey,
  type VendorPublicKey,
} from "./vendor-keys.ts";

/** The JWT `typ` of a license, so no other token signed by a vendor key passes as one. */
export const LICENSE_TOKEN_TYPE = "stratum-license+jwt";
export const DEFAULT_GRACE_DAYS = 14;
/** Licenses are issued "from now"; this much clock difference between vendor and panel is tolerated. */
const NOT_BEFORE_LEEWAY_MS = 5 * 60_000;
/** Larger than any real license; refuses pasted garbage before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;

export const ZLicensee = z.object({
  organisation: z.string().trim().min(1).max(200),
  contact: z.string().trim().max(320).optional(),
});
export type TLicensee = z.infer<typeof ZLicensee>;

/**
 * The claims of a license token as signed. Times are JWT NumericDates (seconds). Unknown claims
 * are ignored, so a later vendor release can add claims without older panels refusing licenses.
 */
export const ZLicenseClaims = z.object({
  jti: z.string().min(1).max(128),
  iat: z.int().positive(),
  nbf: z.int().positive(),
  exp: z.int().positive(),
  licensee: ZLicensee,
  plan: ZPlanId.exclude(["free"]),
  seats: ZSeats,
  features: z.array(ZFeature).max(ZFeature.options.length),
  graceDays: z.int().min(0).max(365),
  installationId: z.string().min(1).max(128).optional(),
});
export type TLicenseClaims = z.infer<typeof ZLicenseClaims>;

/** A verified license. */
export interface License {
  id: string;
  licensee: TLicensee;
  plan: Exclude<TPlanId, "free">;
  seats: TSeats;
  features: TFeature[];
  issuedAt: Date;
  notBefore: Date;
  expiresAt: Date;
  graceDays: number;
  installationId: string | null;
  keyId: string;
  /** Signed by the TEST vendor key: the panel shows a permanent banner. */
  testLicensing: boolean;
  /** The token itself, to store and to present to a license server. */
  token: string;
}

export interface VerifyLicenseOptions {
  now: Date;
  /** This installation's id; a license bound to another installation is refused. */
  installationId: string;
  /**
   * Also trust the TEST vendor key. The panel sets this only outside production or behind an
   * explicitly, loudly named setting.
   */
  allowTestVendorKey?: boolean;
  /**
   * The keys to trust instead of the built-in production keys. Only for the vendor's own tools,
   * which check licenses against the key they sign with; the panel never passes it.
   */
  vendorKeys?: readonly VendorPublicKey[];
}

export async function verifyLicense(token: string, options: VerifyLicenseOptions): Promise<License> {
  const compact = token.trim();
  if (
    compact.length > MAX_TOKEN_LENGTH ||
    !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(compact)
  ) {
    throw new LicenseError(
      "malformed",
      "This is not a Stratum license: a license is one line of three dot-separated parts. Paste the whole license or upload the license file.",
    );
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(compact);
  } catch {
    throw new LicenseError(
      "malformed",
      "The license header cannot be read; the license is damaged or cut short. Paste it again completely.",
    );
  }
  if (header.alg !== "EdDSA") {
    throw new LicenseError(
      "algorithm_not_allowed",
      `The license is signed with ${String(header.alg)}; Stratum licenses are signed with EdDSA (Ed25519) only. This license was not issued by the vendor.`,
    );
  }
  if (header.typ !== LICENSE_TOKEN_TYPE) {
    throw new LicenseError(
      "wrong_type",
      `This token is not a Stratum license (type ${String(header.typ ?? "missing")}, expected ${LICENSE_TOKEN_TYPE}).`,
    );
  }
  const key = trustedKeys(options).find((k) => k.kid === header.kid);
  if (!key) {
    if (typeof header.kid === "string" && isTestVendorKey(header.kid)) {
      throw new LicenseError(
        "test_key_not_allowed",
        "This license is signed with the TEST vendor key, which this installation does not accept. Use a production license from the vendor.",
      );
    }
    throw new LicenseError(
      "unknown_key",
      "The license is signed with a key this version of Stratum does not know. Check that it was issued for Stratum, or update the panel if the vendor has rotated its key.",
    );
  }
  let payload: Uint8Array;
  try {
    const verified = await compactVerify(compact, await importJWK({ ...key, alg: "EdDSA" }, "EdDSA"), {
      algorithms: ["EdDSA"],
    });
    payload = verified.payload;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWSInvalid) {
      throw new LicenseError(
        "bad_signature",
        "The license signature does not match: it was changed, damaged or cut short after the vendor signed it. Paste the original license again.",
      );
    }
    throw error;
  }
  const claims = parseClaims(payload);
  if (claims.nbf * 1000 > options.now.getTime() + NOT_BEFORE_LEEWAY_MS) {
    throw new LicenseError(
      "not_yet_valid",
      `This license starts on ${new Date(claims.nbf * 1000).toISOString()}. Activate it then, or check this server's clock.`,
    );
  }
  if (claims.installationId !== undefined && claims.installationId !== options.installationId) {
    throw new LicenseError(
      "other_installation",
      `This license is bound to installation ${claims.installationId}, not to this one (${options.installationId}). Deactivate it there, or request a license for this installation.`,
    );
  }
  return {
    id: claims.jti,
    licensee: claims.licensee,
    plan: claims.plan,
    seats: claims.seats,
    features: claims.features,
    issuedAt: new Date(claims.iat * 1000),
    notBefore: new Date(claims.nbf * 1000),
    expiresAt: new Date(claims.exp * 1000),
    graceDays: claims.graceDays,
    installationId: claims.installationId ?? null,
    keyId: key.kid,
    testLicensing: isTestVendorKey(key.kid),
    token: compact,
  };
}

function trustedKeys(options: VerifyLicenseOptions): readonly VendorPublicKey[] {
  if (options.vendorKeys) return options.vendorKeys;
  return options.allowTestVendorKey
    ? [...PRODUCTION_VENDOR_KEYS, ...TEST_VENDOR_KEYS]
    : PRODUCTION_VENDOR_KEYS;
}

function parseClaims(payload: Uint8Array): TLicenseClaims {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new LicenseError("malformed", "The license content is not JSON. Ask the vendor for a new license.");
  }
  const parsed = ZLicenseClaims.safeParse(json);
  if (!parsed.success) {
    throw new LicenseError(
      "malformed",
      `The license content is not valid (${parsed.error.issues
        .map((i) => `${i.path.join(".") || "claims"}: ${i.message}`)
        .join("; ")}). Ask the vendor for a new license.`,
    );
  }
  if (parsed.data.exp <= parsed.data.nbf) {
    throw new LicenseError(
      "malformed",
      "The license expires before it starts. Ask the vendor for a new license.",
    );
  }
  return parsed.data;
}

export const ZIssueLicenseInput = z.object({
  licensee: ZLicensee,
  plan: ZPlanId.exclude(["free"]),
  /** Defaults to the plan's seats; either mode may be given alone. */
  seats: ZSeats.partial().optional(),
  /** Defaults to the plan's features. */
  features: z.array(ZFeature).optional(),
  notBefore: z.date().optional(),
  expiresAt: z.date(),
  graceDays: z.int().min(0).max(365).default(DEFAULT_GRACE_DAYS),
  installationId: z.string().min(1).max(128).optional(),
  /** Keeps a license's id when it is re-issued bound to an installation. */
  licenseId: z.string().min(1).max(128).optional(),
});
export type TIssueLicenseInput = z.input<typeof ZIssueLicenseInput>;

/** Vendor side: signs a license with a vendor private key. */
export async function issueLicense(
  vendorKey: VendorPrivateKey,
  input: TIssueLicenseInput,
  now: Date = new Date(),
): Promise<string> {
  const spec = ZIssueLicenseInput.parse(input);
  const plan = PLANS[spec.plan];
  const notBefore = spec.notBefore ?? now;
  if (spec.expiresAt <= notBefore) {
    throw new Error(`The license would expire (${spec.expiresAt.toISOString()}) before it starts.`);
  }
  const claims: TLicenseClaims = {
    jti: spec.licenseId ?? `lic_${randomUUID()}`,
    iat: seconds(now),
    nbf: seconds(notBefore),
    exp: seconds(spec.expiresAt),
    licensee: spec.licensee,
    plan: spec.plan,
    seats: {
      compute: spec.seats?.compute ?? plan.seats.compute,
      gateway: spec.seats?.gateway ?? plan.seats.gateway,
    },
    features: [...new Set(spec.features ?? plan.features)],
    graceDays: spec.graceDays,
    ...(spec.installationId ? { installationId: spec.installationId } : {}),
  };
  return new SignJWT(ZLicenseClaims.parse(claims))
    .setProtectedHeader({ alg: "EdDSA", typ: LICENSE_TOKEN_TYPE, kid: vendorKey.kid })
    .sign(await importJWK(vendorKey, "EdDSA"));
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

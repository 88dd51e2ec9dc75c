import { z } from "zod";
import { evaluateLicense, type TLicenseStatus, type TUsage } from "./evaluate-license.ts";
import { LicenseError, ZLicenseErrorCode } from "./license-error.ts";
import { issueLicense, type License, type VerifyLicenseOptions, verifyLicense } from "./license-token.ts";
import { type VendorPrivateKey, vendorPublicKeyOf } from "./vendor-keys.ts";

const ZInstallationId = z.string().trim().min(1).max(128);
const ZLicenseKey = z
  .string()
  .trim()
  .min(1)
  .max(16 * 1024);

/**
 * The offline activation request: the operator downloads it from the panel and sends it to the
 * vendor, who answers with a license bound to the installation. Plain JSON on purpose: it holds
 * nothing the vendor could not verify, and the operator can read what is sent.
 */
export const ZActivationRequest = z.strictObject({
  kind: z.literal("stratum-activation-request"),
  version: z.literal(1),
  installationId: ZInstallationId,
  licenseKey: ZLicenseKey.optional(),
  licenseId: z.string().trim().min(1).max(128).optional(),
  panelVersion: z.string().min(1).max(64),
  createdAt: z.iso.datetime(),
});
export type TActivationRequest = z.infer<typeof ZActivationRequest>;

export function createActivationRequest(input: {
  installationId: string;
  licenseKeyOrId: string;
  panelVersion: string;
  now?: Date;
}): TActivationRequest {
  const keyOrId = input.licenseKeyOrId.trim();
  return ZActivationRequest.parse({
    kind: "stratum-activation-request",
    version: 1,
    installationId: input.installationId,
    ...(keyOrId.split(".").length === 3 ? { licenseKey: keyOrId } : { licenseId: keyOrId }),
    panelVersion: input.panelVersion,
    createdAt: (input.now ?? new Date()).toISOString(),
  });
}

export function parseActivationRequest(text: string): TActivationRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      "The activation request is not JSON. Use the file the panel's Licensing page downloaded.",
    );
  }
  const parsed = ZActivationRequest.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `The activation request is not valid (${parsed.error.issues
        .map((i) => `${i.path.join(".") || "request"}: ${i.message}`)
        .join("; ")}).`,
    );
  }
  return parsed.data;
}

/** Online activation: the panel POSTs this to `${licenseServerUrl}${ACTIVATE_PATH}`. */
export const ACTIVATE_PATH = "/v1/activate";
/** Online deactivation, to move a license to another installation. */
export const DEACTIVATE_PATH = "/v1/deactivate";

export const ZOnlineActivationRequest = z.strictObject({
  licenseKey: ZLicenseKey,
  installationId: ZInstallationId,
  panelVersion: z.string().min(1).max(64),
});
export type TOnlineActivationRequest = z.infer<typeof ZOnlineActivationRequest>;

export const ZOnlineActivationResponse = z.strictObject({ license: ZLicenseKey });
export type TOnlineActivationResponse = z.infer<typeof ZOnlineActivationResponse>;

/** The license key, or the license bound to this installation, proves the caller holds the license. */
export const ZOnlineDeactivationRequest = z.strictObject({
  licenseKey: ZLicenseKey,
  installationId: ZInstallationId,
});
export type TOnlineDeactivationRequest = z.infer<typeof ZOnlineDeactivationRequest>;

export const ZOnlineDeactivationResponse = z.strictObject({ deactivated: z.literal(true) });

export const ZLicenseServerError = z.object({
  error: z.object({ code: z.union([ZLicenseErrorCode, z.literal("invalid_request")]), message: z.string() }),
});

/**
 * Vendor side: re-issues a license the vendor signed as one bound to an installation, keeping its
 * id, licensee, plan, seats, features and dates.
 */
export async function bindLicense(
  vendorKey: VendorPrivateKey,
  licenseKey: string,
  installationId: string,
  now: Date = new Date(),
): Promise<string> {
  const license = await verifyLicense(licenseKey, {
    now,
    installationId,
    vendorKeys: [vendorPublicKeyOf(vendorKey)],
  });
  assertNotExpired(license, now);
  return issueLicense(
    vendorKey,
    {
      licenseId: license.id,
      licensee: license.licensee,
      plan: license.plan,
      seats: license.seats,
      features: license.features,
      notBefore: license.notBefore,
      expiresAt: license.expiresAt,
      graceDays: license.graceDays,
      installationId,
    },
    now,
  );
}

function assertNotExpired(license: License, now: Date): void {
  if (license.expiresAt <= now) {
    throw new LicenseError(
      "expired",
      `This license expired on ${license.expiresAt.toISOString()}. Ask the vendor for a renewed license.`,
    );
  }
}

export interface ActivationPreview {
  license: License;
  /** The status once activated. */
  status: TLicenseStatus;
  /** What changes compared with now, one line each. */
  changes: string[];
  /** What the operator must know before confirming, for example fewer seats than nodes enrolled. */
  warnings: string[];
}

/**
 * Checks a pasted or uploaded license and says exactly what it grants and what changes, without
 * changing anything; the panel stores `license.token` only after the operator confirms.
 */
export async function previewActivation(
  token: string,
  options: VerifyLicenseOptions & { current: TLicenseStatus; usage: TUsage },
): Promise<ActivationPreview> {
  const license = await verifyLicense(token, options);
  assertNotExpired(license, options.now);
  const status = evaluateLicense(license, { now: options.now, usage: options.usage });
  const current = options.current;
  const changes: string[] = [];
  if (current.plan !== status.plan) changes.push(`Plan: ${current.planName} → ${status.planName}`);
  for (const mode of ["compute", "gateway"] as const) {
    const before = current.seats[mode].total;
    const after = status.seats[mode].total;
    if (before !== after) changes.push(`${capitalise(mode)} seats: ${before} → ${after}`);
  }
  const gained = status.features.filter((f) => !current.features.includes(f));
  const lost = current.features.filter((f) => !status.features.includes(f));
  if (gained.length) changes.push(`Features added: ${gained.join(", ")}`);
  if (lost.length) changes.push(`Features removed: ${lost.join(", ")}`);
  if (current.dates?.expiresAt !== status.dates?.expiresAt) {
    changes.push(`Expires: ${current.dates?.expiresAt ?? "never (free plan)"} → ${status.dates?.expiresAt}`);
  }
  if (current.license?.licensee.organisation !== license.licensee.organisation) {
    changes.push(`Licensee: ${license.licensee.organisation}`);
  }
  const warnings = [
    ...status.notices,
    ...(lost.length
      ? [
          `The new license does not include ${lost.join(", ")}. What is configured keeps running; it can no longer be changed or extended.`,
        ]
      : []),
  ];
  return { license, status, changes, warnings };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

import { z } from "zod";

/**
 * Why a license was refused. Expiry is not among the verification codes: a signed license past
 * its expiry still says who it belongs to and drives the grace and restricted states. It is
 * refused only when activating (`expired`).
 */
export const ZLicenseErrorCode = z.enum([
  "malformed",
  "wrong_type",
  "algorithm_not_allowed",
  "unknown_key",
  "test_key_not_allowed",
  "bad_signature",
  "not_yet_valid",
  "other_installation",
  "expired",
  "already_activated",
  "license_server_unreachable",
  "license_server_error",
]);
export type TLicenseErrorCode = z.infer<typeof ZLicenseErrorCode>;

/** A refused license or activation; the message names the cause and what to do. */
export class LicenseError extends Error {
  override readonly name = "LicenseError";
  constructor(
    readonly code: TLicenseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Why a signed document was refused. The agent reports this code in its status, so the set is part of
 * the contract with the panel: add to it only together with the panel's handling.
 */
export const SHUB_REJECT_REASONS = [
  "malformed",
  "bad_signature",
  "unknown_key",
  "algorithm_not_allowed",
  "wrong_node",
  "version_rollback",
  "expired",
  "wrong_type",
  "schema_invalid",
] as const;

export type TShubRejectReason = (typeof SHUB_REJECT_REASONS)[number];

/** A signed document (a .shub config or a trust-set update) that must not be used. */
export class ShubVerifyError extends Error {
  override readonly name = "ShubVerifyError";

  constructor(
    readonly reason: TShubRejectReason,
    message: string,
  ) {
    super(message);
  }
}

/** Input handed to this library by its own side (a config to sign, a key or trust file) is unusable. */
export class ShubInputError extends Error {
  override readonly name = "ShubInputError";

  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${message}:\n  ${issues.join("\n  ")}` : message);
  }
}

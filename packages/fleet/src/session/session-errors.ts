import { CloseCode } from "@stratum/protocol";

export type TSessionTokenRejection =
  | "malformed"
  | "algorithm_not_allowed"
  | "unknown_node"
  | "node_revoked"
  | "subject_mismatch"
  | "bad_signature"
  | "wrong_audience"
  | "expired"
  | "issued_in_future"
  | "not_yet_valid"
  | "lifetime_too_long"
  | "invalid_claims"
  | "replayed";

/** Why a session JWT was refused. `message` is safe to send to the agent and show on the node page. */
export class SessionTokenError extends Error {
  override readonly name = "SessionTokenError";
  readonly closeCode: number;

  constructor(
    readonly rejection: TSessionTokenRejection,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.closeCode = rejection === "node_revoked" ? CloseCode.NODE_REVOKED : CloseCode.AUTH_FAILED;
  }
}

/** The jti cache is full of live entries; refusing is safer than forgetting a jti that could be replayed. */
export class ReplayCacheFullError extends Error {
  override readonly name = "ReplayCacheFullError";
  readonly closeCode = CloseCode.RATE_LIMITED;

  constructor(readonly capacity: number) {
    super(`too many session handshakes in the replay window (${capacity}); retry shortly`);
  }
}

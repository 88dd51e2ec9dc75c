export type DataplaneErrorCode =
  | "INVALID_ADDRESS"
  | "INVALID_MAC"
  | "INVALID_PREFIX"
  | "INVALID_PORT_RANGE"
  | "INVALID_INPUT"
  | "TOO_MANY_RULES"
  | "MAP_FULL"
  | "UNKNOWN_PORT"
  | "COMMAND_FAILED"
  | "UNEXPECTED_OUTPUT"
  | "NOT_STARTED";

/** The one error the data plane throws; `code` says what went wrong, the message what to do about it. */
export class DataplaneError extends Error {
  override readonly name = "DataplaneError";

  constructor(
    readonly code: DataplaneErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a form needs from a failed call: the operator-facing message and one message per field. */
export interface Problem {
  message: string;
  fieldErrors: Partial<Record<string, string>>;
  appCode: string | undefined;
}

interface ErrorShape {
  message?: unknown;
  data?: { appCode?: unknown; httpStatus?: unknown; fieldErrors?: unknown; field?: unknown } | null;
}

const UNREACHABLE = "The panel did not answer. Check that it is running and your connection, then try again.";

function firstMessages(fieldErrors: unknown): Partial<Record<string, string>> {
  if (typeof fieldErrors !== "object" || fieldErrors === null) return {};
  const result: Partial<Record<string, string>> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (Array.isArray(messages) && typeof messages[0] === "string") result[field] = messages[0];
  }
  return result;
}

/**
 * Reads a tRPC client error as the API's error formatter shapes it. Errors without `data` never
 * reached the API (network, proxy), so their raw message would mean nothing to an operator.
 */
export function describeError(error: unknown): Problem {
  const shape = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const data = shape.data ?? undefined;
  const appCode = typeof data?.appCode === "string" ? data.appCode : undefined;
  const message =
    data && typeof shape.message === "string" && shape.message !== "" ? shape.message : UNREACHABLE;
  const fieldErrors = firstMessages(data?.fieldErrors);
  // A domain error about one field (wrong setup code, duplicate email) shows next to that field.
  if (typeof data?.field === "string" && fieldErrors[data.field] === undefined)
    fieldErrors[data.field] = message;
  return { message, fieldErrors, appCode };
}

/** Requests the API refused on their merits (4xx) fail the same way when repeated. */
export function isRetryable(error: unknown): boolean {
  const status = (error as ErrorShape | null)?.data?.httpStatus;
  return typeof status !== "number" || status >= 500;
}

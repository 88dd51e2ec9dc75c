import { parseLabelLines } from "./labels";

export interface JoinTokenFormInput {
  description: string;
  mode: string;
  labels: string;
  maxUses: string;
  expiresInHours: string;
}

export interface JoinTokenRequest {
  description: string;
  mode: "compute" | "gateway";
  labels: Record<string, string>;
  maxUses: number;
  expiresInHours: number;
}

export type JoinTokenFormResult =
  | { ok: true; request: JoinTokenRequest }
  | { ok: false; fieldErrors: Partial<Record<keyof JoinTokenFormInput, string>> };

export const MAX_TOKEN_HOURS = 720;

function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Turns the form into the API's input. Only what the form alone can judge is checked here (numbers,
 * label lines); the API validates the rest and its messages show beside the same fields.
 */
export function parseJoinTokenForm(input: JoinTokenFormInput): JoinTokenFormResult {
  const fieldErrors: Partial<Record<keyof JoinTokenFormInput, string>> = {};
  const labels = parseLabelLines(input.labels);
  if (!labels.ok) fieldErrors.labels = labels.error;
  const maxUses = wholeNumber(input.maxUses);
  if (maxUses === undefined || maxUses < 1)
    fieldErrors.maxUses = "Enter a whole number of enrollments, 1 or more.";
  const hours = wholeNumber(input.expiresInHours);
  if (hours === undefined || hours < 1 || hours > MAX_TOKEN_HOURS)
    fieldErrors.expiresInHours = `Enter whole hours from 1 to ${MAX_TOKEN_HOURS} (30 days).`;
  const mode = input.mode === "gateway" ? "gateway" : input.mode === "compute" ? "compute" : undefined;
  if (!mode) fieldErrors.mode = "Choose compute or gateway.";
  if (
    !labels.ok ||
    maxUses === undefined ||
    hours === undefined ||
    !mode ||
    Object.keys(fieldErrors).length > 0
  )
    return { ok: false, fieldErrors };
  return {
    ok: true,
    request: { description: input.description, mode, labels: labels.labels, maxUses, expiresInHours: hours },
  };
}

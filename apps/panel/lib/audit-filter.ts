export interface AuditFilterInput {
  action: string;
  actor: string;
  targetType: string;
  /** `datetime-local` values, read in the browser's time zone. */
  from: string;
  to: string;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  targetType?: string;
  from?: string;
  to?: string;
}

export type AuditFilterResult =
  | { ok: true; filter: AuditFilter }
  | { ok: false; fieldErrors: Partial<Record<keyof AuditFilterInput, string>> };

function localToIso(value: string): string | undefined | null {
  if (value.trim() === "") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Turns the filter form into the API's filter; empty fields filter nothing. */
export function parseAuditFilter(input: AuditFilterInput): AuditFilterResult {
  const from = localToIso(input.from);
  const to = localToIso(input.to);
  const fieldErrors: Partial<Record<keyof AuditFilterInput, string>> = {};
  if (from === null) fieldErrors.from = "Enter a date and time, or leave this empty.";
  if (to === null) fieldErrors.to = "Enter a date and time, or leave this empty.";
  if (from && to && from > to) fieldErrors.to = "The end of the range is before its start.";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const filter: AuditFilter = {};
  const action = input.action.trim();
  const actor = input.actor.trim();
  const targetType = input.targetType.trim();
  if (action) filter.action = action;
  if (actor) filter.actor = actor;
  if (targetType) filter.targetType = targetType;
  if (from) filter.from = from;
  if (to) filter.to = to;
  return { ok: true, filter };
}

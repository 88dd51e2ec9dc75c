export interface SummaryEntry {
  key: string;
  value: string;
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    "from" in value &&
    "to" in value &&
    Object.keys(value).length === 2
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}

/** Flattens an audit summary into lines an operator reads at a glance; `{from, to}` pairs read as changes. */
export function summaryEntries(summary: Record<string, unknown>): SummaryEntry[] {
  return Object.entries(summary).map(([key, value]) => ({
    key,
    value: isChange(value) ? `${show(value.from)} → ${show(value.to)}` : show(value),
  }));
}

export type LabelsResult = { ok: true; labels: Record<string, string> } | { ok: false; error: string };

/**
 * Reads labels typed one `key=value` per line. Blank lines are skipped; the panel API checks the
 * key and value rules, this only catches what it could not tell apart (missing `=`, a key twice).
 */
export function parseLabelLines(text: string): LabelsResult {
  const labels: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const separator = line.indexOf("=");
    const key = separator === -1 ? "" : line.slice(0, separator).trim();
    if (key === "") return { ok: false, error: `Line ${index + 1} is not key=value (for example rack=r12).` };
    if (key in labels) return { ok: false, error: `Line ${index + 1} repeats the label “${key}”.` };
    labels[key] = line.slice(separator + 1).trim();
  }
  return { ok: true, labels };
}

/** Labels as `key=value` strings, sorted so the same labels always read the same way. */
export function labelPairs(labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
}

/** The node list filters on one label; its API wants `key=value` with a non-empty key. */
export function isLabelFilter(text: string): boolean {
  return /^[^=\s][^=]*=.*$/.test(text.trim());
}

import { describe, expect, it } from "vitest";
import { parseAuditFilter } from "../lib/audit-filter.ts";
import { summaryEntries } from "../lib/audit-summary.ts";

const empty = { action: "", actor: "", targetType: "", from: "", to: "" };

describe("parseAuditFilter", () => {
  it("leaves out empty fields and trims the rest", () => {
    expect(parseAuditFilter({ ...empty, action: " user. ", actor: "ops@" })).toEqual({
      ok: true,
      filter: { action: "user.", actor: "ops@" },
    });
  });

  it("sends the date range as ISO instants", () => {
    const result = parseAuditFilter({ ...empty, from: "2026-01-01T00:00", to: "2026-01-02T12:30:15" });
    expect(result).toEqual({
      ok: true,
      filter: {
        from: new Date("2026-01-01T00:00").toISOString(),
        to: new Date("2026-01-02T12:30:15").toISOString(),
      },
    });
  });

  it("refuses a range that ends before it starts, next to the end field", () => {
    expect(parseAuditFilter({ ...empty, from: "2026-01-02T00:00", to: "2026-01-01T00:00" })).toEqual({
      ok: false,
      fieldErrors: { to: "The end of the range is before its start." },
    });
  });

  it("refuses dates it cannot read", () => {
    const result = parseAuditFilter({ ...empty, from: "yesterday" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors.from).toMatch(/date and time/);
  });
});

describe("summaryEntries", () => {
  it("reads from/to pairs as changes and keeps other values as they are", () => {
    expect(
      summaryEntries({
        email: "ops@example.com",
        role: { from: "viewer", to: "operator" },
        disabled: { from: false, to: true },
        count: 3,
        reason: null,
        nested: { a: 1 },
      }),
    ).toEqual([
      { key: "email", value: "ops@example.com" },
      { key: "role", value: "viewer → operator" },
      { key: "disabled", value: "false → true" },
      { key: "count", value: "3" },
      { key: "reason", value: "—" },
      { key: "nested", value: '{"a":1}' },
    ]);
  });
});

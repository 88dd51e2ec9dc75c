import { describe, expect, it } from "vitest";
import { negotiateProtocolVersion, PROTOCOL_VERSION, ZProtocolRange } from "./version.ts";

describe("negotiateProtocolVersion", () => {
  it("picks the highest version both sides speak", () => {
    expect(negotiateProtocolVersion({ min: 1, max: 5 }, { min: 2, max: 3 })).toEqual({
      ok: true,
      version: 3,
    });
    expect(negotiateProtocolVersion({ min: 1, max: 2 }, { min: 1, max: 4 })).toEqual({
      ok: true,
      version: 2,
    });
  });

  it("accepts the current build against itself", () => {
    expect(negotiateProtocolVersion({ min: PROTOCOL_VERSION, max: PROTOCOL_VERSION })).toEqual({
      ok: true,
      version: PROTOCOL_VERSION,
    });
  });

  it("rejects a too-old agent with a reason naming both ranges", () => {
    const result = negotiateProtocolVersion({ min: 1, max: 1 }, { min: 2, max: 3 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain("agent speaks 1..1, panel speaks 2..3");
    expect(result.reason).toContain("agent is too old");
  });

  it("rejects a too-new agent", () => {
    const result = negotiateProtocolVersion({ min: 4, max: 6 }, { min: 1, max: 3 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("agent is too new");
  });

  it("refuses an inverted range at the schema", () => {
    expect(ZProtocolRange.safeParse({ min: 3, max: 1 }).success).toBe(false);
  });
});

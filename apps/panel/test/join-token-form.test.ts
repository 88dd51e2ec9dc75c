import { describe, expect, it } from "vitest";
import { parseJoinTokenForm } from "../lib/join-token-form.ts";

const valid = {
  description: "Rack 12",
  mode: "gateway",
  labels: "rack=r12\nzone=eu-1",
  maxUses: "5",
  expiresInHours: "48",
};

describe("parseJoinTokenForm", () => {
  it("turns the form into the API input", () => {
    expect(parseJoinTokenForm(valid)).toEqual({
      ok: true,
      request: {
        description: "Rack 12",
        mode: "gateway",
        labels: { rack: "r12", zone: "eu-1" },
        maxUses: 5,
        expiresInHours: 48,
      },
    });
  });

  it("reports each field it can judge, all at once", () => {
    const result = parseJoinTokenForm({ ...valid, labels: "rack", maxUses: "0", expiresInHours: "721" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["expiresInHours", "labels", "maxUses"]);
  });

  it("refuses fractions and empty numbers rather than rounding them", () => {
    const result = parseJoinTokenForm({ ...valid, maxUses: "1.5", expiresInHours: "" });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { maxUses: expect.any(String), expiresInHours: expect.any(String) },
    });
  });

  it("leaves the description to the API, which words its own rule", () => {
    expect(parseJoinTokenForm({ ...valid, description: "" }).ok).toBe(true);
  });
});

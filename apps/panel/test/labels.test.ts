import { describe, expect, it } from "vitest";
import { isLabelFilter, labelPairs, parseLabelLines } from "../lib/labels.ts";

describe("parseLabelLines", () => {
  it("reads key=value lines, skipping blank ones and trimming around the parts", () => {
    expect(parseLabelLines("rack=r12\n\n  zone = eu-1 \r\nnote=a=b\n")).toEqual({
      ok: true,
      labels: { rack: "r12", zone: "eu-1", note: "a=b" },
    });
  });

  it("allows an empty value and no labels at all", () => {
    expect(parseLabelLines("spare=")).toEqual({ ok: true, labels: { spare: "" } });
    expect(parseLabelLines("  \n")).toEqual({ ok: true, labels: {} });
  });

  it("names the line that is not key=value", () => {
    expect(parseLabelLines("rack=r12\nzone")).toEqual({
      ok: false,
      error: "Line 2 is not key=value (for example rack=r12).",
    });
    expect(parseLabelLines("=value")).toMatchObject({ ok: false, error: expect.stringContaining("Line 1") });
  });

  it("refuses a key given twice instead of keeping one silently", () => {
    expect(parseLabelLines("rack=r1\nrack=r2")).toEqual({
      ok: false,
      error: "Line 2 repeats the label “rack”.",
    });
  });
});

describe("labelPairs", () => {
  it("lists labels sorted by key", () => {
    expect(labelPairs({ zone: "eu-1", rack: "r12" })).toEqual(["rack=r12", "zone=eu-1"]);
  });
});

describe("isLabelFilter", () => {
  it("accepts key=value with a key and refuses the rest", () => {
    expect(isLabelFilter("rack=r12")).toBe(true);
    expect(isLabelFilter(" rack= ")).toBe(true);
    expect(isLabelFilter("rack")).toBe(false);
    expect(isLabelFilter("=r12")).toBe(false);
    expect(isLabelFilter("")).toBe(false);
  });
});

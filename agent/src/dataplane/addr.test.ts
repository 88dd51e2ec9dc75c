import { describe, expect, it } from "vitest";
import { parseAddress, parseMac, parsePrefix } from "./addr.ts";
import { DataplaneError } from "./errors.ts";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DataplaneError ? error.code : "NOT_A_DATAPLANE_ERROR";
  }
  return undefined;
}

describe("addresses", () => {
  it("parses IPv4 and IPv6 into 16 bytes", () => {
    expect(parseAddress("10.1.2.3").bytes.toString("hex")).toBe(`0a010203${"0".repeat(24)}`);
    expect(parseAddress("fd00::1").bytes.toString("hex")).toBe(`fd00${"0".repeat(27)}1`);
    expect(parseAddress("::ffff:10.0.0.1").bytes.toString("hex")).toBe(`${"0".repeat(20)}ffff0a000001`);
    expect(parseAddress("fe80::1:2").bytes.toString("hex")).toBe(`fe80${"0".repeat(20)}00010002`);
  });

  it("refuses bad prefixes with INVALID_PREFIX", () => {
    expect(codeOf(() => parsePrefix("10.0.0.0/33"))).toBe("INVALID_PREFIX");
    expect(codeOf(() => parsePrefix("10.0.0.1/8"))).toBe("INVALID_PREFIX");
    expect(codeOf(() => parsePrefix("10.0.0/8"))).toBe("INVALID_PREFIX");
    expect(codeOf(() => parsePrefix("10.0.0.0/x"))).toBe("INVALID_PREFIX");
    expect(codeOf(() => parsePrefix("fd00::/129"))).toBe("INVALID_PREFIX");
    expect(parsePrefix("fd00::/8").length).toBe(8);
    expect(parsePrefix("10.1.2.3").length).toBe(32);
  });

  it("accepts unicast MACs only", () => {
    expect(parseMac("02:AA:00:00:00:01").toString("hex")).toBe("02aa00000001");
    expect(codeOf(() => parseMac("01:00:5e:00:00:01"))).toBe("INVALID_MAC");
    expect(codeOf(() => parseMac("02:00:00:00:01"))).toBe("INVALID_MAC");
  });
});

import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe("canonicalJson (RFC 8785)", () => {
  it("serialises the §3.2.2 example exactly", () => {
    const input = JSON.parse(`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalJson(input)).toBe(
      `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA'B\\"\\\\\\\\\\"/"}`,
    );
  });

  it("sorts keys by UTF-16 code units as in §3.2.3", () => {
    const input = JSON.parse(`{
      "\\u20ac": "Euro Sign",
      "\\r": "Carriage Return",
      "\\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\\ud83d\\ude00": "Emoji: Grinning Face",
      "\\u0080": "Control",
      "\\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ["0000000000000000", "0"],
    ["8000000000000000", "0"],
    ["0000000000000001", "5e-324"],
    ["8000000000000001", "-5e-324"],
    ["7fefffffffffffff", "1.7976931348623157e+308"],
    ["ffefffffffffffff", "-1.7976931348623157e+308"],
    ["4340000000000000", "9007199254740992"],
    ["c340000000000000", "-9007199254740992"],
    ["4430000000000000", "295147905179352830000"],
    ["44b52d02c7e14af5", "9.999999999999997e+22"],
    ["44b52d02c7e14af6", "1e+23"],
    ["44b52d02c7e14af7", "1.0000000000000001e+23"],
    ["444b1ae4d6e2ef4e", "999999999999999700000"],
    ["444b1ae4d6e2ef4f", "999999999999999900000"],
    ["444b1ae4d6e2ef50", "1e+21"],
    ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
    ["3eb0c6f7a0b5ed8d", "0.000001"],
    ["41b3de4355555553", "333333333.3333332"],
    ["41b3de4355555554", "333333333.33333325"],
    ["41b3de4355555555", "333333333.3333333"],
    ["41b3de4355555556", "333333333.3333334"],
    ["41b3de4355555557", "333333333.33333343"],
    ["becbf647612f3696", "-0.0000033333333333333333"],
    ["43143ff3c1cb0959", "1424953923781206.2"],
  ])("serialises the IEEE 754 value %s as %s (Appendix B)", (bits, text) => {
    expect(canonicalJson(fromBits(bits))).toBe(text);
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson(fromBits("7fffffffffffffff"))).toThrow(/not a JSON number/);
    expect(() => canonicalJson(fromBits("7ff0000000000000"))).toThrow(/not a JSON number/);
    expect(() => canonicalJson({ a: "\ud800" })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ "\udc00": 1 })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/\$\.when is not a plain object/);
    expect(() => canonicalJson([1n])).toThrow(/bigint/);
  });

  it("is indifferent to formatting and key order, and drops undefined members like JSON.stringify", () => {
    const a = JSON.parse('{ "b": [1, {"y": 2, "x": 1}], "a": "z" }');
    const b = JSON.parse('{"a":"z","b":[1,{"x":1,"y":2}]}');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson({ a: 1, skipped: undefined })).toBe('{"a":1}');
    expect(canonicalJson([[], {}, ""])).toBe('[[],{},""]');
    expect(
      canonicalJson(JSON.parse('{"__proto__": {"b": 1, "a": 2}, "10": 1, "9": [{"2": 0, "10": 0}]}')),
    ).toBe('{"10":1,"9":[{"10":0,"2":0}],"__proto__":{"a":2,"b":1}}');
  });
});

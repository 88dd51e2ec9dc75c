import { describe, expect, it } from "vitest";
import { cidrContains, parseCidr, parseIp } from "./ip.ts";

describe("ip", () => {
  it("parses IPv4 and IPv6 including compressed and embedded-IPv4 forms", () => {
    expect(parseIp("10.0.0.1")).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp("::1")).toEqual({ family: 6, value: 1n });
    expect(parseIp("2001:db8::")).toEqual({ family: 6, value: 0x20010db8n << 96n });
    expect(parseIp("::ffff:10.0.0.1")).toEqual({ family: 6, value: (0xffffn << 32n) | 0x0a000001n });
    expect(parseIp("fe80::1%eth0")).toBeUndefined();
    expect(parseIp("10.0.0.256")).toBeUndefined();
  });

  it("tells containment per family", () => {
    const cidr = parseCidr("10.1.0.0/16");
    if (typeof cidr === "string") throw new Error(cidr);
    expect(cidrContains(cidr, parseIp("10.1.255.1")!)).toBe(true);
    expect(cidrContains(cidr, parseIp("10.2.0.1")!)).toBe(false);
    expect(cidrContains(cidr, parseIp("::a01:1")!)).toBe(false);
    expect(parseCidr("0.0.0.0/0")).toEqual({ family: 4, network: 0n, prefix: 0 });
    expect(parseCidr("10.0.0.1/33")).toBe("syntax");
    expect(parseCidr("10.0.0.1/8")).toBe("host_bits");
  });
});

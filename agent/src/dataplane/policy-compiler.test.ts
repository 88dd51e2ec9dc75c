import { describe, expect, it } from "vitest";
import { DataplaneError } from "./errors.ts";
import { POLICY_MAX_RULES } from "./maps/policy-rules.ts";
import type { TFirewallRule } from "./model.ts";
import { compilePolicy } from "./policy-compiler.ts";

function decodeEntry(value: Buffer) {
  const count = value.readUInt32LE(0);
  return Array.from({ length: count }, (_, i) => ({
    proto: value[4 + i * 8],
    action: value[5 + i * 8],
    portLo: value.readUInt16LE(6 + i * 8),
    portHi: value.readUInt16LE(8 + i * 8),
  }));
}

function codeOf(rules: TFirewallRule[]): string | undefined {
  try {
    compilePolicy({ networkId: 1, defaultAction: "deny", rules });
  } catch (error) {
    return error instanceof DataplaneError ? error.code : "NOT_A_DATAPLANE_ERROR";
  }
  return undefined;
}

describe("policy compiler", () => {
  it("gives each prefix its own rules and those of covering prefixes, in priority order", () => {
    const { entries } = compilePolicy({
      networkId: 9,
      defaultAction: "deny",
      rules: [
        { remote: "10.0.0.0/8", protocol: "tcp", ports: { from: 22, to: 22 }, action: "deny" },
        { remote: "10.1.0.0/16", protocol: "udp", ports: { from: 53, to: 53 }, action: "allow" },
        { remote: "0.0.0.0/0", protocol: "icmp", action: "allow" },
        { remote: "fd00::/8", action: "allow" },
      ],
    });
    expect(entries).toHaveLength(4);
    const byPrefixLength = new Map(
      entries.map(([key, value]) => [key.readUInt32LE(0) - 48, decodeEntry(value)]),
    );
    expect(byPrefixLength.get(16)).toEqual([
      { proto: 6, action: 2, portLo: 22, portHi: 22 },
      { proto: 17, action: 1, portLo: 53, portHi: 53 },
      { proto: 1, action: 1, portLo: 0, portHi: 65535 },
    ]);
    expect(byPrefixLength.get(0)).toEqual([{ proto: 1, action: 1, portLo: 0, portHi: 65535 }]);
    const [key] = entries[0]!;
    expect(key.readUInt32LE(4)).toBe(9);
    expect(key[8]).toBe(0);
    expect(key[9]).toBe(4);
  });

  it("keeps ingress and egress rules apart, each inheriting only from its own direction", () => {
    const { entries, defaults } = compilePolicy({
      networkId: 9,
      defaultAction: "allow",
      ingressDefaultAction: "deny",
      rules: [
        {
          direction: "ingress",
          remote: "10.0.0.0/8",
          protocol: "tcp",
          ports: { from: 22, to: 22 },
          action: "allow",
        },
        { remote: "10.1.0.0/16", action: "deny" },
        { direction: "ingress", remote: "10.1.0.0/16", protocol: "udp", action: "allow" },
      ],
    });
    expect(defaults).toEqual({ egress: "allow", ingress: "deny" });
    const byDirection = entries.map(([key, value]) => [
      key[8],
      key.readUInt32LE(0) - 48,
      decodeEntry(value).length,
    ]);
    expect(byDirection.sort()).toEqual([
      [0, 16, 1],
      [1, 16, 2],
      [1, 8, 1],
    ]);
  });

  it("refuses bad input with typed errors", () => {
    expect(codeOf([{ remote: "10.0.0.0/40", action: "allow" }])).toBe("INVALID_PREFIX");
    expect(codeOf([{ remote: "10.0.0.1/8", action: "allow" }])).toBe("INVALID_PREFIX");
    expect(
      codeOf([{ remote: "10.0.0.0/8", protocol: "tcp", ports: { from: 90, to: 80 }, action: "allow" }]),
    ).toBe("INVALID_PORT_RANGE");
    expect(
      codeOf([{ remote: "10.0.0.0/8", protocol: "tcp", ports: { from: 1, to: 70000 }, action: "allow" }]),
    ).toBe("INVALID_PORT_RANGE");
    expect(
      codeOf([{ remote: "10.0.0.0/8", protocol: "icmp", ports: { from: 1, to: 2 }, action: "allow" }]),
    ).toBe("INVALID_PORT_RANGE");
    const tooMany = Array.from({ length: POLICY_MAX_RULES + 1 }, (_, i) => ({
      remote: "10.0.0.0/8",
      protocol: "tcp" as const,
      ports: { from: i + 1, to: i + 1 },
      action: "allow" as const,
    }));
    expect(codeOf(tooMany)).toBe("TOO_MANY_RULES");
    expect(codeOf([{ remote: "10.0.0.0/8", action: "maybe" as "allow" }])).toBe("INVALID_INPUT");
  });

  it("compiles 10,000 rules quickly", () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => ({
      remote: `10.${(i >> 8) & 255}.${i & 255}.0/24`,
      protocol: "udp" as const,
      ports: { from: 1000, to: 2000 },
      action: "allow" as const,
    }));
    const started = performance.now();
    expect(compilePolicy({ networkId: 1, defaultAction: "deny", rules }).entries).toHaveLength(10_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

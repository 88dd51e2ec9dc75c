import type { z } from "zod";
import { type ParsedPrefix, parsePrefix } from "./addr.ts";
import { DataplaneError } from "./errors.ts";
import type { PolicyAction } from "./maps/policy-networks.ts";
import {
  type CompiledRule,
  encodePolicyEntry,
  encodePolicyKey,
  POLICY_MAX_RULES,
  type PolicyDirection,
} from "./maps/policy-rules.ts";
import { IP_PROTOCOLS, type TFirewallPolicy, ZFirewallPolicy, type ZFirewallRule } from "./model.ts";

type FirewallRule = z.output<typeof ZFirewallRule>;

interface PrefixRules {
  direction: PolicyDirection;
  prefix: ParsedPrefix;
  own: number[];
}

function prefixId(direction: string, family: number, bytes: Buffer, length: number): string {
  const masked = Buffer.alloc(16);
  for (let bit = 0; bit < length; bit++) {
    const byte = bit >> 3;
    masked[byte]! |= bytes[byte]! & (1 << (7 - (bit & 7)));
  }
  return `${direction}/${family}/${length}/${masked.toString("hex")}`;
}

function compileRule(rule: FirewallRule, index: number): { prefix: ParsedPrefix; rule: CompiledRule } {
  let prefix: ParsedPrefix;
  try {
    prefix = parsePrefix(rule.remote);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new DataplaneError("INVALID_PREFIX", `rule ${index + 1}: ${message}`, { cause });
  }
  const hasPorts = rule.protocol === "tcp" || rule.protocol === "udp";
  if (rule.ports && !hasPorts) {
    throw new DataplaneError(
      "INVALID_PORT_RANGE",
      `rule ${index + 1}: ports need protocol tcp or udp, not ${rule.protocol}`,
    );
  }
  const { from, to } = rule.ports ?? { from: 0, to: 0xffff };
  if (from < 0 || to > 0xffff || from > to) {
    throw new DataplaneError(
      "INVALID_PORT_RANGE",
      `rule ${index + 1}: port range ${from}-${to} is not within 0-65535 with from <= to`,
    );
  }
  return {
    prefix,
    rule: { proto: IP_PROTOCOLS[rule.protocol], action: rule.action, portLo: from, portHi: to },
  };
}

/**
 * Turns a policy into LPM entries. The kernel does one longest-prefix lookup
 * per packet, so each prefix's entry lists, in priority order, its own rules
 * and those of every shorter prefix that covers it.
 */
export interface CompiledPolicy {
  networkId: number;
  defaults: { egress: PolicyAction; ingress: PolicyAction };
  entries: [Buffer, Buffer][];
}

export function compilePolicy(input: TFirewallPolicy): CompiledPolicy {
  const parsed = ZFirewallPolicy.safeParse(input);
  if (!parsed.success) {
    throw new DataplaneError("INVALID_INPUT", `firewall policy is malformed: ${parsed.error.message}`);
  }
  const policy = parsed.data;
  const compiled = policy.rules.map(compileRule);
  const byPrefix = new Map<string, PrefixRules>();
  compiled.forEach(({ prefix }, index) => {
    const direction = policy.rules[index]!.direction;
    const id = prefixId(direction, prefix.family, prefix.bytes, prefix.length);
    const slot = byPrefix.get(id) ?? { direction, prefix, own: [] };
    slot.own.push(index);
    byPrefix.set(id, slot);
  });
  const entries: [Buffer, Buffer][] = [];
  for (const { direction, prefix, own } of byPrefix.values()) {
    const applicable: number[] = [];
    for (let length = 0; length <= prefix.length; length++) {
      const covering = byPrefix.get(prefixId(direction, prefix.family, prefix.bytes, length));
      if (covering) applicable.push(...covering.own);
    }
    if (applicable.length > POLICY_MAX_RULES) {
      throw new DataplaneError(
        "TOO_MANY_RULES",
        `${applicable.length} rules apply to ${policy.rules[own[0]!]!.remote} (its own and those of covering prefixes); the data plane evaluates at most ${POLICY_MAX_RULES} per prefix, merge some`,
      );
    }
    applicable.sort((a, b) => a - b);
    entries.push([
      encodePolicyKey({
        networkId: policy.networkId,
        direction,
        family: prefix.family,
        addr: prefix.bytes,
        prefixLength: prefix.length,
      }),
      encodePolicyEntry(applicable.map((index) => compiled[index]!.rule)),
    ]);
  }
  return {
    networkId: policy.networkId,
    defaults: { egress: policy.defaultAction, ingress: policy.ingressDefaultAction },
    entries,
  };
}

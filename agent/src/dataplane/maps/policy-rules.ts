import type { AddressFamily } from "../addr.ts";
import type { StructLayout } from "./layout.ts";
import { POLICY_ACTION, type PolicyAction } from "./policy-networks.ts";

export const POLICY_RULES_MAP = "policy_rules";

/** Mirrors POLICY_MAX_RULES: rules that apply to one prefix, inherited ones included. */
export const POLICY_MAX_RULES = 16;

/** network_id, direction and family precede the address inside the LPM key and are always matched in full. */
const KEY_FIXED_BITS = 48;

/** Mirrors POLICY_EGRESS / POLICY_INGRESS in bpf/lib/policy_types.h. */
export const POLICY_DIRECTION = { egress: 0, ingress: 1 } as const;
export type PolicyDirection = keyof typeof POLICY_DIRECTION;

export const policyKeyLayout: StructLayout = {
  cName: "policy_key",
  size: 28,
  fields: {
    prefixlen: { offset: 0, size: 4 },
    network_id: { offset: 4, size: 4 },
    direction: { offset: 8, size: 1 },
    family: { offset: 9, size: 1 },
    addr: { offset: 10, size: 16 },
  },
};

export const policyRuleLayout: StructLayout = {
  cName: "policy_rule",
  size: 8,
  fields: {
    proto: { offset: 0, size: 1 },
    action: { offset: 1, size: 1 },
    port_lo: { offset: 2, size: 2 },
    port_hi: { offset: 4, size: 2 },
  },
};

export const policyEntryLayout: StructLayout = {
  cName: "policy_entry",
  size: 4 + POLICY_MAX_RULES * policyRuleLayout.size,
  fields: {
    count: { offset: 0, size: 4 },
    rules: { offset: 4, size: POLICY_MAX_RULES * policyRuleLayout.size },
  },
};

export interface PolicyKey {
  networkId: number;
  direction: PolicyDirection;
  family: AddressFamily;
  addr: Buffer;
  prefixLength: number;
}

export interface CompiledRule {
  /** IP protocol number, 0 for any. */
  proto: number;
  action: PolicyAction;
  portLo: number;
  portHi: number;
}

export function encodePolicyKey(key: PolicyKey): Buffer {
  const out = Buffer.alloc(policyKeyLayout.size);
  out.writeUInt32LE(KEY_FIXED_BITS + key.prefixLength, 0);
  out.writeUInt32LE(key.networkId, 4);
  out.writeUInt8(POLICY_DIRECTION[key.direction], 8);
  out.writeUInt8(key.family, 9);
  key.addr.copy(out, 10, 0, 16);
  return out;
}

export function decodePolicyKeyNetwork(buf: Buffer): number {
  return buf.readUInt32LE(4);
}

export function encodePolicyEntry(rules: readonly CompiledRule[]): Buffer {
  const out = Buffer.alloc(policyEntryLayout.size);
  out.writeUInt32LE(rules.length, 0);
  rules.forEach((rule, i) => {
    const at = 4 + i * policyRuleLayout.size;
    out.writeUInt8(rule.proto, at);
    out.writeUInt8(POLICY_ACTION[rule.action], at + 1);
    out.writeUInt16LE(rule.portLo, at + 2);
    out.writeUInt16LE(rule.portHi, at + 4);
  });
  return out;
}

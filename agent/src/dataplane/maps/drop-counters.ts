import type { StructLayout } from "./layout.ts";

export const DROP_COUNTERS_MAP = "drop_counters";

/** Mirrors enum drop_reason in bpf/lib/drop_reasons.h; the BTF test keeps the two in step. */
export const DROP_REASONS = {
  DROP_MALFORMED: 1,
  DROP_UNKNOWN_PORT: 2,
  DROP_ETHERTYPE: 3,
  DROP_SPOOF_MAC: 4,
  DROP_SPOOF_IP: 5,
  DROP_SPOOF_ARP: 6,
  DROP_SPOOF_ND: 7,
  DROP_NO_LEASE: 8,
  DROP_POLICY_DENY: 9,
  DROP_POLICY_DEFAULT: 10,
  DROP_LB_NO_BACKEND: 11,
  DROP_POLICY_INGRESS_DENY: 12,
  DROP_POLICY_INGRESS_DEFAULT: 13,
} as const;

export type DropReason = keyof typeof DROP_REASONS;

const REASON_BY_VALUE = new Map<number, DropReason>(
  Object.entries(DROP_REASONS).map(([name, value]) => [value, name as DropReason]),
);

export function dropReasonName(value: number): DropReason | `UNKNOWN_${number}` {
  return REASON_BY_VALUE.get(value) ?? `UNKNOWN_${value}`;
}

export const dropKeyLayout: StructLayout = {
  cName: "drop_key",
  size: 8,
  fields: { ifindex: { offset: 0, size: 4 }, reason: { offset: 4, size: 4 } },
};

export const dropCountLayout: StructLayout = {
  cName: "drop_count",
  size: 16,
  fields: { packets: { offset: 0, size: 8 }, bytes: { offset: 8, size: 8 } },
};

export interface DropKey {
  ifindex: number;
  reason: number;
}

export function decodeDropKey(buf: Buffer): DropKey {
  return { ifindex: buf.readUInt32LE(0), reason: buf.readUInt32LE(4) };
}

/** Sums the per-CPU copies of one counter. */
export function sumDropCounts(perCpu: readonly Buffer[]): { packets: bigint; bytes: bigint } {
  let packets = 0n;
  let bytes = 0n;
  for (const value of perCpu) {
    packets += value.readBigUInt64LE(0);
    bytes += value.readBigUInt64LE(8);
  }
  return { packets, bytes };
}

import type { StructLayout } from "./layout.ts";

export const CONNTRACK_MAP = "conntrack";

export const ctKeyLayout: StructLayout = {
  cName: "ct_key",
  size: 40,
  fields: {
    saddr: { offset: 0, size: 16 },
    daddr: { offset: 16, size: 16 },
    sport: { offset: 32, size: 2 },
    dport: { offset: 34, size: 2 },
    proto: { offset: 36, size: 1 },
    family: { offset: 37, size: 1 },
    kind: { offset: 38, size: 1 },
  },
};

export const ctEntryLayout: StructLayout = {
  cName: "ct_entry",
  size: 24,
  fields: {
    expires_ns: { offset: 0, size: 8 },
    backend_id: { offset: 8, size: 4 },
    rev_vip: { offset: 12, size: 4 },
    rev_port: { offset: 16, size: 2 },
    rev_mac: { offset: 18, size: 6 },
  },
};

/** Mirrors CT_KIND_* in bpf/lib/conntrack_types.h. */
export const CT_KIND = { flow: 0, service: 1, ingress: 2 } as const;

const KIND_BY_VALUE = new Map(
  Object.entries(CT_KIND).map(([name, value]) => [value as number, name as keyof typeof CT_KIND]),
);

export interface CtKey {
  family: 4 | 6;
  proto: number;
  saddr: Buffer;
  daddr: Buffer;
  sport: number;
  dport: number;
  kind: keyof typeof CT_KIND;
}

export function decodeCtKey(buf: Buffer): CtKey {
  return {
    family: buf.readUInt8(37) === 4 ? 4 : 6,
    proto: buf.readUInt8(36),
    saddr: Buffer.from(buf.subarray(0, 16)),
    daddr: Buffer.from(buf.subarray(16, 32)),
    sport: buf.readUInt16BE(32),
    dport: buf.readUInt16BE(34),
    kind: KIND_BY_VALUE.get(buf.readUInt8(38)) ?? "flow",
  };
}

export interface CtEntry {
  expiresNs: bigint;
  backendId: number;
  /** The VIP and port replies are translated back to; 0.0.0.0 when the flow was not load-balanced. */
  revVip: Buffer;
  revPort: number;
}

export function decodeCtEntry(buf: Buffer): CtEntry {
  return {
    expiresNs: buf.readBigUInt64LE(0),
    backendId: buf.readUInt32LE(8),
    revVip: Buffer.from(buf.subarray(12, 16)),
    revPort: buf.readUInt16BE(16),
  };
}

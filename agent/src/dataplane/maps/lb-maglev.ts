import { scalarLayout } from "./layout.ts";

export const LB_MAGLEV_MAP = "lb_maglev";

/** Mirrors LB_MAGLEV_SIZE and LB_SERVICES_MAX in bpf/lib/lb_types.h. */
export const LB_MAGLEV_SIZE = 1021;
export const LB_SERVICES_MAX = 64;

export const lbMaglevKeyLayout = scalarLayout("__u32", 4);
export const lbMaglevValueLayout = scalarLayout("__u32", 4);

export function encodeMaglevSlot(serviceId: number, slot: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt32LE(serviceId * LB_MAGLEV_SIZE + slot, 0);
  return key;
}

export function encodeBackendId(id: number): Buffer {
  const value = Buffer.alloc(4);
  value.writeUInt32LE(id, 0);
  return value;
}

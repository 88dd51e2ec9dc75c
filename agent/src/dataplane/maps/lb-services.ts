import type { StructLayout } from "./layout.ts";

export const LB_SERVICES_MAP = "lb_services";

export const lbServiceKeyLayout: StructLayout = {
  cName: "lb_service_key",
  size: 8,
  fields: { vip: { offset: 0, size: 4 }, port: { offset: 4, size: 2 }, proto: { offset: 6, size: 1 } },
};

export const lbServiceLayout: StructLayout = {
  cName: "lb_service",
  size: 16,
  fields: {
    service_id: { offset: 0, size: 4 },
    backend_count: { offset: 4, size: 4 },
    vip_mac: { offset: 8, size: 6 },
  },
};

export interface LbServiceKey {
  vip: Buffer;
  port: number;
  proto: number;
}

export function encodeLbServiceKey(key: LbServiceKey): Buffer {
  const out = Buffer.alloc(lbServiceKeyLayout.size);
  key.vip.copy(out, 0, 0, 4);
  out.writeUInt16BE(key.port, 4);
  out.writeUInt8(key.proto, 6);
  return out;
}

export interface LbServiceValue {
  serviceId: number;
  backendCount: number;
  vipMac: Buffer;
}

export function encodeLbService(value: LbServiceValue): Buffer {
  const out = Buffer.alloc(lbServiceLayout.size);
  out.writeUInt32LE(value.serviceId, 0);
  out.writeUInt32LE(value.backendCount, 4);
  value.vipMac.copy(out, 8, 0, 6);
  return out;
}

export function decodeLbService(buf: Buffer): LbServiceValue {
  return {
    serviceId: buf.readUInt32LE(0),
    backendCount: buf.readUInt32LE(4),
    vipMac: Buffer.from(buf.subarray(8, 14)),
  };
}

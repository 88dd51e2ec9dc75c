import type { StructLayout } from "./layout.ts";
import { scalarLayout } from "./layout.ts";

export const LB_BACKENDS_MAP = "lb_backends";

export const lbBackendKeyLayout = scalarLayout("__u32", 4);

export const lbBackendLayout: StructLayout = {
  cName: "lb_backend",
  size: 12,
  fields: { addr: { offset: 0, size: 4 }, port: { offset: 4, size: 2 }, mac: { offset: 6, size: 6 } },
};

export interface LbBackendValue {
  addr: Buffer;
  port: number;
  mac: Buffer;
}

export function encodeLbBackendKey(id: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt32LE(id, 0);
  return key;
}

export function decodeLbBackendKey(key: Buffer): number {
  return key.readUInt32LE(0);
}

export function encodeLbBackend(value: LbBackendValue): Buffer {
  const out = Buffer.alloc(lbBackendLayout.size);
  value.addr.copy(out, 0, 0, 4);
  out.writeUInt16BE(value.port, 4);
  value.mac.copy(out, 6, 0, 6);
  return out;
}

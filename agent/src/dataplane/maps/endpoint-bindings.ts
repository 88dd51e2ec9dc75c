import type { AddressFamily } from "../addr.ts";
import type { StructLayout } from "./layout.ts";

export const ENDPOINT_BINDINGS_MAP = "endpoint_bindings";

export const endpointBindingKeyLayout: StructLayout = {
  cName: "endpoint_binding_key",
  size: 24,
  fields: { ifindex: { offset: 0, size: 4 }, family: { offset: 4, size: 1 }, addr: { offset: 8, size: 16 } },
};

export const endpointBindingLayout: StructLayout = {
  cName: "endpoint_binding",
  size: 8,
  fields: { mac: { offset: 0, size: 6 }, flags: { offset: 6, size: 2 } },
};

export interface EndpointBindingKey {
  ifindex: number;
  family: AddressFamily;
  /** 16 bytes; IPv4 uses the first four. */
  addr: Buffer;
}

export function encodeEndpointBindingKey(key: EndpointBindingKey): Buffer {
  const out = Buffer.alloc(endpointBindingKeyLayout.size);
  out.writeUInt32LE(key.ifindex, 0);
  out.writeUInt8(key.family, 4);
  key.addr.copy(out, 8, 0, key.family === 4 ? 4 : 16);
  return out;
}

export function decodeEndpointBindingKey(buf: Buffer): EndpointBindingKey {
  return {
    ifindex: buf.readUInt32LE(0),
    family: buf.readUInt8(4) === 4 ? 4 : 6,
    addr: Buffer.from(buf.subarray(8, 24)),
  };
}

export function encodeEndpointBinding(mac: Buffer): Buffer {
  const out = Buffer.alloc(endpointBindingLayout.size);
  mac.copy(out, 0, 0, 6);
  return out;
}

export function decodeEndpointBinding(buf: Buffer): Buffer {
  return Buffer.from(buf.subarray(0, 6));
}

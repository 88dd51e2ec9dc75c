import { type AddressFamily, writeAddress } from "../addr.ts";
import type { StructLayout } from "./layout.ts";

export const ENDPOINT_BINDINGS_MAP = "endpoint_bindings";

export const endpointBindingKeyLayout: StructLayout = {
  cName: "endpoint_binding_key",
  size: 24,
  fields: { ifindex: { offset: 0, size: 4 }, family: { offset: 4, size: 1 }, addr: { offset: 8, size: 16 } },
};

export const endpointBindingLayout: StructLayout = {
  cName: "endpoint_binding",
  size: 12,
  fields: { mac: { offset: 0, size: 6 }, flags: { offset: 6, size: 2 }, network_id: { offset: 8, size: 4 } },
};

export interface EndpointBindingKey {
  ifindex: number;
  family: AddressFamily;
  /** 16 bytes; IPv4 uses the first four. */
  addr: Buffer;
}

/** Encodes the key for `ip` on port `ifindex` into `out` (zeroed, endpointBindingKeyLayout.size bytes). */
export function writeEndpointBindingKey(out: Buffer, ifindex: number, ip: string): void {
  out.writeUInt32LE(ifindex, 0);
  out[4] = writeAddress(ip, out, 8);
  if (out[4] === 4) out.fill(0, 12, 24);
}

export function decodeEndpointBindingKey(buf: Buffer): EndpointBindingKey {
  return {
    ifindex: buf.readUInt32LE(0),
    family: buf.readUInt8(4) === 4 ? 4 : 6,
    addr: Buffer.from(buf.subarray(8, 24)),
  };
}

export function encodeEndpointBinding(mac: Buffer, networkId: number): Buffer {
  const out = Buffer.alloc(endpointBindingLayout.size);
  mac.copy(out, 0, 0, 6);
  out.writeUInt32LE(networkId, 8);
  return out;
}

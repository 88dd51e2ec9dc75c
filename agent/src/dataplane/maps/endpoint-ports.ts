import type { StructLayout } from "./layout.ts";
import { scalarLayout } from "./layout.ts";

export const ENDPOINT_PORTS_MAP = "endpoint_ports";

/** Mirrors PORT_F_DHCP_CLIENT in bpf/lib/endpoint_types.h. */
export const PORT_FLAG_DHCP_CLIENT = 0x1;

export const endpointPortKeyLayout = scalarLayout("__u32", 4);

export const endpointPortLayout: StructLayout = {
  cName: "endpoint_port",
  size: 12,
  fields: { network_id: { offset: 0, size: 4 }, mac: { offset: 4, size: 6 }, flags: { offset: 10, size: 2 } },
};

export interface EndpointPortValue {
  networkId: number;
  mac: Buffer;
  flags: number;
}

export function encodeEndpointPortKey(ifindex: number): Buffer {
  const key = Buffer.alloc(endpointPortKeyLayout.size);
  key.writeUInt32LE(ifindex, 0);
  return key;
}

export function decodeEndpointPortKey(key: Buffer): number {
  return key.readUInt32LE(0);
}

export function encodeEndpointPort(value: EndpointPortValue): Buffer {
  const out = Buffer.alloc(endpointPortLayout.size);
  out.writeUInt32LE(value.networkId, 0);
  value.mac.copy(out, 4, 0, 6);
  out.writeUInt16LE(value.flags, 10);
  return out;
}

export function decodeEndpointPort(buf: Buffer): EndpointPortValue {
  return {
    networkId: buf.readUInt32LE(0),
    mac: Buffer.from(buf.subarray(4, 10)),
    flags: buf.readUInt16LE(10),
  };
}

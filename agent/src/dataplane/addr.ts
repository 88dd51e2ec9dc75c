import { isIPv4, isIPv6 } from "node:net";
import { DataplaneError } from "./errors.ts";

export type AddressFamily = 4 | 6;

/** An address as the BPF maps hold it: 16 bytes, IPv4 in the first four. */
export interface ParsedAddress {
  family: AddressFamily;
  bytes: Buffer;
}

export interface ParsedPrefix extends ParsedAddress {
  length: number;
}

function ipv4Bytes(text: string): Buffer {
  const out = Buffer.alloc(16);
  text.split(".").forEach((octet, i) => {
    out[i] = Number(octet);
  });
  return out;
}

function ipv6Bytes(text: string): Buffer {
  let groups: string[];
  const tail = text.includes(".") ? text.slice(text.lastIndexOf(":") + 1) : undefined;
  const head = tail === undefined ? text : `${text.slice(0, text.lastIndexOf(":") + 1)}0:0`;
  const [left = "", right] = head.split("::");
  const leftGroups = left === "" ? [] : left.split(":");
  if (right === undefined) {
    groups = leftGroups;
  } else {
    const rightGroups = right === "" ? [] : right.split(":");
    groups = [...leftGroups, ...Array(8 - leftGroups.length - rightGroups.length).fill("0"), ...rightGroups];
  }
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => {
    out.writeUInt16BE(Number.parseInt(group, 16), i * 2);
  });
  if (tail !== undefined) ipv4Bytes(tail).copy(out, 12, 0, 4);
  return out;
}

export function parseAddress(text: string): ParsedAddress {
  if (isIPv4(text)) return { family: 4, bytes: ipv4Bytes(text) };
  if (isIPv6(text)) return { family: 6, bytes: ipv6Bytes(text) };
  throw new DataplaneError("INVALID_ADDRESS", `"${text}" is not an IPv4 or IPv6 address`);
}

/** Strict dotted quad into `out` at `offset`, without allocating; false when `text` is not one. */
function writeIPv4(text: string, out: Buffer, offset: number): boolean {
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return false;
      octet = octet * 10 + (code - 48);
      digits += 1;
      if (octet > 255) return false;
    } else if (code === 46 && digits > 0 && index < 4) {
      out[offset + index] = octet;
      index += 1;
      octet = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return index === 4;
}

/** Writes an address as the maps hold it (16 bytes, IPv4 in the first four) into `out` at `offset`. */
export function writeAddress(text: string, out: Buffer, offset: number): AddressFamily {
  if (writeIPv4(text, out, offset)) return 4;
  const parsed = parseAddress(text);
  parsed.bytes.copy(out, offset);
  return parsed.family;
}

export function parseIPv4(text: string): Buffer {
  if (!isIPv4(text)) throw new DataplaneError("INVALID_ADDRESS", `"${text}" is not an IPv4 address`);
  return ipv4Bytes(text).subarray(0, 4);
}

/** Refuses host bits past the prefix length: "10.0.0.1/8" is almost always a typo for a host or a /8. */
export function parsePrefix(text: string): ParsedPrefix {
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const lengthText = slash < 0 ? undefined : text.slice(slash + 1);
  let address: ParsedAddress;
  try {
    address = parseAddress(addressText);
  } catch (cause) {
    throw new DataplaneError("INVALID_PREFIX", `prefix "${text}" does not start with an IP address`, {
      cause,
    });
  }
  const maxLength = address.family === 4 ? 32 : 128;
  const length = lengthText === undefined ? maxLength : Number(lengthText);
  if (!/^\d{1,3}$/.test(lengthText ?? "0") || !Number.isInteger(length) || length < 0 || length > maxLength) {
    throw new DataplaneError(
      "INVALID_PREFIX",
      `prefix "${text}" has length ${lengthText}; use 0 to ${maxLength} for IPv${address.family}`,
    );
  }
  for (let bit = length; bit < maxLength; bit++) {
    if ((address.bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) {
      throw new DataplaneError(
        "INVALID_PREFIX",
        `prefix "${text}" has host bits set past /${length}; write the network address`,
      );
    }
  }
  return { ...address, length };
}

export function parseMac(text: string): Buffer {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text)) {
    throw new DataplaneError("INVALID_MAC", `"${text}" is not a MAC address (expected aa:bb:cc:dd:ee:ff)`);
  }
  const mac = Buffer.from(text.replaceAll(":", ""), "hex");
  if (mac[0]! & 1) throw new DataplaneError("INVALID_MAC", `"${text}" is a multicast MAC; use a unicast one`);
  return mac;
}

export function formatMac(bytes: Buffer): string {
  return [...bytes.subarray(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

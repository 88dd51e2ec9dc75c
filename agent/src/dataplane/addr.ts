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
  const head = tail === undefined ? text : text.slice(0, text.lastIndexOf(":") + 1) + "0:0";
  const [left = "", right] = head.split("::");
  const leftGroups = left === "" ? [] : left.split(":");
  if (right === undefined) {
    groups = leftGroups;
  } else {
    const rightGroups = right === "" ? [] : right.split(":");
    groups = [...leftGroups, ...Array(8 - leftGroups.length - rightGroups.length).fill("0"), ...rightGroups];
  }
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(Number.parseInt(group, 16), i * 2));
  if (tail !== undefined) ipv4Bytes(tail).copy(out, 12, 0, 4);
  return out;
}

export function parseAddress(text: string): ParsedAddress {
  if (isIPv4(text)) return { family: 4, bytes: ipv4Bytes(text) };
  if (isIPv6(text)) return { family: 6, bytes: ipv6Bytes(text) };
  throw new DataplaneError("INVALID_ADDRESS", `"${text}" is not an IPv4 or IPv6 address`);
}

export function parseIPv4(text: string): Buffer {
  if (!isIPv4(text)) throw new DataplaneError("INVALID_ADDRESS", `"${text}" is not an IPv4 address`);
  return ipv4Bytes(text).subarray(0, 4);
}

export function formatAddress(family: AddressFamily, bytes: Buffer): string {
  if (family === 4) return [...bytes.subarray(0, 4)].join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(":");
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
    throw new DataplaneError("INVALID_PREFIX", `prefix "${text}" does not start with an IP address`, { cause });
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

export function prefixContains(outer: ParsedPrefix, inner: ParsedPrefix): boolean {
  if (outer.family !== inner.family || outer.length > inner.length) return false;
  for (let bit = 0; bit < outer.length; bit++) {
    const mask = 1 << (7 - (bit & 7));
    if ((outer.bytes[bit >> 3]! & mask) !== (inner.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
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

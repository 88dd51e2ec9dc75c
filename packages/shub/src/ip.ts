import { isIPv6 } from "node:net";

export type TIpFamily = 4 | 6;
export type TParsedIp = { family: TIpFamily; value: bigint };
export type TParsedCidr = { family: TIpFamily; network: bigint; prefix: number };

/** Dotted quad without leading zeros, as node:net's isIPv4 accepts; a hand loop keeps verification fast. */
function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57 && !(digits > 0 && octet === 0)) {
      octet = octet * 10 + (code - 48);
      digits++;
      if (octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return dots === 3 && digits > 0 ? value * 256 + octet : undefined;
}

function ipv6ToBigInt(text: string): bigint {
  let address = text;
  // An embedded dotted quad (::ffff:10.0.0.1) stands for the last two 16-bit groups.
  const dotted = address.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted?.[1]) {
    const v4 = BigInt(parseIpv4(dotted[1]) ?? 0);
    address = `${address.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

export function parseIp(text: string): TParsedIp | undefined {
  if (!text.includes(":")) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : { family: 4, value: BigInt(v4) };
  }
  return isIPv6(text) && !text.includes("%") ? { family: 6, value: ipv6ToBigInt(text) } : undefined;
}

function bits(family: TIpFamily): number {
  return family === 4 ? 32 : 128;
}

// Precomputed: BigInt shifts per check made address checks the slowest part of config validation.
const HOST_MASKS = {
  4: Array.from({ length: 33 }, (_, prefix) => (1n << BigInt(32 - prefix)) - 1n),
  6: Array.from({ length: 129 }, (_, prefix) => (1n << BigInt(128 - prefix)) - 1n),
};

function hostMask(family: TIpFamily, prefix: number): bigint {
  return HOST_MASKS[family][prefix]!;
}

/** Parses `address/prefix` without requiring the host bits to be zero (an interface address). */
export function parseInterfaceAddress(text: string): (TParsedIp & { prefix: number }) | undefined {
  const slash = text.indexOf("/");
  const prefixLength = text.length - slash - 1;
  if (slash < 1 || prefixLength < 1 || prefixLength > 3) return undefined;
  let prefix = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
    prefix = prefix * 10 + (code - 48);
  }
  const ip = parseIp(text.slice(0, slash));
  if (!ip || prefix > bits(ip.family)) return undefined;
  return { family: ip.family, value: ip.value, prefix };
}

export type TCidrProblem = "syntax" | "host_bits";

/** Parses a network prefix; host bits must be zero so that one network has exactly one spelling. */
export function parseCidr(text: string): TParsedCidr | TCidrProblem {
  const parsed = parseInterfaceAddress(text);
  if (!parsed) return "syntax";
  if ((parsed.value & hostMask(parsed.family, parsed.prefix)) !== 0n) return "host_bits";
  return { family: parsed.family, network: parsed.value, prefix: parsed.prefix };
}

export function cidrContains(cidr: TParsedCidr, ip: TParsedIp): boolean {
  return cidr.family === ip.family && (ip.value & ~hostMask(cidr.family, cidr.prefix)) === cidr.network;
}

export function isNetworkOrBroadcast(cidr: TParsedCidr, ip: TParsedIp): boolean {
  if (cidr.family !== 4 || cidr.prefix >= 31) return false;
  return ip.value === cidr.network || ip.value === (cidr.network | hostMask(4, cidr.prefix));
}

export function formatNetwork(family: TIpFamily, value: bigint, prefix: number): string {
  const masked = value & ~hostMask(family, prefix);
  if (family === 4) {
    return `${[24n, 16n, 8n, 0n].map((shift) => (masked >> shift) & 0xffn).join(".")}/${prefix}`;
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) =>
    ((masked >> shift) & 0xffffn).toString(16),
  );
  return `${groups.join(":")}/${prefix}`;
}

import { parseAddress } from "../addr.ts";

/** Packet bytes for fixtures, with real checksums so the programs' rewrites can be verified. */

export function onesComplementSum(data: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export function checksum(data: Buffer, initial = 0): number {
  return ~onesComplementSum(data, initial) & 0xffff;
}

/** Any MAC, multicast included (addr.parseMac refuses those for bindings). */
export function macBytes(text: string): Buffer {
  return Buffer.from(text.replaceAll(":", ""), "hex");
}

const parseMac = macBytes;

export function ethernet(dst: string, src: string, etherType: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(14);
  parseMac(dst).copy(header, 0);
  parseMac(src).copy(header, 6);
  header.writeUInt16BE(etherType, 12);
  return Buffer.concat([header, payload]);
}

function v4(text: string): Buffer {
  return parseAddress(text).bytes.subarray(0, 4);
}

function v6(text: string): Buffer {
  return parseAddress(text).bytes;
}

export function ipv4(src: string, dst: string, protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + payload.length, 2);
  header[8] = 64;
  header[9] = protocol;
  v4(src).copy(header, 12);
  v4(dst).copy(header, 16);
  header.writeUInt16BE(checksum(header), 10);
  return Buffer.concat([header, payload]);
}

function pseudoV4(src: Buffer, dst: Buffer, protocol: number, length: number): number {
  const pseudo = Buffer.alloc(12);
  src.copy(pseudo, 0);
  dst.copy(pseudo, 4);
  pseudo[9] = protocol;
  pseudo.writeUInt16BE(length, 10);
  return onesComplementSum(pseudo);
}

function pseudoV6(src: Buffer, dst: Buffer, protocol: number, length: number): number {
  const pseudo = Buffer.alloc(40);
  src.copy(pseudo, 0);
  dst.copy(pseudo, 16);
  pseudo.writeUInt32BE(length, 32);
  pseudo[39] = protocol;
  return onesComplementSum(pseudo);
}

export function udpSegment(sport: number, dport: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(sport, 0);
  header.writeUInt16BE(dport, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

export interface Frame {
  srcMac: string;
  dstMac: string;
}

export function udp4(
  frame: Frame,
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payload = Buffer.from("stratum"),
): Buffer {
  const segment = udpSegment(sport, dport, payload);
  segment.writeUInt16BE(checksum(segment, pseudoV4(v4(src), v4(dst), 17, segment.length)) || 0xffff, 6);
  return ethernet(frame.dstMac, frame.srcMac, 0x0800, ipv4(src, dst, 17, segment));
}

export function tcpSyn4(frame: Frame, src: string, dst: string, sport: number, dport: number): Buffer {
  const segment = Buffer.alloc(20);
  segment.writeUInt16BE(sport, 0);
  segment.writeUInt16BE(dport, 2);
  segment.writeUInt32BE(1, 4);
  segment[12] = 5 << 4;
  segment[13] = 0x02;
  segment.writeUInt16BE(65535, 14);
  segment.writeUInt16BE(checksum(segment, pseudoV4(v4(src), v4(dst), 6, segment.length)), 16);
  return ethernet(frame.dstMac, frame.srcMac, 0x0800, ipv4(src, dst, 6, segment));
}

export function icmpEcho4(frame: Frame, src: string, dst: string): Buffer {
  const icmp = Buffer.alloc(16);
  icmp[0] = 8;
  icmp.writeUInt16BE(0x1234, 4);
  icmp.writeUInt16BE(checksum(icmp), 2);
  return ethernet(frame.dstMac, frame.srcMac, 0x0800, ipv4(src, dst, 1, icmp));
}

export function arp(
  frame: Frame,
  op: "request" | "reply",
  sha: string,
  spa: string,
  tha: string,
  tpa: string,
): Buffer {
  const body = Buffer.alloc(28);
  body.writeUInt16BE(1, 0);
  body.writeUInt16BE(0x0800, 2);
  body[4] = 6;
  body[5] = 4;
  body.writeUInt16BE(op === "request" ? 1 : 2, 6);
  parseMac(sha).copy(body, 8);
  v4(spa).copy(body, 14);
  if (tha !== "00:00:00:00:00:00") parseMac(tha).copy(body, 18);
  v4(tpa).copy(body, 24);
  return ethernet(frame.dstMac, frame.srcMac, 0x0806, body);
}

function ipv6(src: string, dst: string, nextHeader: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x6000_0000, 0);
  header.writeUInt16BE(payload.length, 4);
  header[6] = nextHeader;
  header[7] = 255;
  v6(src).copy(header, 8);
  v6(dst).copy(header, 24);
  return Buffer.concat([header, payload]);
}

function icmp6(frame: Frame, src: string, dst: string, message: Buffer): Buffer {
  message.writeUInt16BE(checksum(message, pseudoV6(v6(src), v6(dst), 58, message.length)), 2);
  return ethernet(frame.dstMac, frame.srcMac, 0x86dd, ipv6(src, dst, 58, message));
}

/** Unsolicited neighbour advertisement for `target`, with a target link-layer address option. */
export function neighbourAdvert(frame: Frame, src: string, target: string, targetMac: string): Buffer {
  const message = Buffer.alloc(32);
  message[0] = 136;
  message.writeUInt32BE(0x2000_0000, 4);
  v6(target).copy(message, 8);
  message[24] = 2;
  message[25] = 1;
  parseMac(targetMac).copy(message, 26);
  return icmp6(frame, src, "ff02::1", message);
}

export function routerAdvert(frame: Frame, src: string): Buffer {
  const message = Buffer.alloc(16);
  message[0] = 134;
  message[4] = 64;
  message.writeUInt16BE(1800, 6);
  return icmp6(frame, src, "ff02::1", message);
}

export function udp6(frame: Frame, src: string, dst: string, sport: number, dport: number): Buffer {
  const segment = udpSegment(sport, dport, Buffer.from("stratum6"));
  segment.writeUInt16BE(checksum(segment, pseudoV6(v6(src), v6(dst), 17, segment.length)) || 0xffff, 6);
  return ethernet(frame.dstMac, frame.srcMac, 0x86dd, ipv6(src, dst, 17, segment));
}

/** DHCPDISCOVER as a client without a lease sends it: 0.0.0.0:68 to 255.255.255.255:67. */
export function dhcpDiscover(clientMac: string): Buffer {
  const bootp = Buffer.alloc(240);
  bootp[0] = 1;
  bootp[1] = 1;
  bootp[2] = 6;
  parseMac(clientMac).copy(bootp, 28);
  bootp.writeUInt32BE(0x63825363, 236);
  return udp4(
    { srcMac: clientMac, dstMac: "ff:ff:ff:ff:ff:ff" },
    "0.0.0.0",
    "255.255.255.255",
    68,
    67,
    bootp,
  );
}

/** Checks the IPv4 header checksum and the UDP/TCP checksum of a frame. */
export function ipv4ChecksumsValid(frame: Buffer): boolean {
  const ip = frame.subarray(14);
  const headerLength = (ip[0]! & 0x0f) * 4;
  if (onesComplementSum(ip.subarray(0, headerLength)) !== 0xffff) return false;
  const protocol = ip[9]!;
  const l4 = ip.subarray(headerLength, ip.readUInt16BE(2));
  const pseudo = pseudoV4(ip.subarray(12, 16), ip.subarray(16, 20), protocol, l4.length);
  return onesComplementSum(l4, pseudo) === 0xffff;
}

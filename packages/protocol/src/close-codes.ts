/**
 * WebSocket close codes used on /agent/v1. Application codes live in 4000-4999 as RFC 6455 reserves
 * that range for private use. Every close carries a human-readable reason (at most 123 bytes, the
 * RFC limit) that the panel shows on the node page and the agent writes to its log.
 */
export const CloseCode = {
  /** Normal end of a session, e.g. the agent shutting down. */
  NORMAL: 1000,
  /** Hub or agent process shutting down; the agent reconnects with backoff. */
  GOING_AWAY: 1001,
  /** Never sent: reported locally when the connection dropped without a close frame (refused, reset). */
  ABNORMAL_CLOSURE: 1006,
  /** `ws` closes with this itself when a frame exceeds `maxPayload`. */
  MESSAGE_TOO_BIG: 1009,
  /** Unexpected server fault; the agent reconnects with backoff. */
  INTERNAL_ERROR: 1011,
  /** A frame that does not parse, an unknown type, or a frame before `hello`. */
  PROTOCOL_VIOLATION: 4000,
  /** Session JWT rejected: bad signature, wrong alg, wrong audience, expired, replayed, unknown node. */
  AUTH_FAILED: 4001,
  /** The node was revoked in the panel; the agent stops reconnecting and must be enrolled again. */
  NODE_REVOKED: 4002,
  /** No common protocol version; the reason names both ranges. */
  INCOMPATIBLE_PROTOCOL: 4003,
  /** A frame larger than MAX_FRAME_BYTES reached the application layer. */
  FRAME_TOO_LARGE: 4004,
  /** The connection exceeded its frame rate budget. */
  RATE_LIMITED: 4005,
  /** A newer session for the same node replaced this one. */
  SESSION_REPLACED: 4006,
  /** The agent did not send `hello` in time after the socket opened. */
  HELLO_TIMEOUT: 4007,
  /** No frame from the peer within the offline window. */
  HEARTBEAT_TIMEOUT: 4008,
  /** The peer reads so slowly that its outbound queue overflowed. */
  SLOW_CONSUMER: 4009,
} as const;
export type TCloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** How the agent reacts to each close: reconnect normally, retry at the backoff cap, or stop. */
export type TCloseDisposition = "reconnect" | "retry-slowly" | "stop";

export function closeDisposition(code: number): TCloseDisposition {
  switch (code) {
    case CloseCode.NODE_REVOKED:
      return "stop";
    // Retrying quickly cannot help until an operator fixes clocks, keys or versions.
    case CloseCode.AUTH_FAILED:
    case CloseCode.INCOMPATIBLE_PROTOCOL:
    case CloseCode.RATE_LIMITED:
      return "retry-slowly";
    default:
      return "reconnect";
  }
}

const closeCodeNames = new Map<number, string>(Object.entries(CloseCode).map(([name, code]) => [code, name]));

/** A stable lowercase name for logs and the panel, e.g. `node_revoked`; unknown codes stay numeric. */
export function closeCodeName(code: number): string {
  return closeCodeNames.get(code)?.toLowerCase() ?? `code_${code}`;
}

export const MAX_CLOSE_REASON_BYTES = 123;

const encoder = new TextEncoder();
const byteLength = (text: string): number => encoder.encode(text).byteLength;

/** Truncates on a character boundary so `ws` never throws on an over-long reason. */
export function closeReason(text: string): string {
  if (byteLength(text) <= MAX_CLOSE_REASON_BYTES) return text;
  let result = "";
  for (const char of text) {
    if (byteLength(`${result}${char}…`) > MAX_CLOSE_REASON_BYTES) break;
    result += char;
  }
  return `${result}…`;
}

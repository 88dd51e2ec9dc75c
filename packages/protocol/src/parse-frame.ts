import type { z } from "zod";
import {
  FRAME_TYPES,
  frameTypesOf,
  type TAgentFrame,
  type TErrorCode,
  type TFrame,
  type THubFrame,
  ZAgentFrame,
  ZFrame,
  ZHubFrame,
} from "./messages.ts";

/**
 * Largest frame either side accepts, in bytes of UTF-8. The hub passes it to `ws` as `maxPayload`
 * so oversized frames are refused before they are buffered whole; parseFrame checks again.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;

export type TFrameParseErrorCode = Extract<
  TErrorCode,
  "frame_too_large" | "invalid_encoding" | "invalid_json" | "unknown_frame_type" | "invalid_frame"
>;

export type TFrameParseError = { code: TFrameParseErrorCode; message: string };

export type TParseFrameResult<TParsed> =
  | { ok: true; frame: TParsed }
  | { ok: false; error: TFrameParseError };

const AGENT_FRAME_TYPES: ReadonlySet<string> = new Set(frameTypesOf(ZAgentFrame));
const HUB_FRAME_TYPES: ReadonlySet<string> = new Set(frameTypesOf(ZHubFrame));
const ALL_FRAME_TYPES: ReadonlySet<string> = new Set<string>(FRAME_TYPES);

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function exceedsLimit(raw: string | Uint8Array, limit: number): boolean {
  if (typeof raw !== "string") return raw.byteLength > limit;
  // A UTF-16 code unit encodes to at most 3 UTF-8 bytes, so most strings skip the encode.
  if (raw.length > limit) return true;
  if (raw.length * 3 <= limit) return false;
  return utf8.encode(raw).byteLength > limit;
}

function failure(code: TFrameParseErrorCode, message: string): { ok: false; error: TFrameParseError } {
  return { ok: false, error: { code, message } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(frame)"}: ${issue.message}`)
    .join("; ");
}

function parseWith<TParsed>(
  raw: string | Uint8Array,
  schema: z.ZodType<TParsed>,
  allowedTypes: ReadonlySet<string>,
  maxBytes: number,
): TParseFrameResult<TParsed> {
  try {
    if (exceedsLimit(raw, maxBytes)) {
      return failure("frame_too_large", `frame exceeds ${maxBytes} bytes`);
    }
    let text: string;
    try {
      text = typeof raw === "string" ? raw : strictUtf8.decode(raw);
    } catch {
      return failure("invalid_encoding", "frame is not valid UTF-8");
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return failure("invalid_json", "frame is not valid JSON");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return failure("invalid_frame", "frame must be a JSON object");
    }
    const type: unknown = (value as { type?: unknown }).type;
    if (typeof type !== "string") {
      return failure("invalid_frame", 'frame has no string "type" field');
    }
    if (!allowedTypes.has(type)) {
      return failure("unknown_frame_type", `unknown frame type ${JSON.stringify(type.slice(0, 64))}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      return failure("invalid_frame", `invalid ${type} frame: ${describeIssues(parsed.error)}`);
    }
    return { ok: true, frame: parsed.data };
  } catch {
    // Defence in depth: pathological input (e.g. nesting deep enough to exhaust the stack) must
    // still yield a result, never an exception in the socket handler.
    return failure("invalid_frame", "frame could not be parsed");
  }
}

export type TParseFrameOptions = { maxBytes?: number };

/** Parses any frame type; use parseAgentFrame / parseHubFrame on a socket to enforce direction. */
export function parseFrame(
  raw: string | Uint8Array,
  options: TParseFrameOptions = {},
): TParseFrameResult<TFrame> {
  return parseWith(raw, ZFrame, ALL_FRAME_TYPES, options.maxBytes ?? MAX_FRAME_BYTES);
}

/** What the hub accepts from an agent: hub-only types (welcome, desired) count as unknown. */
export function parseAgentFrame(
  raw: string | Uint8Array,
  options: TParseFrameOptions = {},
): TParseFrameResult<TAgentFrame> {
  return parseWith(raw, ZAgentFrame, AGENT_FRAME_TYPES, options.maxBytes ?? MAX_FRAME_BYTES);
}

/** What the agent accepts from the hub. */
export function parseHubFrame(
  raw: string | Uint8Array,
  options: TParseFrameOptions = {},
): TParseFrameResult<THubFrame> {
  return parseWith(raw, ZHubFrame, HUB_FRAME_TYPES, options.maxBytes ?? MAX_FRAME_BYTES);
}

export class FrameEncodeError extends Error {
  override readonly name = "FrameEncodeError";
  constructor(
    readonly frameType: string,
    readonly detail: string,
  ) {
    super(`refusing to send an invalid ${frameType} frame: ${detail}`);
  }
}

/** Validates before serialising so that a bug on our side never puts a malformed frame on the wire. */
export function encodeFrame(frame: TFrame): string {
  const parsed = ZFrame.safeParse(frame);
  if (!parsed.success) throw new FrameEncodeError(frame.type, describeIssues(parsed.error));
  const text = JSON.stringify(parsed.data);
  if (exceedsLimit(text, MAX_FRAME_BYTES)) {
    throw new FrameEncodeError(frame.type, `encoded frame exceeds ${MAX_FRAME_BYTES} bytes`);
  }
  return text;
}

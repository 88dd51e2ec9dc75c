import { describe, expect, it } from "vitest";
import { FRAME_TYPES, type TFrame } from "./messages.ts";
import {
  encodeFrame,
  FrameEncodeError,
  MAX_FRAME_BYTES,
  parseAgentFrame,
  parseFrame,
  parseHubFrame,
  type TParseFrameResult,
} from "./parse-frame.ts";

const now = "2026-11-22T00:00:00.000Z";

const validFrames: TFrame[] = [
  {
    type: "hello",
    protocol: { min: 1, max: 1 },
    agentVersion: "0.1.0",
    nodeId: "node-1",
    token: "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJub2RlLTEifQ.c2ln",
  },
  {
    type: "welcome",
    protocolVersion: 1,
    sessionId: "s-1",
    heartbeatIntervalMs: 10_000,
    offlineAfterMs: 30_000,
    serverTime: now,
  },
  { type: "desired", generation: 7, config: null, tasks: [{ id: "t-1", kind: "noop", spec: { a: 1 } }] },
  {
    type: "status",
    observedGeneration: 7,
    health: "healthy",
    capacity: { cpus: 4, memoryBytes: 8e9, memoryAvailableBytes: 4e9, endpoints: 0 },
    agentVersion: "0.1.0",
    clusterRole: "none",
    conditions: [{ type: "Ready", status: "True", reason: "Converged", message: "", lastTransition: now }],
    tasks: [{ taskId: "t-1", state: "succeeded", percent: 100, message: "done", updatedAt: now }],
  },
  { type: "task-progress", taskId: "t-1", state: "running", percent: 40, message: "copying", updatedAt: now },
  { type: "ack", generation: 7 },
  { type: "error", code: "invalid_frame", message: "bad" },
  { type: "ping", seq: 1 },
  { type: "pong", seq: 1 },
];

function expectError<T>(result: TParseFrameResult<T>, code?: string): void {
  expect(result.ok).toBe(false);
  if (!result.ok && code !== undefined) expect(result.error.code).toBe(code);
  if (!result.ok) expect(result.error.message.length).toBeGreaterThan(0);
}

describe("parseFrame", () => {
  it.each(validFrames.map((frame) => [frame.type, frame] as const))(
    "round-trips a %s frame",
    (_type, frame) => {
      const text = encodeFrame(frame);
      expect(parseFrame(text)).toEqual({ ok: true, frame });
      expect(parseFrame(Buffer.from(text))).toEqual({ ok: true, frame });
    },
  );

  it("covers every frame type", () => {
    expect(new Set(validFrames.map((frame) => frame.type))).toEqual(new Set(FRAME_TYPES));
  });

  it("strips unknown fields so newer peers can add optional ones", () => {
    const result = parseFrame(JSON.stringify({ type: "ping", seq: 2, addedLater: true }));
    expect(result).toEqual({ ok: true, frame: { type: "ping", seq: 2 } });
  });

  it("enforces the size limit in bytes, not characters", () => {
    const padding = "é".repeat(MAX_FRAME_BYTES / 2);
    const frame = JSON.stringify({ type: "error", code: "internal", message: padding });
    expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);
    expectError(parseFrame(frame), "frame_too_large");
    expectError(parseFrame(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20)), "frame_too_large");
    expectError(parseFrame(JSON.stringify({ type: "ping", seq: 1 }), { maxBytes: 8 }), "frame_too_large");
  });

  it("names the failing field", () => {
    const result = parseFrame(JSON.stringify({ type: "desired", generation: -1, config: null, tasks: [] }));
    expectError(result, "invalid_frame");
    if (!result.ok) expect(result.error.message).toContain("generation");
  });

  it("distinguishes encoding, JSON, shape and unknown type errors", () => {
    expectError(parseFrame(Buffer.from([0x7b, 0xff, 0x7d])), "invalid_encoding");
    expectError(parseFrame("{not json"), "invalid_json");
    expectError(parseFrame("[1,2]"), "invalid_frame");
    expectError(parseFrame("null"), "invalid_frame");
    expectError(parseFrame('{"seq":1}'), "invalid_frame");
    expectError(parseFrame('{"type":"subscribe"}'), "unknown_frame_type");
  });

  it("enforces direction", () => {
    const desired = encodeFrame({ type: "desired", generation: 1, config: null, tasks: [] });
    expectError(parseAgentFrame(desired), "unknown_frame_type");
    expect(parseHubFrame(desired).ok).toBe(true);
    const hello = encodeFrame(validFrames[0]!);
    expectError(parseHubFrame(hello), "unknown_frame_type");
    expect(parseAgentFrame(hello).ok).toBe(true);
  });

  it("survives pathological nesting", () => {
    const deep = `{"type":"desired","generation":1,"config":null,"tasks":[{"id":"a","kind":"k","spec":{"x":${"[".repeat(200_000)}${"]".repeat(200_000)}}}]}`;
    expect(() => parseFrame(deep)).not.toThrow();
  });
});

describe("encodeFrame", () => {
  it("refuses to serialise an invalid frame", () => {
    const invalid = { type: "ack", generation: 1.5 } as unknown as TFrame;
    expect(() => encodeFrame(invalid)).toThrow(FrameEncodeError);
  });
});

/** Deterministic PRNG so a failing fuzz case reproduces from its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomJson(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 6 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return (random() - 0.5) * 10 ** Math.floor(random() * 20);
    case 3:
      return Math.floor(random() * 1000);
    case 4:
    case 5:
      return String.fromCharCode(
        ...Array.from({ length: Math.floor(random() * 12) }, () => random() * 0xd7ff),
      );
    case 6:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 5) }, (_, i) => [`k${i}`, randomJson(random, depth + 1)]),
      );
  }
}

/** A value of a JSON type that can never satisfy the given valid value's schema slot. */
function wrongTypeFor(value: unknown, random: () => number): unknown {
  const candidates: unknown[] = [null, [], {}, "text", 12.5, true];
  const differing = candidates.filter((candidate) => {
    if (typeof value === "number") return typeof candidate !== "number";
    if (typeof value === "string") return typeof candidate !== "string";
    if (Array.isArray(value)) return !Array.isArray(candidate);
    if (value === null) return candidate !== null && typeof candidate !== "string";
    return typeof candidate !== "object" || candidate === null || Array.isArray(candidate);
  });
  return differing[Math.floor(random() * differing.length)];
}

describe("parseFrame fuzz", () => {
  const seed = 20_261_122;
  const iterations = 3_000;

  it("never throws and rejects random JSON values and objects with unknown types", () => {
    const random = mulberry32(seed);
    for (let i = 0; i < iterations; i++) {
      const value = randomJson(random);
      const object =
        typeof value === "object" && value !== null && !Array.isArray(value)
          ? { ...value, type: `x-${Math.floor(random() * 1e6)}` }
          : value;
      const raw = JSON.stringify(object) ?? "null";
      const asBuffer = random() < 0.5;
      const result = parseFrame(asBuffer ? Buffer.from(raw) : raw);
      expect(result.ok, `seed ${seed} iteration ${i}: ${raw.slice(0, 200)}`).toBe(false);
    }
  });

  it("rejects every valid frame with one required field of the wrong type or removed", () => {
    const random = mulberry32(seed + 1);
    for (let i = 0; i < iterations; i++) {
      const base = validFrames[Math.floor(random() * validFrames.length)]!;
      const fields = Object.keys(base).filter((key) => key !== "type");
      const field = fields[Math.floor(random() * fields.length)]!;
      const mutated: Record<string, unknown> = { ...base };
      if (random() < 0.3) delete mutated[field];
      else mutated[field] = wrongTypeFor(mutated[field], random);
      const raw = JSON.stringify(mutated);
      const result = parseFrame(raw);
      expect(result.ok, `seed ${seed + 1} iteration ${i}: ${raw.slice(0, 200)}`).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("invalid_frame");
    }
  });

  it("rejects random bytes, truncations and oversized frames without throwing", () => {
    const random = mulberry32(seed + 2);
    for (let i = 0; i < iterations; i++) {
      const text = encodeFrame(validFrames[Math.floor(random() * validFrames.length)]!);
      const cut = text.slice(0, Math.floor(random() * (text.length - 1)));
      expectError(parseFrame(cut));
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => random() * 256));
      expect(() => parseFrame(bytes)).not.toThrow();
    }
    expectError(
      parseFrame(`{"type":"ping","seq":1,"pad":"${"a".repeat(MAX_FRAME_BYTES)}"}`),
      "frame_too_large",
    );
  });
});

import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";
import { NODE_CONFIG_TYPE } from "./claims.ts";
import { signEnvelope } from "./envelope.ts";
import { ShubInputError, ShubVerifyError, type TShubRejectReason } from "./errors.ts";
import { exampleNodeConfig, realisticNodeConfig } from "./example-config.ts";
import { generateSigningKey, publicJwkOf, type TPrivateSigningJwk } from "./keys.ts";
import { signShub } from "./sign-shub.ts";
import { initialTrustSet, revokeKey, rotateTrustSet, type TTrustSet } from "./trust-set.ts";
import { signTrustUpdate } from "./trust-update.ts";
import { verifyShub } from "./verify-shub.ts";

const NOW = new Date("2026-06-01T12:00:00Z");
const LATER = new Date("2026-07-01T12:00:00Z");
let key: TPrivateSigningJwk;
let trust: TTrustSet;
let valid: string;

function sign(overrides: Partial<Parameters<typeof signShub>[0]> = {}): Promise<string> {
  return signShub({
    config: realisticNodeConfig(),
    key,
    kid: key.kid,
    issuer: "inst-42",
    nodeId: "node-a",
    version: 7,
    issuedAt: NOW,
    expiresAt: LATER,
    ...overrides,
  });
}

function verify(text: string, overrides: Partial<Parameters<typeof verifyShub>[1]> = {}) {
  return verifyShub(text, { trust, nodeId: "node-a", minVersion: 7, now: NOW, ...overrides });
}

async function rejection(promise: Promise<unknown>): Promise<{ reason: TShubRejectReason; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShubVerifyError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error("the document was accepted");
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function withHeader(text: string, header: Record<string, unknown>, signature?: string): string {
  const file = JSON.parse(text);
  return JSON.stringify({
    ...file,
    protected: b64(header),
    ...(signature === undefined ? {} : { signature }),
  });
}

/** Seeded so that a failure reproduces. */
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

function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorderKeys(v)]),
    );
  }
  return value;
}

beforeAll(async () => {
  key = await generateSigningKey();
  trust = initialTrustSet(publicJwkOf(key));
  valid = await sign();
});

describe("signShub / verifyShub", () => {
  it("keeps the config readable in the file and returns it with its metadata", async () => {
    const file = JSON.parse(valid);
    expect(file.shub).toBe(1);
    expect(file.payload.config.networks[0].cidr).toBe("10.1.0.0/16");
    expect(JSON.parse(Buffer.from(file.protected, "base64url").toString())).toEqual({
      alg: "EdDSA",
      kid: key.kid,
      typ: NODE_CONFIG_TYPE,
    });
    const { config, metadata } = await verify(valid);
    expect(config).toEqual(realisticNodeConfig());
    expect(metadata).toMatchObject({
      kid: key.kid,
      keyState: "active",
      issuer: "inst-42",
      nodeId: "node-a",
      audience: "stratum-agent",
      version: 7,
      schema: 1,
      issuedAt: NOW,
      expiresAt: LATER,
    });
    expect(metadata.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("still verifies after pretty-printing, minifying and reordering keys", async () => {
    const { metadata } = await verify(valid);
    const parsed = JSON.parse(valid);
    for (const text of [
      JSON.stringify(parsed),
      JSON.stringify(parsed, null, "\t"),
      JSON.stringify(reorderKeys(parsed), null, 4),
      `\n\n  ${JSON.stringify(reorderKeys(parsed))}  \n`,
    ]) {
      expect((await verify(text)).metadata.payloadSha256).toBe(metadata.payloadSha256);
    }
  });

  it("refuses to sign an invalid config, naming the problem", async () => {
    const config = exampleNodeConfig();
    config.networks[0]!.gateway = "10.99.0.1";
    await expect(sign({ config })).rejects.toThrow(ShubInputError);
    await expect(sign({ config })).rejects.toThrow(/networks\[0\]\.gateway: gateway 10\.99\.0\.1 is outside/);
    await expect(sign({ version: 0 })).rejects.toThrow(/positive integer/);
    await expect(sign({ expiresAt: NOW })).rejects.toThrow(/not after issue time/);
  });

  it("rejects thousands of random byte flips unless they only change formatting", async () => {
    const random = mulberry32(0x5eed);
    const original = Buffer.from(valid);
    const meaning = canonicalJson(JSON.parse(valid));
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(original);
      const at = Math.floor(random() * bytes.length);
      bytes[at] = bytes[at]! ^ (1 + Math.floor(random() * 255));
      const text = bytes.toString("utf8");
      let sameMeaning = false;
      try {
        sameMeaning = canonicalJson(JSON.parse(text)) === meaning;
      } catch {}
      if (sameMeaning) {
        await expect(verify(text)).resolves.toBeDefined();
      } else {
        await expect(verify(text), `flip at ${at}`).rejects.toBeInstanceOf(ShubVerifyError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(2500);
  });

  it("rejects thousands of random edits of signed fields as bad signatures", async () => {
    const random = mulberry32(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    for (let i = 0; i < 2000; i++) {
      const file = JSON.parse(valid);
      let parent: Record<string, unknown> | unknown[] = file.payload;
      let slot: string | number = pick(Object.keys(file.payload));
      for (;;) {
        const child: unknown = (parent as Record<string | number, unknown>)[slot];
        if (!child || typeof child !== "object" || random() < 0.3) break;
        const slots: (string | number)[] = Array.isArray(child) ? child.map((_, n) => n) : Object.keys(child);
        if (slots.length === 0) break;
        parent = child as Record<string, unknown>;
        slot = pick(slots);
      }
      const target = parent as Record<string | number, unknown>;
      const value = target[slot];
      const edit = pick(["change", "remove", "add"] as const);
      if (edit === "remove" && Array.isArray(target)) target.splice(slot as number, 1);
      else if (edit === "remove") delete target[slot];
      else if (edit === "add" && Array.isArray(target)) target.push(structuredClone(value));
      else if (edit === "add") target[`${String(slot)}_extra`] = 1;
      else if (typeof value === "number") target[slot] = value + 1;
      else if (typeof value === "string") target[slot] = `${value}x`;
      else if (typeof value === "boolean") target[slot] = !value;
      else target[slot] = null;
      const { reason } = await rejection(verify(JSON.stringify(file)));
      expect(reason, `${edit} ${String(slot)}`).toBe("bad_signature");
    }
  });

  it("rejects a signature transplanted between two valid files", async () => {
    const other = JSON.parse(await sign({ version: 8 }));
    const mine = JSON.parse(valid);
    expect((await rejection(verify(JSON.stringify({ ...mine, signature: other.signature })))).reason).toBe(
      "bad_signature",
    );
    expect((await rejection(verify(JSON.stringify({ ...other, payload: mine.payload })))).reason).toBe(
      "bad_signature",
    );
  });

  it("rejects a non-canonical spelling of a valid signature", async () => {
    const file = JSON.parse(valid);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(file.signature.at(-1));
    const signature = file.signature.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(signature, "base64url")).toEqual(Buffer.from(file.signature, "base64url"));
    expect((await rejection(verify(JSON.stringify({ ...file, signature })))).reason).toBe("bad_signature");
  });

  it("pins the algorithm: alg none and HS256 keyed with the public key are refused", async () => {
    const header = { alg: "none", kid: key.kid, typ: NODE_CONFIG_TYPE };
    expect((await rejection(verify(withHeader(valid, header, "")))).reason).toBe("malformed");
    const none = await rejection(verify(withHeader(valid, header)));
    expect(none).toMatchObject({
      reason: "algorithm_not_allowed",
      message: expect.stringMatching(/"none" is not allowed/),
    });
    const hsHeader = b64({ alg: "HS256", kid: key.kid, typ: NODE_CONFIG_TYPE });
    const payload = Buffer.from(canonicalJson(JSON.parse(valid).payload)).toString("base64url");
    for (const secret of [Buffer.from(key.x, "base64url"), JSON.stringify(publicJwkOf(key))]) {
      const mac = createHmac("sha256", secret).update(`${hsHeader}.${payload}`).digest("base64url");
      const forged = JSON.stringify({ ...JSON.parse(valid), protected: hsHeader, signature: mac });
      expect((await rejection(verify(forged))).reason).toBe("algorithm_not_allowed");
    }
  });

  it("refuses unknown kids, other types and keys carried in the header", async () => {
    const kidless = await rejection(
      verify(withHeader(valid, { alg: "EdDSA", kid: "nobody", typ: NODE_CONFIG_TYPE })),
    );
    expect(kidless).toMatchObject({
      reason: "unknown_key",
      message: expect.stringMatching(/nobody.*not in this node's trust set/),
    });
    const retyped = withHeader(valid, { alg: "EdDSA", kid: key.kid, typ: "JWT" });
    expect((await rejection(verify(retyped))).reason).toBe("bad_signature");
    const signedAsJwt = await signEnvelope(JSON.parse(valid).payload, { key, kid: key.kid, typ: "JWT" });
    expect(await rejection(verify(signedAsJwt))).toMatchObject({
      reason: "wrong_type",
      message: expect.stringMatching(/"JWT"/),
    });
    const update = await signTrustUpdate({
      next: rotateTrustSet(trust, publicJwkOf(await generateSigningKey())),
      key,
      kid: key.kid,
      issuer: "inst-42",
    });
    expect((await rejection(verify(update))).reason).toBe("wrong_type");

    const attacker = await generateSigningKey();
    const embedded = await signEnvelope(JSON.parse(valid).payload, {
      key: attacker,
      kid: attacker.kid,
      typ: NODE_CONFIG_TYPE,
    });
    const file = JSON.parse(embedded);
    for (const extra of [
      { jwk: publicJwkOf(attacker) },
      { jku: "https://attacker.test/jwks" },
      { x5c: ["MIIB"] },
    ]) {
      for (const kid of [attacker.kid, key.kid]) {
        const header = { alg: "EdDSA", kid, typ: NODE_CONFIG_TYPE, ...extra };
        expect((await rejection(verify(JSON.stringify({ ...file, protected: b64(header) })))).reason).toBe(
          "unknown_key",
        );
      }
    }
    expect((await rejection(verify(embedded))).reason).toBe("unknown_key");
    const crit = withHeader(valid, {
      alg: "EdDSA",
      kid: key.kid,
      typ: NODE_CONFIG_TYPE,
      crit: ["exp"],
      exp: 1,
    });
    expect((await rejection(verify(crit))).reason).toBe("malformed");
  });

  it("refuses replays: an older version, another node's file, an expired file, another audience", async () => {
    const old = await sign({ version: 3 });
    expect(await rejection(verify(old))).toMatchObject({
      reason: "version_rollback",
      message: "the file is version 3, older than version 7 which this node already accepted",
    });
    expect((await verify(old, { minVersion: 3 })).metadata.version).toBe(3);
    expect(await rejection(verify(valid, { nodeId: "node-b" }))).toMatchObject({
      reason: "wrong_node",
      message: "the file is for node node-a, not for this node (node-b)",
    });
    expect((await rejection(verify(valid, { now: LATER }))).reason).toBe("expired");
    expect((await rejection(verify(valid, { now: new Date(LATER.getTime() + 1) }))).reason).toBe("expired");
    expect((await verify(valid, { now: new Date(LATER.getTime() - 1000) })).metadata.version).toBe(7);
    expect((await rejection(verify(valid, { audience: "another-installation" }))).reason).toBe("wrong_node");
    expect((await verify(valid, { audience: "stratum-agent" })).metadata.audience).toBe("stratum-agent");
  });

  it("refuses a correctly signed config that does not fit the schema", async () => {
    const payload = JSON.parse(valid).payload;
    const badConfig = { ...payload, config: { ...payload.config, surprise: true } };
    const signedBadConfig = await signEnvelope(badConfig, { key, kid: key.kid, typ: NODE_CONFIG_TYPE });
    expect(await rejection(verify(signedBadConfig))).toMatchObject({
      reason: "schema_invalid",
      message: expect.stringMatching(/surprise/),
    });
    const futureSchema = await signEnvelope(
      { ...payload, schema: 2 },
      { key, kid: key.kid, typ: NODE_CONFIG_TYPE },
    );
    expect((await rejection(verify(futureSchema))).message).toMatch(/schema 2; this agent reads schema 1/);
    const extraClaim = await signEnvelope(
      { ...payload, admin: true },
      { key, kid: key.kid, typ: NODE_CONFIG_TYPE },
    );
    expect((await rejection(verify(extraClaim))).reason).toBe("schema_invalid");
  });

  it("accepts a retired key's files and refuses a revoked key's", async () => {
    const next = await generateSigningKey();
    const rotated = rotateTrustSet(trust, publicJwkOf(next));
    expect((await verify(valid, { trust: rotated })).metadata).toMatchObject({
      keyState: "retired",
      trustVersion: 2,
    });
    const revoked = revokeKey(rotated, key.kid);
    expect(await rejection(verify(valid, { trust: revoked }))).toMatchObject({
      reason: "unknown_key",
      message: expect.stringMatching(/revokes/),
    });
  });

  it("reports unparsable input as malformed", async () => {
    for (const text of [
      "",
      "not json",
      "[]",
      '{"shub":1}',
      JSON.stringify({ ...JSON.parse(valid), shub: 2 }),
      "x".repeat(5 * 1024 * 1024),
    ]) {
      expect((await rejection(verify(text))).reason).toBe("malformed");
    }
    expect((await rejection(verify(JSON.stringify({ ...JSON.parse(valid), protected: "e30" })))).reason).toBe(
      "algorithm_not_allowed",
    );
  });
});

import { CloseCode } from "@stratum/protocol";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ReplayCache } from "./replay-cache.ts";
import { SessionTokenError, type TSessionTokenRejection } from "./session-errors.ts";
import { type TNodeKeyRecord, verifySessionToken } from "./verify-session-token.ts";

const AUDIENCE = "https://panel.test";
const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);
const nowSeconds = NOW_MS / 1000;

type TKeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let nodeA: TKeyPair;
let nodeB: TKeyPair;
let nodes: Map<string, TNodeKeyRecord>;

beforeAll(async () => {
  nodeA = await generateKeyPair("EdDSA", { extractable: true });
  nodeB = await generateKeyPair("EdDSA", { extractable: true });
  nodes = new Map([
    ["node-a", { publicKey: await exportJWK(nodeA.publicKey), revoked: false }],
    ["node-b", { publicKey: await exportJWK(nodeB.publicKey), revoked: false }],
    ["node-r", { publicKey: await exportJWK(nodeB.publicKey), revoked: true }],
  ]);
});

let jtiCounter = 0;
function claims(overrides: JWTPayload = {}): JWTPayload {
  jtiCounter += 1;
  return {
    sub: "node-a",
    aud: AUDIENCE,
    iat: nowSeconds,
    exp: nowSeconds + 60,
    jti: `jti-${jtiCounter}-0123456789abcdef`,
    ...overrides,
  };
}

function sign(payload: JWTPayload, key: TKeyPair["privateKey"] = nodeA.privateKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", typ: "JWT" }).sign(key);
}

function verify(token: string, options: { nodeId?: string; replayCache?: ReplayCache } = {}) {
  return verifySessionToken({
    token,
    nodeId: options.nodeId ?? "node-a",
    audience: AUDIENCE,
    lookupNodeKey: async (nodeId) => nodes.get(nodeId) ?? null,
    replayCache: options.replayCache ?? new ReplayCache({ now: () => NOW_MS }),
    now: () => NOW_MS,
  });
}

async function expectRejection(
  promise: Promise<unknown>,
  rejection: TSessionTokenRejection,
): Promise<SessionTokenError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected rejection ${rejection}, but the token was accepted`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SessionTokenError);
  const tokenError = error as SessionTokenError;
  expect(tokenError.rejection).toBe(rejection);
  expect(tokenError.message.length).toBeGreaterThan(10);
  return tokenError;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("verifySessionToken", () => {
  it("accepts a fresh token signed by the node's key", async () => {
    const payload = claims();
    await expect(verify(await sign(payload))).resolves.toMatchObject({ sub: "node-a", jti: payload.jti });
  });

  it("tolerates 30 s of clock skew on both sides", async () => {
    await expect(
      verify(await sign(claims({ iat: nowSeconds - 85, exp: nowSeconds - 25 }))),
    ).resolves.toBeTruthy();
    await expect(
      verify(await sign(claims({ iat: nowSeconds + 25, exp: nowSeconds + 85 }))),
    ).resolves.toBeTruthy();
  });

  it("rejects alg none", async () => {
    const token = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims())}.`;
    const error = await expectRejection(verify(token), "algorithm_not_allowed");
    expect(error.message).toContain('"none"');
    expect(error.closeCode).toBe(CloseCode.AUTH_FAILED);
  });

  it("rejects HS256 keyed with the node's public key", async () => {
    const publicJwk = nodes.get("node-a")!.publicKey as { x: string };
    const secrets = [
      new TextEncoder().encode(JSON.stringify(publicJwk)),
      Buffer.from(publicJwk.x, "base64url"),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256" }).sign(secret);
      const error = await expectRejection(verify(token), "algorithm_not_allowed");
      expect(error.message).toContain("HS256");
    }
  });

  it("rejects a token signed by another node's key", async () => {
    await expectRejection(verify(await sign(claims(), nodeB.privateKey)), "bad_signature");
  });

  it("rejects a token whose subject is another node", async () => {
    await expectRejection(verify(await sign(claims({ sub: "node-b" }))), "subject_mismatch");
  });

  it("rejects an expired token", async () => {
    const error = await expectRejection(
      verify(await sign(claims({ iat: nowSeconds - 100, exp: nowSeconds - 40 }))),
      "expired",
    );
    expect(error.message).toContain("clock");
  });

  it("rejects a token whose iat is older than 60 s + skew, whatever its exp", async () => {
    await expectRejection(
      verify(await sign(claims({ iat: nowSeconds - 95, exp: nowSeconds - 35 + 30 }))),
      "expired",
    );
  });

  it("rejects a token issued in the future beyond the skew", async () => {
    await expectRejection(
      verify(await sign(claims({ iat: nowSeconds + 40, exp: nowSeconds + 90 }))),
      "issued_in_future",
    );
  });

  it("rejects a lifetime longer than 60 s", async () => {
    await expectRejection(verify(await sign(claims({ exp: nowSeconds + 61 }))), "lifetime_too_long");
  });

  it("rejects the wrong audience", async () => {
    await expectRejection(verify(await sign(claims({ aud: "https://other-panel.test" }))), "wrong_audience");
  });

  it("rejects a token without jti", async () => {
    const { jti: _omitted, ...withoutJti } = claims();
    await expectRejection(verify(await sign(withoutJti)), "invalid_claims");
  });

  it("rejects a replay within the window, per node", async () => {
    const replayCache = new ReplayCache({ now: () => NOW_MS });
    const token = await sign(claims());
    await expect(verify(token, { replayCache })).resolves.toBeTruthy();
    await expectRejection(verify(token, { replayCache }), "replayed");
  });

  it("rejects unknown and revoked nodes, revoked with its own close code", async () => {
    await expectRejection(
      verify(await sign(claims({ sub: "node-x" })), { nodeId: "node-x" }),
      "unknown_node",
    );
    const error = await expectRejection(
      verify(await sign(claims({ sub: "node-r" }), nodeB.privateKey), { nodeId: "node-r" }),
      "node_revoked",
    );
    expect(error.closeCode).toBe(CloseCode.NODE_REVOKED);
  });

  it("rejects garbage", async () => {
    await expectRejection(verify("not-a-jwt"), "malformed");
    await expectRejection(
      verify(`${base64url({ alg: "EdDSA" })}.${base64url(claims())}.AAAA`),
      "bad_signature",
    );
  });
});

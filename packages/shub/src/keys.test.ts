import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { ShubInputError } from "./errors.ts";
import { generateSigningKey, parseSigningKey, publicJwkOf } from "./keys.ts";
import { initialTrustSet, parseTrustSet, revokeKey, rotateTrustSet } from "./trust-set.ts";

describe("signing keys and trust sets", () => {
  it("names a key by its RFC 7638 thumbprint and publishes only the public half", async () => {
    const key = await generateSigningKey();
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: key.x }));
    expect(publicJwkOf(key)).not.toHaveProperty("d");
    expect(parseSigningKey(JSON.stringify(key))).toEqual(key);
    expect(parseTrustSet(JSON.stringify(initialTrustSet(publicJwkOf(key))))).toEqual({
      version: 1,
      keys: [{ ...publicJwkOf(key), state: "active" }],
    });
  });

  it("refuses key files whose halves or kid do not match", async () => {
    const [a, b] = [await generateSigningKey(), await generateSigningKey()];
    expect(() => parseSigningKey(JSON.stringify({ ...a, d: b.d }))).toThrow(
      /does not belong to the private half/,
    );
    expect(() => parseSigningKey(JSON.stringify({ ...a, kid: "mine" }))).toThrow(/RFC 7638 thumbprint/);
    expect(() => parseSigningKey(JSON.stringify(publicJwkOf(a)))).toThrow(ShubInputError);
    expect(() => parseSigningKey("{")).toThrow(/not JSON/);
  });

  it("keeps trust sets coherent: unique kids, one active key, no revoking the only active key", async () => {
    const [a, b] = [await generateSigningKey(), await generateSigningKey()];
    const first = initialTrustSet(publicJwkOf(a));
    expect(() => parseTrustSet(JSON.stringify({ version: 1, keys: [...first.keys, ...first.keys] }))).toThrow(
      /listed twice/,
    );
    expect(() => revokeKey(first, a.kid)).toThrow(/rotate to a new key before revoking/);
    expect(() => rotateTrustSet(first, publicJwkOf(a))).toThrow(/already in trust set 1/);
    const rotated = rotateTrustSet(first, publicJwkOf(b));
    expect(rotated.keys.map((k) => k.state)).toEqual(["retired", "active"]);
    expect(revokeKey(rotated, a.kid).keys.map((k) => k.state)).toEqual(["revoked", "active"]);
    expect(() =>
      parseTrustSet(JSON.stringify({ ...rotated, keys: [{ ...rotated.keys[0], state: "trusted" }] })),
    ).toThrow(/keys\[0\]\.state/);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { ShubVerifyError, type TShubRejectReason } from "./errors.ts";
import { realisticNodeConfig } from "./example-config.ts";
import { generateSigningKey, publicJwkOf, type TPrivateSigningJwk } from "./keys.ts";
import { signShub } from "./sign-shub.ts";
import { initialTrustSet, revokeKey, rotateTrustSet, type TTrustSet } from "./trust-set.ts";
import { applyTrustChain, applyTrustUpdate, signTrustUpdate } from "./trust-update.ts";
import { verifyShub } from "./verify-shub.ts";

const NOW = new Date("2026-06-01T12:00:00Z");
let keys: TPrivateSigningJwk[];
let sets: TTrustSet[];
/** updates[i] turns sets[i] into sets[i + 1], signed by the key active in sets[i]. */
let updates: string[];

async function reason(promise: Promise<unknown>): Promise<TShubRejectReason> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ShubVerifyError))
    throw new Error(`expected a ShubVerifyError, got ${String(error)}`);
  return error.reason;
}

function configSignedBy(key: TPrivateSigningJwk, version: number): Promise<string> {
  return signShub({
    config: realisticNodeConfig(),
    key,
    kid: key.kid,
    issuer: "inst-42",
    nodeId: "node-a",
    version,
    issuedAt: NOW,
    expiresAt: new Date(NOW.getTime() + 86_400_000),
  });
}

beforeAll(async () => {
  keys = await Promise.all([generateSigningKey(), generateSigningKey(), generateSigningKey()]);
  sets = [initialTrustSet(publicJwkOf(keys[0]!))];
  sets.push(rotateTrustSet(sets[0]!, publicJwkOf(keys[1]!)));
  sets.push(rotateTrustSet(sets[1]!, publicJwkOf(keys[2]!)));
  updates = await Promise.all(
    [0, 1].map((i) =>
      signTrustUpdate({ next: sets[i + 1]!, key: keys[i]!, kid: keys[i]!.kid, issuer: "inst-42" }),
    ),
  );
});

describe("trust-set rotation", () => {
  it("rotates one step: the new key signs, the old key's files keep verifying until it is dropped", async () => {
    const next = await applyTrustUpdate(sets[0]!, updates[0]!);
    expect(next).toEqual(sets[1]);
    const byNew = await configSignedBy(keys[1]!, 2);
    const byOld = await configSignedBy(keys[0]!, 1);
    const options = { trust: next, nodeId: "node-a", minVersion: 1, now: NOW };
    expect((await verifyShub(byNew, options)).metadata.keyState).toBe("active");
    expect((await verifyShub(byOld, options)).metadata.keyState).toBe("retired");
    expect(await reason(verifyShub(byNew, { ...options, trust: sets[0]! }))).toBe("unknown_key");
  });

  it("lets an agent offline across two rotations catch up through the chain, and only in order", async () => {
    expect(await applyTrustChain(sets[0]!, updates)).toEqual(sets[2]);
    expect(await reason(applyTrustUpdate(sets[0]!, updates[1]!))).toBe("unknown_key");
    expect(await reason(applyTrustChain(sets[0]!, [...updates].reverse()))).toBe("unknown_key");
    const latest = await configSignedBy(keys[2]!, 9);
    const trust = await applyTrustChain(sets[0]!, updates);
    expect(
      (await verifyShub(latest, { trust, nodeId: "node-a", minVersion: 1, now: NOW })).metadata.kid,
    ).toBe(keys[2]!.kid);
  });

  it("refuses replaying an update the agent already holds (anti-rollback)", async () => {
    expect(await reason(applyTrustUpdate(sets[1]!, updates[0]!))).toBe("unknown_key");
    const sameVersion = await signTrustUpdate({
      next: sets[1]!,
      key: keys[1]!,
      kid: keys[1]!.kid,
      issuer: "inst-42",
    });
    expect(await reason(applyTrustUpdate(sets[1]!, sameVersion))).toBe("version_rollback");
    const older = await signTrustUpdate({
      next: { ...sets[0]!, keys: sets[1]!.keys },
      key: keys[1]!,
      kid: keys[1]!.kid,
      issuer: "inst-42",
    });
    expect(await reason(applyTrustUpdate(sets[1]!, older))).toBe("version_rollback");
  });

  it("accepts trust updates only from an active key, never a retired or revoked one", async () => {
    const byRetired = await signTrustUpdate({
      next: { ...sets[1]!, version: 3 },
      key: keys[0]!,
      kid: keys[0]!.kid,
      issuer: "inst-42",
    });
    expect(await reason(applyTrustUpdate(sets[1]!, byRetired))).toBe("unknown_key");
  });

  it("revokes a compromised key: its configs and trust updates are refused and it cannot be reinstated", async () => {
    const revoked = revokeKey(sets[1]!, keys[0]!.kid);
    const revocation = await signTrustUpdate({
      next: revoked,
      key: keys[1]!,
      kid: keys[1]!.kid,
      issuer: "inst-42",
    });
    const held = await applyTrustUpdate(sets[1]!, revocation);
    expect(held.keys.find((k) => k.kid === keys[0]!.kid)?.state).toBe("revoked");

    const stolen = await configSignedBy(keys[0]!, 50);
    expect(await reason(verifyShub(stolen, { trust: held, nodeId: "node-a", minVersion: 1, now: NOW }))).toBe(
      "unknown_key",
    );
    const attackerSet: TTrustSet = {
      version: 9,
      keys: held.keys.map((k) => (k.kid === keys[0]!.kid ? { ...k, state: "active" } : k)),
    };
    const byCompromised = await signTrustUpdate({
      next: attackerSet,
      key: keys[0]!,
      kid: keys[0]!.kid,
      issuer: "x",
    });
    expect(await reason(applyTrustUpdate(held, byCompromised))).toBe("unknown_key");
    const reinstating = await signTrustUpdate({
      next: attackerSet,
      key: keys[1]!,
      kid: keys[1]!.kid,
      issuer: "inst-42",
    });
    expect(await reason(applyTrustUpdate(held, reinstating))).toBe("schema_invalid");
  });

  it("refuses a tampered update, a config offered as an update and an invalid trust set", async () => {
    const tampered = JSON.parse(updates[0]!);
    tampered.payload.trust.keys[1].x = keys[2]!.x;
    tampered.payload.trust.keys[1].kid = keys[2]!.kid;
    expect(await reason(applyTrustUpdate(sets[0]!, JSON.stringify(tampered)))).toBe("bad_signature");
    expect(await reason(applyTrustUpdate(sets[0]!, await configSignedBy(keys[0]!, 1)))).toBe("wrong_type");
    const noActive = { version: 2, keys: sets[0]!.keys.map((k) => ({ ...k, state: "retired" as const })) };
    const invalid = await signTrustUpdate({
      next: noActive,
      key: keys[0]!,
      kid: keys[0]!.kid,
      issuer: "inst-42",
    });
    expect(await reason(applyTrustUpdate(sets[0]!, invalid))).toBe("schema_invalid");
  });
});

import { type Database, openDatabase } from "@stratum/db";
import { openMigratedDatabase, type PostgresServer, startPostgres } from "@stratum/db/testing";
import { createJoinToken, EnrollError, enrollNode } from "@stratum/fleet/enrollment";
import type { TEnrollRequest, TNodeMode } from "@stratum/protocol";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_VENDOR_PRIVATE_JWK } from "../test-vendor/index.ts";
import type { LicenseFacts } from "./evaluate-license.ts";
import { issueLicense, verifyLicense } from "./license-token.ts";
import { createSeatCheck } from "./seat-check.ts";

let pg: PostgresServer;
let db: Database;
const ctx = { audience: "urn:stratum:installation:seats", panelUrl: "http://panel.test" };
const now = new Date();

beforeAll(async () => {
  pg = await startPostgres();
  const url = await pg.createDatabase("seats");
  await (await openMigratedDatabase(url)).close();
  // A connection per racing enrollment, so they contend on the seat lock rather than on the pool.
  db = await openDatabase({ databaseUrl: url, poolSize: 60 });
}, 120_000);
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

async function joinToken(mode: TNodeMode = "compute"): Promise<string> {
  const created = await db.prisma.$transaction((tx) =>
    createJoinToken(tx, { description: "seats", mode, labels: {}, maxUses: 1, expiresInHours: 1 }),
  );
  return created.token;
}

let host = 0;
async function request(token: string): Promise<TEnrollRequest> {
  const { publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    token,
    publicKey: { kty: "OKP", crv: "Ed25519", x: jwk.x! },
    hostname: `seat-host${++host}.dc.example`,
    agentVersion: "1.0.0",
    facts: { cpus: 4, memoryBytes: 8e9, kernel: "6.1", interfaces: [] },
  };
}

async function license(
  seats: { compute: number; gateway?: number },
  expiresAt = new Date(now.getTime() + 365 * 86_400_000),
) {
  const token = await issueLicense(
    TEST_VENDOR_PRIVATE_JWK,
    {
      licensee: { organisation: "Acme Hosting" },
      plan: "standard",
      seats,
      expiresAt,
      notBefore: new Date(now.getTime() - 400 * 86_400_000),
    },
    now,
  );
  return verifyLicense(token, { now, installationId: "seats", allowTestVendorKey: true });
}

async function refusal(promise: Promise<unknown>): Promise<EnrollError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EnrollError)) throw new Error(`expected an EnrollError, got ${String(error)}`);
  return error;
}

describe("seat check at enrollment", () => {
  it("lets exactly the free seats through when 50 enrollments race", async () => {
    const facts: LicenseFacts = await license({ compute: 12 });
    const seatCheck = createSeatCheck(async () => ({ license: facts, now }));
    for (let i = 0; i < 3; i++) await enrollNode(db, await request(await joinToken()), { ...ctx, seatCheck });
    const revoked = await db.prisma.node.findFirstOrThrow({ where: { mode: "compute" } });
    await db.prisma.node.update({ where: { id: revoked.id }, data: { revokedAt: now } });

    // One token each, so the join-token row lock does not serialise them: only the seat lock does.
    const requests = await Promise.all(Array.from({ length: 50 }, async () => request(await joinToken())));
    const results = await Promise.allSettled(requests.map((r) => enrollNode(db, r, { ...ctx, seatCheck })));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    for (const failure of failures) {
      expect(failure.reason).toBeInstanceOf(EnrollError);
      expect(failure.reason).toMatchObject({ code: "seat_limit", httpStatus: 403 });
      expect((failure.reason as EnrollError).message).toMatch(
        /All 12 compute seats of the Standard license are used\. Revoke a compute node you no longer need, or activate a license with more compute seats/,
      );
    }
    expect(await db.prisma.node.count({ where: { mode: "compute", revokedAt: null } })).toBe(12);
  }, 120_000);

  it("refuses gateway nodes on the free plan and every node once management is restricted", async () => {
    const free = createSeatCheck(async () => ({ license: null, now }));
    const gateway = await refusal(
      enrollNode(db, await request(await joinToken("gateway")), { ...ctx, seatCheck: free }),
    );
    expect(gateway.code).toBe("seat_limit");
    expect(gateway.message).toMatch(/gateway-mode feature, which the Free plan does not include/);

    const lapsed = await license({ compute: 1000 }, new Date(now.getTime() - 30 * 86_400_000));
    const restricted = createSeatCheck(async () => ({ license: lapsed, now }));
    const before = await db.prisma.node.count();
    const error = await refusal(
      enrollNode(db, await request(await joinToken()), { ...ctx, seatCheck: restricted }),
    );
    expect(error.message).toMatch(/New enrollments are paused: the license expired/);
    expect(await db.prisma.node.count()).toBe(before);
  });
});

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@stratum/db";
import { openMigratedDatabase, type PostgresServer, startPostgres } from "@stratum/db/testing";
import type { TEnrollRequest } from "@stratum/protocol";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateNodeKey } from "../testing/test-agent.ts";
import { createEnrollHandler } from "./enroll-http-handler.ts";
import { EnrollError, enrollNode, nameFromHostname } from "./enroll-node.ts";
import { createJoinToken, revokeJoinToken } from "./join-tokens.ts";

let pg: PostgresServer;
let db: Database;
const ctx = { audience: "urn:stratum:installation:t", panelUrl: "http://panel.test" };

beforeAll(async () => {
  pg = await startPostgres();
  db = await openMigratedDatabase(await pg.createDatabase("enroll"));
});
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

let hostCounter = 0;
async function request(token: string, extra: Partial<TEnrollRequest> = {}): Promise<TEnrollRequest> {
  const key = await generateNodeKey();
  return {
    token,
    publicKey: key.publicJwk,
    hostname: `rack1-host${++hostCounter}.dc.example`,
    agentVersion: "1.0.0",
    facts: { cpus: 4, memoryBytes: 8e9, kernel: "6.1", interfaces: [] },
    ...extra,
  };
}

async function token(options: Partial<Parameters<typeof createJoinToken>[1]> = {}, now?: Date) {
  return (
    await db.prisma.$transaction((tx) =>
      createJoinToken(
        tx,
        {
          description: "t",
          mode: "compute",
          labels: { rack: "r1" },
          maxUses: 1,
          expiresInHours: 1,
          ...options,
        },
        now,
      ),
    )
  ).token;
}

async function refusal(promise: Promise<unknown>): Promise<EnrollError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EnrollError)) throw new Error(`expected an EnrollError, got ${String(error)}`);
  return error;
}

describe("enrollment", () => {
  it("enrolls a node with the token's mode and labels, and audits it", async () => {
    const t = await token({ mode: "gateway", maxUses: 2 });
    const response = await enrollNode(db, await request(t), ctx);
    expect(response).toMatchObject({
      name: `rack1-host${hostCounter}`,
      mode: "gateway",
      audience: ctx.audience,
      hubPath: "/agent/v1",
      trustedKeys: [],
    });
    const node = await db.prisma.node.findUniqueOrThrow({ where: { id: response.nodeId } });
    expect(node.labels).toEqual({ rack: "r1" });
    expect(
      await db.prisma.auditEvent.count({ where: { action: "node.enroll", targetId: response.nodeId } }),
    ).toBe(1);
  });

  it("refuses unknown, expired, used-up, revoked and wrong-mode tokens, changing nothing", async () => {
    const before = await db.prisma.node.count();
    expect((await refusal(enrollNode(db, await request("not-a-token-at-all"), ctx))).code).toBe(
      "token_invalid",
    );
    expect((await refusal(enrollNode(db, await request(`stj_${"A".repeat(43)}`), ctx))).code).toBe(
      "token_invalid",
    );
    const expired = await token({}, new Date(Date.now() - 2 * 3_600_000));
    expect((await refusal(enrollNode(db, await request(expired), ctx))).code).toBe("token_expired");
    const once = await token();
    await enrollNode(db, await request(once), ctx);
    const used = await refusal(enrollNode(db, await request(once), ctx));
    expect(used.code).toBe("token_exhausted");
    expect(used.message).toMatch(/used 1 of 1 times/);
    const revoked = await token();
    const row = await db.prisma.joinToken.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    await db.prisma.$transaction((tx) => revokeJoinToken(tx, row.id));
    expect((await refusal(enrollNode(db, await request(revoked), ctx))).code).toBe("token_revoked");
    const compute = await token();
    const mismatch = await refusal(enrollNode(db, await request(compute, { mode: "gateway" }), ctx));
    expect(mismatch.code).toBe("mode_mismatch");
    expect(await db.prisma.node.count()).toBe(before + 1);
  });

  it("refuses a taken name and a reused key", async () => {
    const t = await token({ maxUses: 3 });
    const first = await request(t, { name: "edge-1" });
    await enrollNode(db, first, ctx);
    expect((await refusal(enrollNode(db, await request(t, { name: "edge-1" }), ctx))).code).toBe(
      "name_taken",
    );
    expect(
      (await refusal(enrollNode(db, { ...(await request(t)), publicKey: first.publicKey }, ctx))).code,
    ).toBe("key_in_use");
  });

  it("never lets concurrent enrollments exceed a token's uses", async () => {
    const t = await token({ maxUses: 10 });
    const requests = await Promise.all(Array.from({ length: 50 }, () => request(t)));
    const results = await Promise.allSettled(requests.map((r) => enrollNode(db, r, ctx)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(
      failures.every((f) => f.reason instanceof EnrollError && f.reason.code === "token_exhausted"),
    ).toBe(true);
    expect(
      (
        await db.prisma.joinToken.findFirstOrThrow({
          where: { tokenHash: { not: "" } },
          orderBy: { createdAt: "desc" },
        })
      ).uses,
    ).toBe(10);
  });

  it("runs the seat check inside the transaction and rolls back when it refuses", async () => {
    const t = await token();
    const before = await db.prisma.node.count();
    const seatCheck = async () => {
      throw new EnrollError("seat_limit", "All 3 compute seats are used.", 403);
    };
    expect((await refusal(enrollNode(db, await request(t), { ...ctx, seatCheck }))).code).toBe("seat_limit");
    expect(await db.prisma.node.count()).toBe(before);
    await expect(enrollNode(db, await request(t), ctx)).resolves.toBeTruthy();
  });

  it("derives DNS-label names from hostnames", () => {
    expect(nameFromHostname("Compute_07.rack3.example")).toBe("compute-07");
    expect(nameFromHostname("---")).toBe("node");
  });
});

describe("enrollment endpoint", () => {
  it("parses the body with the protocol schema and answers errors as the agent expects", async () => {
    const handler = createEnrollHandler({ db, logger: pino({ level: "silent" }), context: async () => ctx });
    const server = createServer(
      (req, res) => void handler(req, res).then((handled) => handled || res.writeHead(404).end()),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/agent/v1/enroll`;
    try {
      const post = (body: string) =>
        fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body });
      const notJson = await post("{");
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toEqual({
        error: { code: "invalid_request", message: "The request body is not JSON." },
      });
      const privateKey = await post(
        JSON.stringify({
          ...(await request(await token())),
          publicKey: { kty: "OKP", crv: "Ed25519", x: "a".repeat(43), d: "secret" },
        }),
      );
      expect(privateKey.status).toBe(400);
      expect(((await privateKey.json()) as { error: { message: string } }).error.message).toMatch(
        /publicKey/,
      );
      expect((await post("x".repeat(70 * 1024))).status).toBe(413);
      expect((await fetch(base)).status).toBe(405);
      const ok = await post(JSON.stringify(await request(await token())));
      expect(ok.status).toBe(200);
      const expired = await post(
        JSON.stringify(await request(await token({}, new Date(Date.now() - 3 * 3_600_000)))),
      );
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { error: { code: string } }).error.code).toBe("token_expired");
    } finally {
      server.close();
    }
  });
});

import { enrollNode } from "@stratum/fleet";
import { TRPCError } from "@trpc/server";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, apiHarness } from "../testing/api-harness.ts";

const PASSWORD = "correct horse battery";
let h: ApiHarness;
let owner: string;

beforeAll(async () => {
  h = await apiHarness();
  owner = await h.withOwner();
});
afterAll(() => h.close());

async function enrollWith(token: string, name: string) {
  const { publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwk = await exportJWK(publicKey);
  return enrollNode(
    h.db,
    {
      token,
      name,
      publicKey: { kty: "OKP", crv: "Ed25519", x: jwk.x! },
      hostname: name,
      agentVersion: "1.2.3",
      facts: { cpus: 2, memoryBytes: 1, kernel: "6.1", interfaces: [] },
    },
    { audience: "a", panelUrl: "http://panel.test", now: h.now() },
  );
}

describe("fleet procedures", () => {
  it("creates a join token shown once, with an install command, and audits it", async () => {
    const { caller } = await h.as({ token: owner });
    const created = await caller.joinTokens.create({
      description: "rack 7",
      mode: "compute",
      labels: { rack: "r7" },
      maxUses: 5,
      expiresInHours: 24,
    });
    expect(created.token).toMatch(/^stj_[A-Za-z0-9_-]{43}$/);
    expect(created.installCommand).toContain(`--panel http://panel.test --token ${created.token}`);
    const listed = await caller.joinTokens.list();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed[0]).toMatchObject({ description: "rack 7", state: "active", uses: 0 });
    const audit = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "join_token.create" } });
    expect(JSON.stringify(audit.summary)).not.toContain(created.token);
    const bad = await caller.joinTokens
      .create({
        description: "",
        mode: "compute",
        labels: { "Bad Key": "x" },
        maxUses: 0,
        expiresInHours: 2000,
      })
      .catch((e: TRPCError) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("lists nodes with server-side filters, sorting and paging, and shows details", async () => {
    const { caller } = await h.as({ token: owner });
    const { token } = await caller.joinTokens.create({
      description: "batch",
      mode: "compute",
      labels: { zone: "a" },
      maxUses: 30,
      expiresInHours: 1,
    });
    for (let i = 0; i < 25; i++) await enrollWith(token, `node-${String(i).padStart(2, "0")}`);
    const page2 = await caller.nodes.list({ page: 2, pageSize: 10, sort: "name", direction: "desc" });
    expect(page2.total).toBe(25);
    expect(page2.items.map((n) => n.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `node-${String(14 - i).padStart(2, "0")}`),
    );
    expect(page2.items.every((n) => n.state === "offline" && n.generationLag === 1)).toBe(true);
    expect((await caller.nodes.list({ search: "NODE-0", pageSize: 50 })).total).toBe(10);
    expect((await caller.nodes.list({ label: "zone=a" })).total).toBe(25);
    expect((await caller.nodes.list({ label: "zone=b" })).total).toBe(0);
    expect((await caller.nodes.list({ state: "online" })).total).toBe(0);
    const first = page2.items[0]!;
    const detail = await caller.nodes.get({ id: first.id });
    expect(detail).toMatchObject({ name: first.name, facts: { cpus: 2 }, events: [{ kind: "enrolled" }] });
    const summary = await caller.fleet.summary();
    expect(summary.byMode.find((m) => m.mode === "compute")).toMatchObject({
      online: 0,
      offline: 25,
      revoked: 0,
    });
  });

  it("revokes a node for admins only, with an audit event", async () => {
    const { caller } = await h.as({ token: owner });
    await caller.users.create({
      email: "viewer@stratum.test",
      name: "V",
      role: "viewer",
      password: PASSWORD,
    });
    const viewer = await h.as({ token: await h.signIn("viewer@stratum.test", PASSWORD) });
    const [node] = (await caller.nodes.list({ pageSize: 1 })).items;
    const denied = await viewer.caller.nodes.revoke({ id: node!.id, reason: "x" }).catch((e: TRPCError) => e);
    expect((denied as TRPCError).code).toBe("FORBIDDEN");
    expect((await viewer.caller.nodes.list({})).total).toBe(25);
    await caller.nodes.revoke({ id: node!.id, reason: "disk failure" });
    expect((await caller.nodes.get({ id: node!.id })).state).toBe("revoked");
    const again = await caller.nodes.revoke({ id: node!.id, reason: "again" }).catch((e: TRPCError) => e);
    expect((again as TRPCError).code).toBe("CONFLICT");
    expect(await h.db.prisma.auditEvent.count({ where: { action: "node.revoke", targetId: node!.id } })).toBe(
      1,
    );
  });
});

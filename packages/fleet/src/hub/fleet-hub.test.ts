import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@stratum/db";
import { openMigratedDatabase, type PostgresServer, startPostgres } from "@stratum/db/testing";
import { CloseCode, PROTOCOL_VERSION } from "@stratum/protocol";
import { base64url, SignJWT } from "jose";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { enrollNode } from "../enrollment/enroll-node.ts";
import { createJoinToken } from "../enrollment/join-tokens.ts";
import { bumpDesiredGeneration } from "../nodes/node-changes.ts";
import { revokeNode } from "../nodes/revoke-node.ts";
import { generateNodeKey, signToken, TestAgent, type TestKey } from "../testing/test-agent.ts";
import { FleetHub, type FleetHubOptions } from "./fleet-hub.ts";

const AUDIENCE = "urn:stratum:installation:test";
let pg: PostgresServer;
let databaseUrl: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  databaseUrl = await pg.createDatabase("fleet_hub");
  const db = await openMigratedDatabase(databaseUrl);
  await db.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await pg?.stop();
});

interface RunningHub {
  db: Database;
  hub: FleetHub;
  url: string;
  server: Server;
}

async function startHub(options: Partial<FleetHubOptions> = {}): Promise<RunningHub> {
  const db = await openMigratedDatabase(databaseUrl);
  const hub = new FleetHub({
    db,
    logger: pino({ level: process.env.TEST_LOG ?? "silent" }),
    audience: AUDIENCE,
    statusFlushMs: 100,
    ...options,
  });
  await hub.start();
  const server = createServer();
  server.on("upgrade", (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const running = {
    db,
    hub,
    server,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/agent/v1`,
  };
  cleanups.push(async () => {
    await hub.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  });
  return running;
}

let nodeCounter = 0;
async function enroll(
  db: Database,
  mode: "compute" | "gateway" = "compute",
): Promise<{ nodeId: string; key: TestKey }> {
  const key = await generateNodeKey();
  const { token } = await db.prisma.$transaction((tx) =>
    createJoinToken(tx, { description: "test", mode, labels: {}, maxUses: 1, expiresInHours: 1 }),
  );
  const response = await enrollNode(
    db,
    {
      token,
      publicKey: key.publicJwk,
      hostname: `host-${++nodeCounter}`,
      agentVersion: "test",
      facts: { cpus: 1, memoryBytes: 1, kernel: "6.1", interfaces: [] },
    },
    { audience: AUDIENCE, panelUrl: "http://panel.test" },
  );
  return { nodeId: response.nodeId, key };
}

function agent(url: string, options?: { autoAck?: boolean }): TestAgent {
  const a = new TestAgent(url, options);
  cleanups.push(() => a.close());
  return a;
}

async function connect(running: RunningHub, node: { nodeId: string; key: TestKey }): Promise<TestAgent> {
  const a = agent(running.url);
  await a.hello(node.nodeId, await signToken(node.key.privateKey, { sub: node.nodeId, aud: AUDIENCE }));
  await a.until(() => a.frames.some((f) => f.type === "desired"));
  return a;
}

describe("agent sessions", () => {
  it("welcomes an authenticated agent, pushes its desired state and stores its status in batches", async () => {
    const h = await startHub();
    const node = await enroll(h.db);
    const a = await connect(h, node);
    expect(a.frames[0]).toMatchObject({
      type: "welcome",
      protocolVersion: PROTOCOL_VERSION,
      heartbeatIntervalMs: 10_000,
      offlineAfterMs: 30_000,
    });
    expect(a.frames[1]).toMatchObject({ type: "desired", generation: 1, config: null, tasks: [] });
    await new Promise((r) => setTimeout(r, 100));
    await h.hub.flushStatus();
    const row = await h.db.prisma.node.findUniqueOrThrow({ where: { id: node.nodeId } });
    expect(row.observedGeneration).toBe(1n);
    expect(row.agentVersion).toBe("test-1.0.0");
    expect(row.hubInstance).toBe(h.hub.instanceId);
    expect(row.lastSeenAt).not.toBeNull();
    const events = await h.db.prisma.nodeEvent.findMany({
      where: { nodeId: node.nodeId },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["enrolled", "connected"]);
  });

  it("refuses bad session tokens with 4001 and a reason, and records it on the node", async () => {
    const h = await startHub();
    const node = await enroll(h.db);
    const other = await enroll(h.db);
    const header = (alg: string) => base64url.encode(JSON.stringify({ alg, typ: "JWT" }));
    const payload = base64url.encode(
      JSON.stringify({
        sub: node.nodeId,
        aud: AUDIENCE,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 30,
        jti: "a".repeat(22),
      }),
    );
    const hmacWithPublicKey = await new SignJWT({ aud: AUDIENCE })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(node.nodeId)
      .setIssuedAt()
      .setExpirationTime("30s")
      .setJti("b".repeat(22))
      .sign(new TextEncoder().encode(node.key.publicJwk.x));
    const cases: [string, string][] = [
      ["alg none", `${header("none")}.${payload}.`],
      ["HS256 keyed by the public key", hmacWithPublicKey],
      ["another node's key", await signToken(other.key.privateKey, { sub: node.nodeId, aud: AUDIENCE })],
      ["expired", await signToken(node.key.privateKey, { sub: node.nodeId, aud: AUDIENCE, iatOffset: -200 })],
      [
        "wrong audience",
        await signToken(node.key.privateKey, { sub: node.nodeId, aud: "urn:stratum:installation:other" }),
      ],
    ];
    for (const [name, token] of cases) {
      const a = agent(h.url);
      await a.hello(node.nodeId, token);
      const closed = await a.closedWith();
      expect(closed.code, name).toBe(CloseCode.AUTH_FAILED);
      expect(closed.reason.length, name).toBeGreaterThan(5);
      expect(
        a.frames.filter((f) => f.type === "welcome"),
        name,
      ).toHaveLength(0);
    }
    await new Promise((r) => setTimeout(r, 200));
    await h.hub.flushStatus();
    const row = await h.db.prisma.node.findUniqueOrThrow({ where: { id: node.nodeId } });
    expect(row.lastRejection).toBeTruthy();
    expect(row.hubInstance).toBeNull();
  });

  it("rejects a replayed token", async () => {
    const h = await startHub();
    const node = await enroll(h.db);
    const token = await signToken(node.key.privateKey, { sub: node.nodeId, aud: AUDIENCE });
    const first = agent(h.url);
    await first.hello(node.nodeId, token);
    await first.until(() => first.frames.find((f) => f.type === "welcome"));
    const replay = agent(h.url);
    await replay.hello(node.nodeId, token);
    const closed = await replay.closedWith();
    expect(closed.code).toBe(CloseCode.AUTH_FAILED);
    expect(closed.reason).toMatch(/replay/i);
  });

  it("closes an incompatible agent with 4003 naming both ranges, shown on the node", async () => {
    const h = await startHub();
    const node = await enroll(h.db);
    const a = agent(h.url);
    await a.hello(node.nodeId, await signToken(node.key.privateKey, { sub: node.nodeId, aud: AUDIENCE }), {
      min: 90,
      max: 99,
    });
    const closed = await a.closedWith();
    expect(closed.code).toBe(CloseCode.INCOMPATIBLE_PROTOCOL);
    expect(closed.reason).toMatch(/90\.\.99/);
    await new Promise((r) => setTimeout(r, 200));
    await h.hub.flushStatus();
    expect((await h.db.prisma.node.findUniqueOrThrow({ where: { id: node.nodeId } })).lastRejection).toMatch(
      /incompatible protocol/,
    );
  });

  it("survives a fuzzed stream of bad frames, answering with errors or closes and writing nothing", async () => {
    const h = await startHub();
    const node = await enroll(h.db);
    const before = await h.db.prisma.nodeEvent.count();
    const garbage = [
      "{",
      "null",
      "[]",
      '{"type":"status"}',
      '{"type":"nope"}',
      JSON.stringify({ type: "hello", nodeId: 5 }),
      "\u0000\u0001",
    ];
    for (const frame of garbage) {
      const a = agent(h.url);
      await a.opened();
      a.send(frame);
      expect((await a.closedWith()).code, frame).toBe(CloseCode.PROTOCOL_VIOLATION);
    }
    const early = agent(h.url);
    await early.opened();
    early.send({ type: "ping", seq: 1 });
    expect((await early.closedWith()).reason).toMatch(/hello first/);
    const big = agent(h.url);
    await big.opened();
    big.send("x".repeat(1024 * 1024 + 10));
    expect((await big.closedWith()).code).toBe(1009);

    const a = await connect(h, node);
    for (const frame of garbage) a.send(frame);
    await a.until(() => a.frames.filter((f) => f.type === "error").length >= garbage.length);
    expect(a.closed).toBeUndefined();
    await h.hub.flushStatus();
    expect(await h.db.prisma.nodeEvent.count()).toBe(before + 1);
    const healthy = await connect(h, await enroll(h.db));
    expect(healthy.closed).toBeUndefined();
  });

  it("closes a connection that floods frames with 4005", async () => {
    const h = await startHub({ framesPerSecond: 5, frameBurst: 10 });
    const a = await connect(h, await enroll(h.db));
    for (let i = 0; i < 50; i++) a.send({ type: "ping", seq: i });
    expect((await a.closedWith()).code).toBe(CloseCode.RATE_LIMITED);
  });

  it("closes a silent agent after the offline window and one that never says hello", async () => {
    const h = await startHub({ offlineAfterMs: 2000, heartbeatIntervalMs: 1000, helloTimeoutMs: 500 });
    const mute = agent(h.url);
    await mute.opened();
    expect((await mute.closedWith()).code).toBe(CloseCode.HELLO_TIMEOUT);
    const node = await enroll(h.db);
    const a = agent(h.url, { autoAck: false });
    await a.hello(node.nodeId, await signToken(node.key.privateKey, { sub: node.nodeId, aud: AUDIENCE }));
    expect((await a.closedWith()).code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
  });
});

describe("desired-state push", () => {
  it("pushes a bumped generation to every connected agent, latest wins", async () => {
    const h = await startHub();
    const agents = await Promise.all([1, 2, 3].map(async () => connect(h, await enroll(h.db))));
    await h.db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, "all"));
    for (const a of agents) await a.until(() => a.latestGeneration() === 2);
    for (let i = 0; i < 5; i++) await h.db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, "all"));
    for (const a of agents) await a.until(() => a.latestGeneration() === 7);
    for (const a of agents) {
      const generations = a.frames
        .filter((f) => f.type === "desired")
        .map((f) => (f as { generation: number }).generation);
      expect([...generations].sort((x, y) => x - y)).toEqual(generations);
    }
  });

  it("works across two panel replicas on one PostgreSQL", async () => {
    const a = await startHub();
    const b = await startHub();
    const node = await enroll(a.db);
    const onB = await connect(b, node);
    await a.db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, [node.nodeId]));
    await onB.until(() => onB.latestGeneration() === 2);
    const onA = await connect(a, node);
    expect((await onB.closedWith()).code).toBe(CloseCode.SESSION_REPLACED);
    await b.hub.flushStatus();
    await a.hub.flushStatus();
    const row = await a.db.prisma.node.findUniqueOrThrow({ where: { id: node.nodeId } });
    expect(row.hubInstance).toBe(a.hub.instanceId);
    expect(onA.closed).toBeUndefined();
  });

  it("closes a revoked node's socket at once and its key stops working", async () => {
    const a = await startHub();
    const b = await startHub();
    const node = await enroll(a.db);
    const session = await connect(b, node);
    await a.db.prisma.$transaction((tx) => revokeNode(tx, node.nodeId, "decommissioned"));
    expect((await session.closedWith()).code).toBe(CloseCode.NODE_REVOKED);
    const again = agent(a.url);
    await again.hello(node.nodeId, await signToken(node.key.privateKey, { sub: node.nodeId, aud: AUDIENCE }));
    expect((await again.closedWith()).code).toBe(CloseCode.NODE_REVOKED);
  });

  it("closes every session with 1001 on shutdown", async () => {
    const h = await startHub();
    const a = await connect(h, await enroll(h.db));
    await h.hub.close();
    expect((await a.closedWith()).code).toBe(CloseCode.GOING_AWAY);
  });
});

import { CloseCode, type TStatusFrame } from "@stratum/protocol";
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { NodeIdentity } from "../identity/node-identity.ts";
import { captureLogs } from "../testing/capture-logs.ts";
import { createTestIdentity } from "../testing/create-test-identity.ts";
import { eventually, FakeClock } from "../testing/fake-clock.ts";
import { HubClient } from "./hub-client.ts";
import { type MemoryHubPeer, MemoryHubTransport } from "./memory-hub-transport.ts";

const URL = "ws://panel.test/agent/v1";
const AUDIENCE = "https://panel.test";
const status: Omit<TStatusFrame, "type"> = {
  observedGeneration: 0,
  health: "unknown",
  capacity: { cpus: 2, memoryBytes: 1024, memoryAvailableBytes: 512, endpoints: 0 },
  agentVersion: "0.1.0",
  clusterRole: "none",
  conditions: [],
  tasks: [],
};
const welcome = {
  type: "welcome",
  protocolVersion: 1,
  sessionId: "session-1",
  heartbeatIntervalMs: 10_000,
  offlineAfterMs: 30_000,
  serverTime: "2026-11-22T12:00:00.000Z",
};

let identity: NodeIdentity;
beforeAll(async () => {
  identity = await createTestIdentity();
});

function setup(options: { random?: () => number } = {}) {
  const clock = new FakeClock();
  const transport = new MemoryHubTransport();
  const logs = captureLogs();
  const desired: number[] = [];
  const client = new HubClient({
    url: URL,
    nodeId: "node-1",
    audience: AUDIENCE,
    identity,
    agentVersion: "0.1.0",
    transport,
    logger: logs.logger,
    clock,
    random: options.random ?? (() => 1),
    onDesired: (frame) => desired.push(frame.generation),
    currentStatus: () => status,
  });
  return { clock, transport, logs, desired, client };
}

async function openAndHello(peer: MemoryHubPeer): Promise<void> {
  peer.open();
  await eventually(() => peer.received.length > 0);
}

async function connect(peer: MemoryHubPeer): Promise<void> {
  await openAndHello(peer);
  peer.send(welcome);
}

describe("HubClient", () => {
  it("opens with a hello carrying a fresh EdDSA JWT bound to node and audience", async () => {
    const { transport, client, clock } = setup();
    client.start();
    const peer = transport.latest!;
    expect(peer.url).toBe(URL);
    await openAndHello(peer);
    const [hello] = peer.frames<{ type: string; token: string; nodeId: string; protocol: unknown }>();
    expect(hello).toMatchObject({ type: "hello", nodeId: "node-1", protocol: { min: 1, max: 1 } });
    expect(decodeProtectedHeader(hello!.token).alg).toBe("EdDSA");
    const key = await importJWK(identity.publicJwk, "EdDSA");
    const { payload } = await jwtVerify(hello!.token, key, {
      audience: AUDIENCE,
      subject: "node-1",
      currentDate: new Date(clock.now()),
    });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti!.length).toBeGreaterThanOrEqual(16);
  });

  it("uses a new jti for every session", async () => {
    const { transport, client, clock } = setup();
    client.start();
    await openAndHello(transport.latest!);
    transport.latest!.close(CloseCode.GOING_AWAY, "panel restarting");
    await clock.advance(1_000);
    await openAndHello(transport.latest!);
    const jtis = transport.peers.map((peer) => decodeJwt(peer.frames<{ token: string }>()[0]!.token).jti);
    expect(jtis).toHaveLength(2);
    expect(new Set(jtis).size).toBe(2);
  });

  it("reports status on welcome, acks and forwards desired generations", async () => {
    const { transport, client, desired } = setup();
    client.start();
    const peer = transport.latest!;
    await connect(peer);
    expect(client.state).toBe("connected");
    peer.send({ type: "desired", generation: 4, config: null, tasks: [] });
    expect(peer.frames().map((frame) => frame.type)).toEqual(["hello", "status", "ack"]);
    expect(peer.frames()[2]).toEqual({ type: "ack", generation: 4 });
    expect(desired).toEqual([4]);
    client.sendStatus({ ...status, observedGeneration: 4 });
    expect(peer.frames().at(-1)).toMatchObject({ type: "status", observedGeneration: 4 });
  });

  it("answers bad frames with an error frame and keeps the session", async () => {
    const { transport, client, desired, logs } = setup();
    client.start();
    const peer = transport.latest!;
    await openAndHello(peer);
    peer.send({ type: "desired", generation: 1, config: null, tasks: [] });
    peer.send("{oops");
    peer.send({ type: "desired", generation: "two", config: null, tasks: [] });
    expect(desired).toEqual([]);
    const errors = peer.frames<{ type: string; code: string }>().filter((frame) => frame.type === "error");
    expect(errors.map((frame) => frame.code)).toEqual(["unexpected_frame", "invalid_json", "invalid_frame"]);
    peer.send(welcome);
    expect(client.state).toBe("connected");
    peer.send({ type: "error", code: "rate_limited", message: "slow down" });
    expect(
      logs.lines().some((line) => line.msg === "hub reported an error" && line.detail === "slow down"),
    ).toBe(true);
  });

  it("reconnects with exponential backoff capped at 30 s and resets after a session", async () => {
    const { transport, client, clock } = setup({ random: () => 1 });
    client.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 9; attempt++) {
      transport.latest!.fail();
      delays.push(clock.pendingDelays()[0]!);
      await clock.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(transport.peers).toHaveLength(10);
    await connect(transport.latest!);
    transport.latest!.close(CloseCode.GOING_AWAY, "panel shutting down");
    expect(clock.pendingDelays()).toEqual([500]);
  });

  it("jitters the delay between half and the full window", async () => {
    const { transport, client, clock } = setup({ random: () => 0 });
    client.start();
    transport.latest!.fail();
    expect(clock.pendingDelays()).toEqual([250]);
  });

  it("stops reconnecting when revoked and logs the close reason", async () => {
    const { transport, client, clock, logs } = setup();
    client.start();
    await connect(transport.latest!);
    transport.latest!.close(CloseCode.NODE_REVOKED, "node node-1 was revoked by admin@example.net");
    expect(client.state).toBe("revoked");
    await clock.advance(120_000);
    expect(transport.peers).toHaveLength(1);
    const line = logs.lines().find((entry) => entry.closeCode === "node_revoked");
    expect(line?.level).toBe(50);
    expect(line?.reason).toBe("node node-1 was revoked by admin@example.net");
    expect(line?.msg).toContain("revoked by admin@example.net");
    expect(client.snapshot().lastClose).toMatchObject({ code: 4002, name: "node_revoked" });
  });

  it("retries auth failures slowly and logs why", async () => {
    const { transport, client, clock, logs } = setup({ random: () => 0 });
    client.start();
    await openAndHello(transport.latest!);
    transport.latest!.close(CloseCode.AUTH_FAILED, "token signature does not match this node's enrolled key");
    expect(clock.pendingDelays()).toEqual([15_000]);
    const line = logs.lines().find((entry) => entry.closeCode === "auth_failed");
    expect(line?.msg).toContain("token signature does not match");
  });

  it("never logs the session token", async () => {
    const { transport, client, logs } = setup();
    client.start();
    await openAndHello(transport.latest!);
    const token = transport.latest!.frames<{ token: string }>()[0]!.token;
    transport.latest!.close(CloseCode.AUTH_FAILED, "bad");
    expect(logs.raw.join("")).not.toContain(token);
    expect(logs.raw.join("")).not.toContain(token.split(".")[2]);
  });

  it("pings every heartbeat interval and reconnects when the hub goes silent", async () => {
    const { transport, client, clock } = setup();
    client.start();
    const peer = transport.latest!;
    peer.onReceive((text) => {
      const frame = JSON.parse(text) as { type: string; seq?: number };
      if (frame.type === "ping" && frame.seq! < 2) peer.send({ type: "pong", seq: frame.seq });
    });
    await connect(peer);
    await clock.advance(10_000);
    await clock.advance(10_000);
    expect(peer.frames().filter((frame) => frame.type === "ping")).toHaveLength(2);
    await clock.advance(30_000);
    expect(peer.closed).toMatchObject({ code: CloseCode.HEARTBEAT_TIMEOUT, by: "agent" });
    expect(client.state).toBe("waiting");
    await clock.advance(1_000);
    expect(transport.peers).toHaveLength(2);
  });

  it("gives up on a connection that never welcomes", async () => {
    const { transport, client, clock } = setup();
    client.start();
    transport.latest!.open();
    await clock.advance(10_000);
    expect(transport.peers[0]!.closed).toMatchObject({ code: CloseCode.PROTOCOL_VIOLATION, by: "agent" });
    expect(client.state).toBe("waiting");
  });

  it("answers pings from the hub", async () => {
    const { transport, client } = setup();
    client.start();
    await connect(transport.latest!);
    transport.latest!.send({ type: "ping", seq: 42 });
    expect(transport.latest!.frames().at(-1)).toEqual({ type: "pong", seq: 42 });
  });

  it("closes with 1001 on stop and does not reconnect", async () => {
    const { transport, client, clock } = setup();
    client.start();
    await connect(transport.latest!);
    await Promise.all([client.stop(), client.stop()]);
    expect(transport.latest!.closed).toEqual({ code: 1001, reason: "agent shutting down", by: "agent" });
    expect(client.state).toBe("stopped");
    await clock.advance(60_000);
    expect(transport.peers).toHaveLength(1);
  });

  it("stops cleanly while waiting to reconnect", async () => {
    const { transport, client, clock } = setup();
    client.start();
    transport.latest!.fail();
    await client.stop();
    await clock.advance(60_000);
    expect(transport.peers).toHaveLength(1);
    expect(clock.pendingDelays()).toEqual([]);
  });
});

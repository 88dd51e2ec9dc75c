import type { AddressInfo } from "node:net";
import { OutboundQueue, ReplayCache, SessionTokenError, verifySessionToken } from "@stratum/fleet";
import {
  CloseCode,
  closeReason,
  encodeFrame,
  MAX_FRAME_BYTES,
  negotiateProtocolVersion,
  parseAgentFrame,
  type TAgentFrame,
} from "@stratum/protocol";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import type { NodeIdentity } from "../identity/node-identity.ts";
import { captureLogs } from "../testing/capture-logs.ts";
import { createTestIdentity } from "../testing/create-test-identity.ts";
import { HubClient } from "./hub-client.ts";
import { WsHubTransport } from "./ws-hub-transport.ts";

const AUDIENCE = "https://panel.test";

let identity: NodeIdentity;
let revoked = false;
beforeAll(async () => {
  identity = await createTestIdentity();
});

type TTestHub = {
  url: string;
  received: TAgentFrame[];
  rejections: string[];
  sockets: Set<WebSocket>;
  tokens: string[];
  close(): Promise<void>;
};

/**
 * The smallest hub that exercises the real contract end to end: the fleet verifier and replay
 * cache, the outbound queue, frame parsing and version negotiation, over a real `ws` server.
 */
async function startTestHub(port = 0): Promise<TTestHub> {
  const server = new WebSocketServer({
    host: "127.0.0.1",
    port,
    path: "/agent/v1",
    maxPayload: MAX_FRAME_BYTES,
  });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const replayCache = new ReplayCache();
  const hub: TTestHub = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/agent/v1`,
    received: [],
    rejections: [],
    sockets: new Set(),
    tokens: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of hub.sockets) socket.close(CloseCode.GOING_AWAY, "panel shutting down");
        server.close(() => resolve());
      }),
  };
  server.on("connection", (socket) => {
    hub.sockets.add(socket);
    socket.on("close", () => hub.sockets.delete(socket));
    const queue = new OutboundQueue(socket);
    let authenticated = false;
    socket.on("message", async (data: Buffer) => {
      const parsed = parseAgentFrame(data);
      if (!parsed.ok) {
        socket.close(CloseCode.PROTOCOL_VIOLATION, closeReason(parsed.error.message));
        return;
      }
      const frame = parsed.frame;
      hub.received.push(frame);
      if (frame.type !== "hello") {
        if (!authenticated) socket.close(CloseCode.PROTOCOL_VIOLATION, "frame before hello");
        if (frame.type === "ping") queue.send({ type: "pong", seq: frame.seq });
        return;
      }
      hub.tokens.push(frame.token);
      const version = negotiateProtocolVersion(frame.protocol);
      if (!version.ok) {
        socket.close(CloseCode.INCOMPATIBLE_PROTOCOL, closeReason(version.reason));
        return;
      }
      try {
        await verifySessionToken({
          token: frame.token,
          nodeId: frame.nodeId,
          audience: AUDIENCE,
          replayCache,
          lookupNodeKey: async (nodeId) =>
            nodeId === "node-1" ? { publicKey: identity.publicJwk, revoked } : null,
        });
      } catch (error) {
        if (!(error instanceof SessionTokenError)) throw error;
        hub.rejections.push(error.rejection);
        socket.close(error.closeCode, closeReason(error.message));
        return;
      }
      authenticated = true;
      queue.send({
        type: "welcome",
        protocolVersion: version.version,
        sessionId: `session-${hub.tokens.length}`,
        heartbeatIntervalMs: 10_000,
        offlineAfterMs: 30_000,
        serverTime: new Date().toISOString(),
      });
      queue.sendDesired({ type: "desired", generation: 7, config: null, tasks: [] });
    });
  });
  return hub;
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting for condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  revoked = false;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startClient(url: string) {
  const logs = captureLogs();
  const desired: number[] = [];
  const client = new HubClient({
    url,
    nodeId: "node-1",
    audience: AUDIENCE,
    identity,
    agentVersion: "0.1.0",
    transport: new WsHubTransport(),
    logger: logs.logger,
    random: () => 0,
    onDesired: (frame) => desired.push(frame.generation),
    currentStatus: () => ({
      observedGeneration: 0,
      health: "unknown",
      capacity: { cpus: 1, memoryBytes: 1, memoryAvailableBytes: 1, endpoints: 0 },
      agentVersion: "0.1.0",
      clusterRole: "none",
      conditions: [],
      tasks: [],
    }),
  });
  client.start();
  cleanups.push(() => client.stop());
  return { client, logs, desired };
}

describe("hub client over real WebSockets", () => {
  it("authenticates with a JWT the fleet verifier accepts, receives desired state and acks it", async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { client, desired } = startClient(hub.url);
    await waitFor(() => hub.received.some((frame) => frame.type === "ack"));
    expect(client.state).toBe("connected");
    expect(hub.rejections).toEqual([]);
    expect(desired).toEqual([7]);
    expect(hub.received.map((frame) => frame.type)).toEqual(["hello", "status", "ack"]);
  });

  it("a replayed hello token is rejected by the hub", async () => {
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    startClient(hub.url);
    await waitFor(() => hub.tokens.length === 1 && hub.received.some((frame) => frame.type === "ack"));
    const attacker = new WebSocket(hub.url);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      attacker.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((resolve) => attacker.on("open", resolve));
    attacker.send(
      encodeFrame({
        type: "hello",
        protocol: { min: 1, max: 1 },
        agentVersion: "0.1.0",
        nodeId: "node-1",
        token: hub.tokens[0]!,
      }),
    );
    expect(await closed).toEqual({
      code: CloseCode.AUTH_FAILED,
      reason: "token was already used (jti replay)",
    });
    expect(hub.rejections).toEqual(["replayed"]);
  });

  it("logs the revocation reason and stops reconnecting", async () => {
    revoked = true;
    const hub = await startTestHub();
    cleanups.push(() => hub.close());
    const { client, logs } = startClient(hub.url);
    await waitFor(() => client.state === "revoked");
    const line = logs.lines().find((entry) => entry.closeCode === "node_revoked");
    expect(line?.reason).toBe("node node-1 was revoked; enroll it again to reconnect");
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(hub.tokens).toHaveLength(1);
  });

  it("reconnects after the panel shuts down with 1001", async () => {
    const hub = await startTestHub();
    const { client } = startClient(hub.url);
    await waitFor(() => client.state === "connected");
    const port = new URL(hub.url).port;
    await hub.close();
    await waitFor(() => client.state === "waiting");
    expect(client.snapshot().lastClose?.code).toBe(CloseCode.GOING_AWAY);
    const restarted = await startTestHub(Number(port));
    cleanups.push(() => restarted.close());
    await waitFor(() => client.state === "connected", 10_000);
  });
});

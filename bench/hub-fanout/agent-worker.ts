// A worker process holding a slice of the simulated agents: real WebSocket sessions over loopback,
// each agent signing its own session JWT (EdDSA, jose) with its own Ed25519 key.
//
// Per agent it does what agent/src/hub/hub-client.ts does on the wire: hello with a fresh token,
// status after welcome, ack on every desired (then status with the new observedGeneration), pong to
// the hub's pings, its own ping every heartbeatIntervalMs, and reconnect with the protocol's jittered
// backoff when a session ends. Frames from the hub are read with JSON.parse instead of the zod parser
// so the load generator, which shares the two cores with the hub, spends as little CPU as it can.
import { createPrivateKey, type KeyObject, randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import WebSocket from "ws";
import { type FromWorker, now, type SimNode, type ToWorker, type WorkerStats } from "./messages.ts";

const PROTOCOL = { min: 1, max: 1 };
const AGENT_VERSION = "bench-0.1.0";

let url = "";
let audience = "";
let localAddresses: string[] = [];
let concurrency = 50;
let statusAfterDesired = false;
let agentPings = true;
let agents: SimAgent[] = [];
let stopping = false;
let firstAttemptAt = 0;
let lastWelcomeAt = 0;
let welcomedOnce = 0;
let connectedReported = false;
let inFlight = 0;
const waiting: SimAgent[] = [];
const stats = {
  attempts: 0,
  errors: 0,
  framesIn: 0,
  framesOut: 0,
  closes: {} as Record<string, number>,
  reasons: {} as Record<string, string>,
};

function send(message: FromWorker): void {
  process.send?.(message);
}

class SimAgent {
  readonly key: KeyObject;
  ws: WebSocket | null = null;
  handshaking = false;
  session = false;
  lastGeneration = -1;
  /** [generation, time] for every desired frame newer than the last one seen. */
  readonly history: number[] = [];
  welcomedAt = 0;
  failures = 0;
  pingSeq = 0;
  interval = 10_000;
  heartbeat: NodeJS.Timeout | null = null;
  retry: NodeJS.Timeout | null = null;

  constructor(
    readonly node: SimNode,
    readonly index: number,
  ) {
    this.key = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x: node.x, d: node.d }, format: "jwk" });
  }

  connect(): void {
    if (stopping) return;
    stats.attempts += 1;
    this.handshaking = true;
    inFlight += 1;
    const localAddress = localAddresses[this.index % localAddresses.length];
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 30_000, localAddress });
    this.ws = ws;
    ws.on("open", () => void this.#hello(ws));
    ws.on("message", (data) => this.#onMessage(ws, data as Buffer));
    ws.on("error", () => {
      stats.errors += 1;
    });
    ws.on("close", (code, reason) => {
      stats.reasons[code] ??= reason.toString().slice(0, 120);
      this.#onClose(ws, code);
    });
  }

  async #hello(ws: WebSocket): Promise<void> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
      .setSubject(this.node.id)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 60)
      .setJti(randomBytes(16).toString("base64url"))
      .sign(this.key);
    if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
    this.#send({
      type: "hello",
      protocol: PROTOCOL,
      agentVersion: AGENT_VERSION,
      nodeId: this.node.id,
      token,
    });
  }

  #send(frame: Record<string, unknown>): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    stats.framesOut += 1;
    ws.send(JSON.stringify(frame));
  }

  #status(): void {
    this.#send({
      type: "status",
      observedGeneration: Math.max(0, this.lastGeneration),
      health: "healthy",
      capacity: { cpus: 1, memoryBytes: 0, memoryAvailableBytes: 0, endpoints: 0 },
      agentVersion: AGENT_VERSION,
      clusterRole: "none",
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "Simulated",
          message: "bench agent",
          lastTransition: new Date().toISOString(),
        },
      ],
      tasks: [],
    });
  }

  #onMessage(ws: WebSocket, data: Buffer): void {
    if (ws !== this.ws) return;
    const at = now();
    stats.framesIn += 1;
    let frame: { type?: string; generation?: number; seq?: number; heartbeatIntervalMs?: number };
    try {
      frame = JSON.parse(data.toString("utf8"));
    } catch {
      return;
    }
    switch (frame.type) {
      case "welcome": {
        this.#endHandshake();
        this.session = true;
        this.failures = 0;
        if (this.welcomedAt === 0) {
          this.welcomedAt = at;
          lastWelcomeAt = Math.max(lastWelcomeAt, at);
          welcomedOnce += 1;
          if (welcomedOnce === agents.length && !connectedReported) {
            connectedReported = true;
            send({ type: "connected", firstAttemptAt, lastWelcomeAt, welcomed: welcomedOnce });
          }
        }
        // The real agent sends status right after welcome; --first-status after-desired holds it
        // until the first desired frame has arrived.
        if (!statusAfterDesired) this.#status();
        this.interval = frame.heartbeatIntervalMs ?? 10_000;
        if (!statusAfterDesired) this.#startHeartbeat();
        return;
      }
      case "desired": {
        const generation = frame.generation ?? 0;
        this.#send({ type: "ack", generation });
        if (generation > this.lastGeneration) {
          this.lastGeneration = generation;
          this.history.push(generation, at);
          this.#status();
        } else if (statusAfterDesired) this.#status();
        if (!this.heartbeat) this.#startHeartbeat();
        return;
      }
      case "ping":
        this.#send({ type: "pong", seq: frame.seq ?? 0 });
        return;
      default:
        return;
    }
  }

  #startHeartbeat(): void {
    // The real agent pings heartbeatIntervalMs after welcome. Agents of a real fleet do not all
    // connect within seconds of each other, so the first ping gets a random phase instead.
    this.heartbeat = setTimeout(() => {
      this.#ping();
      this.heartbeat = setInterval(() => this.#ping(), this.interval);
    }, Math.random() * this.interval);
  }

  #ping(): void {
    if (!agentPings) return;
    this.#send({ type: "ping", seq: ++this.pingSeq });
  }

  #endHandshake(): void {
    if (!this.handshaking) return;
    this.handshaking = false;
    inFlight -= 1;
    pump();
  }

  #onClose(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    stats.closes[code] = (stats.closes[code] ?? 0) + 1;
    this.ws = null;
    this.session = false;
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    this.#endHandshake();
    if (stopping) return;
    // The protocol's backoff: min(30 s, 0.5 s · 2^attempt), half fixed and half random.
    const base = Math.min(30_000, 500 * 2 ** this.failures);
    this.failures += 1;
    this.retry = setTimeout(
      () => {
        this.retry = null;
        waiting.push(this);
        pump();
      },
      base / 2 + (Math.random() * base) / 2,
    );
  }

  stop(): void {
    if (this.retry) clearTimeout(this.retry);
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.ws?.terminate();
  }
}

/** Starts handshakes from the queue while fewer than `concurrency` are in flight. */
function pump(): void {
  while (!stopping && inFlight < concurrency && waiting.length > 0) waiting.shift()!.connect();
}

function timeFor(agent: SimAgent, generation: number): number | undefined {
  for (let i = 0; i < agent.history.length; i += 2)
    if (agent.history[i]! >= generation) return agent.history[i + 1];
  return undefined;
}

async function expect(generation: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && agents.some((a) => a.lastGeneration < generation))
    await new Promise((r) => setTimeout(r, 20));
  const times: number[] = [];
  let missing = 0;
  for (const agent of agents) {
    const t = timeFor(agent, generation);
    if (t === undefined) missing += 1;
    else times.push(t);
  }
  send({ type: "received", generation, times, missing });
}

function currentStats(): WorkerStats {
  return {
    agents: agents.length,
    sessions: agents.filter((a) => a.session).length,
    welcomedOnce,
    attempts: stats.attempts,
    closes: stats.closes,
    reasons: stats.reasons,
    errors: stats.errors,
    framesIn: stats.framesIn,
    framesOut: stats.framesOut,
    rss: process.memoryUsage().rss,
    cpu: process.cpuUsage(),
  };
}

process.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "init":
      url = message.url;
      audience = message.audience;
      localAddresses = message.localAddresses;
      concurrency = message.concurrency;
      statusAfterDesired = message.firstStatus === "after-desired";
      agentPings = message.agentPings !== false;
      agents = message.nodes.map((node, i) => new SimAgent(node, i));
      send({ type: "ready" });
      return;
    case "connect":
      firstAttemptAt = now();
      waiting.push(...agents);
      pump();
      return;
    case "expect":
      void expect(message.generation, message.timeoutMs);
      return;
    case "stats":
      send({ type: "stats", stats: currentStats() });
      return;
    case "stop":
      stopping = true;
      for (const agent of agents) agent.stop();
      setTimeout(() => process.exit(0), 200);
      return;
  }
});

// Never outlive the bench: the parent going away closes the IPC channel.
process.on("disconnect", () => process.exit(0));
process.on("uncaughtException", (error) => {
  send({ type: "fatal", message: String(error?.stack ?? error) });
  process.exit(1);
});

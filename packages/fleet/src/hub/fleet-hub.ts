import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Database } from "@stratum/db";
import {
  CloseCode,
  closeReason,
  MAX_FRAME_BYTES,
  negotiateProtocolVersion,
  parseAgentFrame,
  type TAgentFrame,
  type TDesiredFrame,
  ZTask,
} from "@stratum/protocol";
import type { Logger } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import { z } from "zod";
import {
  NODE_CHANGED_CHANNEL,
  NODE_REVOKED_CHANNEL,
  NODE_SESSION_CHANNEL,
  type TNodeChange,
} from "../nodes/node-changes.ts";
import { OutboundQueue } from "../session/outbound-queue.ts";
import { ReplayCache } from "../session/replay-cache.ts";
import { ReplayCacheFullError, SessionTokenError } from "../session/session-errors.ts";
import { TokenBucket } from "../session/token-bucket.ts";
import { verifySessionToken } from "../session/verify-session-token.ts";
import { StatusWriter } from "./status-writer.ts";

export interface FleetHubOptions {
  db: Database;
  logger: Logger;
  /** This installation's session-token audience. */
  audience: string;
  heartbeatIntervalMs?: number;
  /** A node silent this long is offline and its socket is closed. */
  offlineAfterMs?: number;
  helloTimeoutMs?: number;
  statusFlushMs?: number;
  /** Per-connection frame budget. */
  framesPerSecond?: number;
  frameBurst?: number;
}

interface AgentSession {
  nodeId: string;
  socket: WebSocket;
  queue: OutboundQueue;
  lastFrameAt: number;
  pingSeq: number;
}

const ZChange = z.union([z.object({ ids: z.array(z.uuid()).max(1000) }), z.object({ all: z.literal(true) })]);
const ZStoredTasks = z.array(ZTask);
const ZSessionNotice = z.object({ nodeId: z.string(), instance: z.string() });

/**
 * The fleet hub: authenticates agent WebSockets, pushes each node's latest desired state, and
 * records what agents report. Any number of panel replicas run one each on the same PostgreSQL;
 * NOTIFY tells them all of a change and the one holding the node's socket pushes it.
 */
export class FleetHub {
  readonly instanceId = randomUUID();
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #audience: string;
  readonly #heartbeatMs: number;
  readonly #offlineMs: number;
  readonly #helloTimeoutMs: number;
  readonly #framesPerSecond: number;
  readonly #frameBurst: number;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<string, AgentSession>();
  readonly #replays = new ReplayCache();
  readonly #writer: StatusWriter;
  readonly #unlisten: (() => Promise<void>)[] = [];
  #dirty = new Set<string>();
  #dirtyAll = false;
  #pushScheduled = false;
  #sweep: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(options: FleetHubOptions) {
    this.#db = options.db;
    this.#logger = options.logger.child({ component: "fleet-hub" });
    this.#audience = options.audience;
    this.#heartbeatMs = options.heartbeatIntervalMs ?? 10_000;
    this.#offlineMs = options.offlineAfterMs ?? 30_000;
    this.#helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
    this.#framesPerSecond = options.framesPerSecond ?? 20;
    this.#frameBurst = options.frameBurst ?? 100;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
    this.#writer = new StatusWriter(options.db, this.#logger, options.statusFlushMs ?? 1000);
  }

  get connectedNodes(): number {
    return this.#sessions.size;
  }

  isConnected(nodeId: string): boolean {
    return this.#sessions.has(nodeId);
  }

  async start(): Promise<void> {
    this.#unlisten.push(
      await this.#db.sql.listen(NODE_CHANGED_CHANNEL, (payload) => this.#onNodesChanged(payload)),
      await this.#db.sql.listen(NODE_REVOKED_CHANNEL, (nodeId) => this.#onRevoked(nodeId)),
      await this.#db.sql.listen(NODE_SESSION_CHANNEL, (payload) => this.#onSessionElsewhere(payload)),
    );
    this.#writer.start();
    this.#sweep = setInterval(() => this.#heartbeat(), Math.min(this.#heartbeatMs, this.#offlineMs / 3));
    this.#sweep.unref();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, req));
  }

  /** Closes every session with 1001 so agents reconnect (to this replica after a restart, or another). */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#sweep) clearInterval(this.#sweep);
    for (const unlisten of this.#unlisten.splice(0)) await unlisten().catch(() => {});
    const closed = [...this.#wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once("close", () => resolve());
          ws.close(CloseCode.GOING_AWAY, "panel shutting down; reconnect");
          setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2000).unref();
        }),
    );
    await Promise.all(closed);
    await this.#writer.stop();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  /** Writes pending status now (tests, shutdown). */
  flushStatus(): Promise<void> {
    return this.#writer.flush();
  }

  #accept(ws: WebSocket, req: IncomingMessage): void {
    const remote = req.socket.remoteAddress;
    const bucket = new TokenBucket({ capacity: this.#frameBurst, refillPerSecond: this.#framesPerSecond });
    let session: AgentSession | undefined;
    let handshaking = false;
    const helloTimer = setTimeout(
      () => ws.close(CloseCode.HELLO_TIMEOUT, "no hello within the time allowed"),
      this.#helloTimeoutMs,
    );
    helloTimer.unref();

    ws.on("message", (data, isBinary) => {
      if (!bucket.tryTake()) {
        ws.close(CloseCode.RATE_LIMITED, closeReason(`more than ${this.#framesPerSecond} frames per second`));
        return;
      }
      if (isBinary) {
        this.#reject(ws, session, CloseCode.PROTOCOL_VIOLATION, "binary frames are not part of the protocol");
        return;
      }
      const parsed = parseAgentFrame(data as Buffer);
      if (!parsed.ok) {
        if (!session) {
          ws.close(
            CloseCode.PROTOCOL_VIOLATION,
            closeReason(`${parsed.error.code}: ${parsed.error.message}`),
          );
          return;
        }
        session.queue.send({
          type: "error",
          code: parsed.error.code,
          message: parsed.error.message.slice(0, 1000),
        });
        return;
      }
      const frame = parsed.frame;
      if (!session) {
        if (frame.type !== "hello" || handshaking) {
          ws.close(CloseCode.PROTOCOL_VIOLATION, closeReason(`expected hello first, got ${frame.type}`));
          return;
        }
        handshaking = true;
        // The session must exist before welcome goes out: the agent answers welcome at once.
        const established = (s: AgentSession) => {
          clearTimeout(helloTimer);
          session = s;
        };
        void this.#hello(ws, frame, remote, established).catch((err) => {
          this.#logger.error({ err }, "hello handling failed");
          ws.close(CloseCode.INTERNAL_ERROR, "internal error");
        });
        return;
      }
      this.#onFrame(session, frame);
    });
    ws.on("close", (code, reason) => {
      clearTimeout(helloTimer);
      if (session) this.#onClosed(session, code, reason.toString());
    });
    ws.on("error", (err) => this.#logger.debug({ err, remote }, "agent socket error"));
  }

  #reject(ws: WebSocket, session: AgentSession | undefined, code: number, reason: string): void {
    if (session)
      this.#writer.event({
        nodeId: session.nodeId,
        at: new Date(),
        kind: "protocol-error",
        detail: { code, reason },
      });
    ws.close(code, closeReason(reason));
  }

  async #hello(
    ws: WebSocket,
    hello: Extract<TAgentFrame, { type: "hello" }>,
    remote: string | undefined,
    established: (session: AgentSession) => void,
  ): Promise<void> {
    const now = new Date();
    const negotiated = negotiateProtocolVersion(hello.protocol);
    if (!negotiated.ok) {
      this.#recordRejection(hello.nodeId, negotiated.reason, now);
      ws.close(CloseCode.INCOMPATIBLE_PROTOCOL, closeReason(negotiated.reason));
      return;
    }
    try {
      await verifySessionToken({
        token: hello.token,
        nodeId: hello.nodeId,
        audience: this.#audience,
        replayCache: this.#replays,
        lookupNodeKey: async (nodeId) => {
          if (!z.uuid().safeParse(nodeId).success) return null;
          const node = await this.#db.prisma.node.findUnique({
            where: { id: nodeId },
            select: { publicKey: true, revokedAt: true },
          });
          return node ? { publicKey: node.publicKey, revoked: node.revokedAt !== null } : null;
        },
      });
    } catch (error) {
      if (error instanceof SessionTokenError || error instanceof ReplayCacheFullError) {
        this.#logger.warn({ nodeId: hello.nodeId, remote, reason: error.message }, "agent session refused");
        if (error instanceof SessionTokenError && error.rejection !== "unknown_node")
          this.#recordRejection(hello.nodeId, error.message, now);
        ws.close(error.closeCode, closeReason(error.message));
        return;
      }
      throw error;
    }
    if (ws.readyState !== ws.OPEN || this.#closing) return;
    const previous = this.#sessions.get(hello.nodeId);
    if (previous) previous.socket.close(CloseCode.SESSION_REPLACED, "a newer session of this node connected");
    const session: AgentSession = {
      nodeId: hello.nodeId,
      socket: ws,
      queue: new OutboundQueue(ws),
      lastFrameAt: Date.now(),
      pingSeq: 0,
    };
    this.#sessions.set(hello.nodeId, session);
    established(session);
    this.#writer.event({
      nodeId: hello.nodeId,
      at: now,
      kind: "connected",
      detail: {
        remote,
        agentVersion: hello.agentVersion,
        protocol: negotiated.version,
        hub: this.instanceId,
      },
      connection: { kind: "connect", instance: this.instanceId },
    });
    this.#writer.seen(hello.nodeId, now);
    // Another replica may still hold an older session of this node: it closes it on this notice.
    void this.#db.sql
      .notify(NODE_SESSION_CHANNEL, JSON.stringify({ nodeId: hello.nodeId, instance: this.instanceId }))
      .catch((err) => this.#logger.warn({ err }, "could not announce the session"));
    session.queue.send({
      type: "welcome",
      protocolVersion: negotiated.version,
      sessionId: randomUUID(),
      heartbeatIntervalMs: this.#heartbeatMs,
      offlineAfterMs: this.#offlineMs,
      serverTime: now.toISOString(),
    });
    await this.#pushDesired([hello.nodeId]);
  }

  #recordRejection(nodeId: string, reason: string, at: Date): void {
    if (!z.uuid().safeParse(nodeId).success) return;
    void this.#db.prisma.node
      .findUnique({ where: { id: nodeId }, select: { id: true } })
      .then((node) => {
        if (!node) return;
        this.#writer.event({
          nodeId,
          at,
          kind: "rejected",
          detail: { reason },
          connection: { kind: "reject", reason },
        });
      })
      .catch((err) => this.#logger.error({ err }, "could not record a rejection"));
  }

  #onFrame(session: AgentSession, frame: TAgentFrame): void {
    const now = new Date();
    session.lastFrameAt = now.getTime();
    switch (frame.type) {
      case "status":
        this.#writer.status(session.nodeId, frame, now);
        return;
      case "ping":
        session.queue.send({ type: "pong", seq: frame.seq });
        this.#writer.seen(session.nodeId, now);
        return;
      case "hello":
        session.queue.send({
          type: "error",
          code: "unexpected_frame",
          message: "hello was already accepted on this session",
        });
        return;
      default:
        this.#writer.seen(session.nodeId, now);
    }
  }

  #onClosed(session: AgentSession, code: number, reason: string): void {
    if (this.#sessions.get(session.nodeId) !== session) return;
    this.#sessions.delete(session.nodeId);
    const at = new Date();
    this.#writer.event({
      nodeId: session.nodeId,
      at,
      kind: "disconnected",
      detail: { code, reason },
      connection: { kind: "disconnect", instance: this.instanceId },
    });
  }

  #heartbeat(): void {
    const now = Date.now();
    for (const session of this.#sessions.values()) {
      if (now - session.lastFrameAt > this.#offlineMs) {
        session.socket.close(
          CloseCode.HEARTBEAT_TIMEOUT,
          closeReason(`no frame for ${Math.round(this.#offlineMs / 1000)} s`),
        );
        continue;
      }
      // Heard from within the interval: the agent's own ping (answered with pong) keeps both sides
      // alive, so a ping of ours would only double the heartbeat traffic.
      if (now - session.lastFrameAt < this.#heartbeatMs) continue;
      session.queue.send({ type: "ping", seq: ++session.pingSeq });
    }
  }

  #onNodesChanged(payload: string): void {
    let change: TNodeChange;
    try {
      change = ZChange.parse(JSON.parse(payload));
    } catch (err) {
      this.#logger.warn({ err }, "ignored a malformed node-change notification");
      return;
    }
    if ("all" in change) this.#dirtyAll = true;
    else for (const id of change.ids) if (this.#sessions.has(id)) this.#dirty.add(id);
    if (this.#pushScheduled) return;
    this.#pushScheduled = true;
    // Changes that arrive together go out together: one query for all of them, latest generation wins.
    setImmediate(() => {
      this.#pushScheduled = false;
      const ids = this.#dirtyAll ? [...this.#sessions.keys()] : [...this.#dirty];
      this.#dirty = new Set();
      this.#dirtyAll = false;
      this.#pushDesired(ids).catch((err) => this.#logger.error({ err }, "desired-state push failed"));
    });
  }

  async #pushDesired(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    // One array parameter instead of Prisma's IN list of one bind parameter per id: at 10,000 ids
    // 150 ms instead of 350 ms, a third of the CPU in this process (bench/hub-fanout/db-probe.ts).
    const rows = await this.#db.prisma.$queryRaw<
      { id: string; desired_generation: bigint; desired_config: string | null; desired_tasks: unknown }[]
    >`SELECT id, desired_generation, desired_config, desired_tasks FROM nodes WHERE id = ANY(${nodeIds}::uuid[])`;
    for (const row of rows) {
      const session = this.#sessions.get(row.id);
      if (!session) continue;
      const tasks = ZStoredTasks.safeParse(row.desired_tasks);
      if (!tasks.success) {
        this.#logger.error({ nodeId: row.id }, "stored desired tasks are invalid; not pushing them");
        continue;
      }
      const frame: TDesiredFrame = {
        type: "desired",
        generation: Number(row.desired_generation),
        config: row.desired_config,
        tasks: tasks.data,
      };
      session.queue.sendDesired(frame);
    }
  }

  #onSessionElsewhere(payload: string): void {
    const parsed = ZSessionNotice.safeParse(JSON.parse(payload));
    if (!parsed.success || parsed.data.instance === this.instanceId) return;
    const session = this.#sessions.get(parsed.data.nodeId);
    if (session)
      session.socket.close(
        CloseCode.SESSION_REPLACED,
        "a newer session of this node connected to another panel replica",
      );
  }

  #onRevoked(nodeId: string): void {
    const session = this.#sessions.get(nodeId);
    if (session)
      session.socket.close(CloseCode.NODE_REVOKED, "node revoked in the panel; enroll it again to reconnect");
  }
}

import {
  CloseCode,
  closeCodeName,
  closeDisposition,
  encodeFrame,
  parseHubFrame,
  SUPPORTED_PROTOCOL_RANGE,
  type TAgentFrame,
  type TDesiredFrame,
  type THubFrame,
  type TProtocolRange,
  type TStatusFrame,
  type TTaskProgress,
} from "@stratum/protocol";
import type { Logger } from "pino";
import { systemClock, type TClock } from "../clock.ts";
import type { NodeIdentity } from "../identity/node-identity.ts";
import { computeBackoff } from "./compute-backoff.ts";
import type { THubConnection, THubTransport } from "./hub-transport.ts";

export type THubClientState =
  | "idle"
  | "connecting"
  | "authenticating"
  | "connected"
  | "waiting"
  | "revoked"
  | "stopping"
  | "stopped";

export type THubSessionSnapshot = {
  state: THubClientState;
  url: string;
  failedAttempts: number;
  sessionId: string | null;
  protocolVersion: number | null;
  connectedSince: string | null;
  nextAttemptAt: string | null;
  lastClose: { code: number; name: string; reason: string; at: string } | null;
};

export type THubClientOptions = {
  url: string;
  nodeId: string;
  audience: string;
  identity: Pick<NodeIdentity, "signSessionToken">;
  agentVersion: string;
  transport: THubTransport;
  logger: Logger;
  /** Called for every desired generation the hub pushes; the reconciler decides what is latest. */
  onDesired: (frame: TDesiredFrame) => void;
  /** The status to report as soon as a session is up. */
  currentStatus: () => Omit<TStatusFrame, "type">;
  clock?: TClock;
  random?: () => number;
  protocol?: TProtocolRange;
  welcomeTimeoutMs?: number;
  stopTimeoutMs?: number;
};

/** Used until `welcome` says otherwise: ARCHITECTURE §3 heartbeat every 10 s, offline after 30 s. */
const DEFAULT_HEARTBEAT_MS = 10_000;
const DEFAULT_OFFLINE_AFTER_MS = 30_000;

/**
 * Keeps one authenticated session to the fleet hub: hello with a fresh JWT, heartbeats, and
 * reconnects with jittered exponential backoff. Revocation is the only close that ends it.
 */
export class HubClient {
  readonly #options: THubClientOptions;
  readonly #clock: TClock;
  readonly #random: () => number;
  readonly #logger: Logger;
  #state: THubClientState = "idle";
  #connection: THubConnection | null = null;
  /** Bumped whenever a connection is abandoned so late events from it are ignored. */
  #connectionId = 0;
  #failedAttempts = 0;
  readonly #timers = new Map<"welcome" | "heartbeat" | "reconnect", () => void>();
  #lastReceivedAt = 0;
  #pingSeq = 0;
  #heartbeatMs = DEFAULT_HEARTBEAT_MS;
  #offlineAfterMs = DEFAULT_OFFLINE_AFTER_MS;
  #sessionId: string | null = null;
  #protocolVersion: number | null = null;
  #connectedSince: number | null = null;
  #nextAttemptAt: number | null = null;
  #lastClose: THubSessionSnapshot["lastClose"] = null;
  #resolveStopped: (() => void) | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: THubClientOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger.child({ component: "hub-client" });
  }

  get state(): THubClientState {
    return this.#state;
  }

  snapshot(): THubSessionSnapshot {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      state: this.#state,
      url: this.#options.url,
      failedAttempts: this.#failedAttempts,
      sessionId: this.#sessionId,
      protocolVersion: this.#protocolVersion,
      connectedSince: iso(this.#connectedSince),
      nextAttemptAt: iso(this.#nextAttemptAt),
      lastClose: this.#lastClose,
    };
  }

  start(): void {
    if (this.#state !== "idle") return;
    this.#connect();
  }

  /** Closes the session with 1001 so the hub marks the node as going away rather than failed. */
  stop(): Promise<void> {
    if (this.#state === "stopped") return Promise.resolve();
    if (this.#stopping !== null) return this.#stopping;
    this.#clearTimers();
    const connection = this.#connection;
    if (connection === null) {
      this.#state = "stopped";
      return Promise.resolve();
    }
    this.#state = "stopping";
    const stopped = new Promise<void>((resolve) => {
      this.#resolveStopped = resolve;
    });
    const cancelTimeout = this.#clock.setTimeout(
      () => this.#finishStop(),
      this.#options.stopTimeoutMs ?? 2_000,
    );
    this.#stopping = stopped.finally(cancelTimeout);
    connection.close(CloseCode.GOING_AWAY, "agent shutting down");
    return this.#stopping;
  }

  /** Sends status now if a session is up; otherwise the next session starts with the current status. */
  sendStatus(status: Omit<TStatusFrame, "type">): void {
    if (this.#state === "connected") this.#send({ type: "status", ...status });
  }

  sendTaskProgress(progress: TTaskProgress): void {
    if (this.#state === "connected") this.#send({ type: "task-progress", ...progress });
  }

  #connect(): void {
    this.#nextAttemptAt = null;
    this.#state = "connecting";
    const id = ++this.#connectionId;
    const current = () => id === this.#connectionId;
    this.#logger.debug({ url: this.#options.url }, "connecting to hub");
    try {
      this.#connection = this.#options.transport.connect(this.#options.url, {
        onOpen: () => {
          if (current() && this.#state === "connecting") void this.#onOpen(id);
        },
        onMessage: (data) => {
          if (current()) this.#onMessage(data);
        },
        onClose: (code, reason) => {
          // 1006 is never sent by a peer: the connection was refused or dropped on the way.
          if (current())
            this.#onSessionEnded(code, reason, code === CloseCode.ABNORMAL_CLOSURE ? "network" : "hub");
          else if (this.#state === "stopping") this.#finishStop();
        },
        onError: (error) => {
          if (current()) this.#logger.warn({ err: error.message }, "hub connection error");
        },
      });
    } catch (error) {
      this.#logger.error({ err: (error as Error).message }, "cannot open a connection to the hub");
      this.#onSessionEnded(CloseCode.ABNORMAL_CLOSURE, (error as Error).message, "local");
    }
  }

  async #onOpen(id: number): Promise<void> {
    this.#state = "authenticating";
    this.#lastReceivedAt = this.#clock.now();
    const welcomeTimeoutMs = this.#options.welcomeTimeoutMs ?? 10_000;
    this.#schedule(
      "welcome",
      () => this.#abandon(CloseCode.PROTOCOL_VIOLATION, `no welcome within ${welcomeTimeoutMs} ms`),
      welcomeTimeoutMs,
    );
    let token: string;
    try {
      token = await this.#options.identity.signSessionToken({
        nodeId: this.#options.nodeId,
        audience: this.#options.audience,
        nowMs: this.#clock.now(),
      });
    } catch (error) {
      this.#logger.error(
        { err: (error as Error).message },
        "cannot sign the session token with the node key",
      );
      if (id === this.#connectionId)
        this.#abandon(CloseCode.INTERNAL_ERROR, "agent could not sign its token");
      return;
    }
    if (id !== this.#connectionId) return;
    this.#send({
      type: "hello",
      protocol: this.#options.protocol ?? SUPPORTED_PROTOCOL_RANGE,
      agentVersion: this.#options.agentVersion,
      nodeId: this.#options.nodeId,
      token,
    });
  }

  #onMessage(data: string | Uint8Array): void {
    this.#lastReceivedAt = this.#clock.now();
    const parsed = parseHubFrame(data);
    if (!parsed.ok) {
      this.#logger.warn(
        { code: parsed.error.code, detail: parsed.error.message },
        "ignoring invalid frame from hub",
      );
      this.#send({ type: "error", code: parsed.error.code, message: parsed.error.message });
      return;
    }
    this.#handleFrame(parsed.frame);
  }

  #handleFrame(frame: THubFrame): void {
    switch (frame.type) {
      case "welcome": {
        if (this.#state !== "authenticating") {
          this.#send({ type: "error", code: "unexpected_frame", message: "welcome outside the handshake" });
          return;
        }
        this.#timers.get("welcome")?.();
        this.#timers.delete("welcome");
        this.#state = "connected";
        this.#failedAttempts = 0;
        this.#sessionId = frame.sessionId;
        this.#protocolVersion = frame.protocolVersion;
        this.#connectedSince = this.#clock.now();
        this.#heartbeatMs = frame.heartbeatIntervalMs;
        this.#offlineAfterMs = frame.offlineAfterMs;
        this.#logger.info(
          { sessionId: frame.sessionId, protocolVersion: frame.protocolVersion },
          "session established with hub",
        );
        this.#send({ type: "status", ...this.#options.currentStatus() });
        this.#schedule("heartbeat", () => this.#heartbeat(), this.#heartbeatMs);
        return;
      }
      case "desired": {
        if (this.#state !== "connected") {
          this.#send({ type: "error", code: "unexpected_frame", message: "desired before welcome" });
          return;
        }
        this.#send({ type: "ack", generation: frame.generation });
        this.#options.onDesired(frame);
        return;
      }
      case "error":
        this.#logger.warn({ code: frame.code, detail: frame.message }, "hub reported an error");
        return;
      case "ping":
        this.#send({ type: "pong", seq: frame.seq });
        return;
      case "pong":
        return;
    }
  }

  #heartbeat(): void {
    const silentMs = this.#clock.now() - this.#lastReceivedAt;
    if (silentMs >= this.#offlineAfterMs) {
      this.#abandon(CloseCode.HEARTBEAT_TIMEOUT, `no frame from hub for ${silentMs} ms`);
      return;
    }
    this.#send({ type: "ping", seq: this.#pingSeq++ });
    this.#schedule("heartbeat", () => this.#heartbeat(), this.#heartbeatMs);
  }

  /** Gives up on the current connection without waiting for a close handshake that may never come. */
  #abandon(code: number, reason: string): void {
    const connection = this.#connection;
    this.#connectionId += 1;
    connection?.close(code, reason);
    this.#onSessionEnded(code, reason, "local");
  }

  #onSessionEnded(code: number, reason: string, by: "hub" | "network" | "local"): void {
    this.#clearTimers();
    this.#connection = null;
    this.#sessionId = null;
    this.#connectedSince = null;
    this.#lastClose = {
      code,
      name: closeCodeName(code),
      reason,
      at: new Date(this.#clock.now()).toISOString(),
    };
    if (this.#state === "stopping") {
      this.#finishStop();
      return;
    }
    const details = { code, closeCode: closeCodeName(code), reason, closedBy: by };
    const disposition = closeDisposition(code);
    if (disposition === "stop") {
      this.#state = "revoked";
      this.#logger.error(
        details,
        `hub rejected this node: ${reason || closeCodeName(code)}; not reconnecting — enroll the node again (cenvero-str-agent enroll --force)`,
      );
      return;
    }
    this.#state = "waiting";
    const delay =
      disposition === "retry-slowly"
        ? computeBackoff(Number.POSITIVE_INFINITY, this.#random)
        : computeBackoff(this.#failedAttempts, this.#random);
    this.#failedAttempts += 1;
    this.#nextAttemptAt = this.#clock.now() + delay;
    const message =
      disposition === "retry-slowly"
        ? `hub rejected the session: ${reason || closeCodeName(code)}`
        : "hub session closed";
    this.#logger[disposition === "retry-slowly" ? "error" : "warn"](
      { ...details, retryInMs: delay },
      message,
    );
    this.#schedule("reconnect", () => this.#connect(), delay);
  }

  #finishStop(): void {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    this.#connectionId += 1;
    this.#connection = null;
    this.#clearTimers();
    this.#resolveStopped?.();
    this.#resolveStopped = null;
  }

  #send(frame: TAgentFrame): void {
    const connection = this.#connection;
    if (connection === null) return;
    try {
      connection.send(encodeFrame(frame));
    } catch (error) {
      this.#logger.error(
        { err: (error as Error).message, frameType: frame.type },
        "not sending an invalid frame",
      );
    }
  }

  #schedule(name: "welcome" | "heartbeat" | "reconnect", callback: () => void, ms: number): void {
    this.#timers.get(name)?.();
    this.#timers.set(
      name,
      this.#clock.setTimeout(() => {
        this.#timers.delete(name);
        callback();
      }, ms),
    );
  }

  #clearTimers(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}

// IPC between the bench parent (run.ts) and its agent worker processes (agent-worker.ts).

/** One simulated node: its id and its Ed25519 private key as a JWK (kty OKP, crv Ed25519, x, d). */
export interface SimNode {
  id: string;
  x: string;
  d: string;
}

export type ToWorker =
  | {
      type: "init";
      url: string;
      audience: string;
      nodes: SimNode[];
      /** Loopback source addresses to spread connections over (ws `localAddress`). */
      localAddresses: string[];
      /** Handshakes (TCP + WebSocket upgrade + hello until welcome) in flight at once in this worker. */
      concurrency: number;
      /** When an agent sends its first status: right after welcome (the real agent) or after the first desired. */
      firstStatus: "after-welcome" | "after-desired";
      /** false: agents only answer the hub's pings (to price one heartbeat direction). */
      agentPings?: boolean;
    }
  | { type: "connect" }
  | { type: "expect"; generation: number; timeoutMs: number }
  | { type: "stats" }
  | { type: "stop" };

export interface WorkerStats {
  agents: number;
  /** Sockets open right now with a welcome received. */
  sessions: number;
  welcomedOnce: number;
  attempts: number;
  closes: Record<string, number>;
  /** The first close reason seen per close code. */
  reasons: Record<string, string>;
  errors: number;
  framesIn: number;
  framesOut: number;
  rss: number;
  cpu: { user: number; system: number };
}

export type FromWorker =
  | { type: "ready" }
  | {
      type: "connected";
      /** performance.timeOrigin + performance.now() of the first connect attempt. */
      firstAttemptAt: number;
      /** Same clock, the last agent's first welcome. */
      lastWelcomeAt: number;
      welcomed: number;
    }
  | {
      type: "received";
      generation: number;
      /** Per agent that got `generation` (or newer): when the desired frame arrived (ack sent at once). */
      times: number[];
      missing: number;
    }
  | { type: "stats"; stats: WorkerStats }
  | { type: "fatal"; message: string };

/** A wall clock with sub-millisecond resolution that agrees across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

import type { Database } from "@stratum/db";
import { publishLive } from "@stratum/db/audit";
import type { TStatusFrame } from "@stratum/protocol";
import type { Logger } from "pino";

interface PendingNode {
  lastSeenAt: Date;
  status?: TStatusFrame;
}

interface PendingEvent {
  nodeId: string;
  at: Date;
  kind: string;
  detail: Record<string, unknown>;
  /**
   * Connection bookkeeping written with the event: a session opened on `instance`, a session of
   * `instance` ended (ignored when another replica holds the node by then), or a refusal.
   */
  connection?: { kind: "connect" | "disconnect"; instance: string } | { kind: "reject"; reason: string };
}

/**
 * Collects what agents report and writes it in batches: one statement per flush for every node
 * that spoke, instead of one row update per heartbeat per node.
 */
export class StatusWriter {
  readonly #pending = new Map<string, PendingNode>();
  #events: PendingEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.flush(), this.intervalMs);
    this.#timer.unref();
  }

  seen(nodeId: string, at: Date): void {
    const entry = this.#pending.get(nodeId);
    if (entry) entry.lastSeenAt = at;
    else this.#pending.set(nodeId, { lastSeenAt: at });
  }

  status(nodeId: string, frame: TStatusFrame, at: Date): void {
    this.#pending.set(nodeId, { lastSeenAt: at, status: frame });
  }

  event(event: PendingEvent): void {
    this.#events.push(event);
    // Connections and refusals show on the panel within a fraction of a second; a burst of them
    // still lands in one batch.
    if (event.connection && !this.#soon && this.#timer) {
      this.#soon = setTimeout(() => {
        this.#soon = undefined;
        void this.flush();
      }, 100);
      this.#soon.unref();
    }
  }

  get pendingNodes(): number {
    return this.#pending.size;
  }

  /** Writes everything collected so far; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing
      .then(() => this.#write())
      .catch((err) => this.logger.error({ err }, "status flush failed"));
    return this.#flushing;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    this.#timer = undefined;
    this.#soon = undefined;
    await this.flush();
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0 && this.#events.length === 0) return;
    const nodes = [...this.#pending.entries()];
    const events = this.#events;
    this.#pending.clear();
    this.#events = [];
    const rows = nodes.map(([id, p]) => ({
      id,
      last_seen_at: p.lastSeenAt.toISOString(),
      observed_generation: p.status?.observedGeneration ?? null,
      agent_version: p.status?.agentVersion ?? null,
      health: p.status?.health ?? null,
      conditions: p.status?.conditions ?? null,
      capacity: p.status?.capacity ?? null,
      cluster_role: p.status?.clusterRole ?? null,
    }));
    // Connection changes apply in order, so the last one per node wins.
    const lastConnection = new Map<string, Record<string, unknown>>();
    for (const e of events) {
      if (!e.connection) continue;
      const c = e.connection;
      lastConnection.set(e.nodeId, {
        id: e.nodeId,
        kind: c.kind,
        at: e.at.toISOString(),
        instance: c.kind === "reject" ? null : c.instance,
        reason: c.kind === "reject" ? c.reason : null,
      });
    }
    const connections = [...lastConnection.values()];
    const ids = [...new Set([...rows.map((r) => r.id), ...lastConnection.keys()])];
    try {
      await this.#apply(ids, rows, connections, events);
    } catch (error) {
      // Put the batch back in front of what arrived meanwhile, so the next flush retries it.
      for (const [id, old] of nodes) {
        const newer = this.#pending.get(id);
        if (!newer) this.#pending.set(id, old);
        else if (!newer.status && old.status) newer.status = old.status;
      }
      this.#events = [...events, ...this.#events];
      throw error;
    }
  }

  #apply(
    ids: string[],
    rows: { id: string }[],
    connections: Record<string, unknown>[],
    events: PendingEvent[],
  ): Promise<void> {
    return this.db.prisma.$transaction(
      async (tx) => {
        // Lock in id order first, as bumpDesiredGeneration does: two statements updating many of the
        // same rows in different orders deadlock (40P01) and one of them fails.
        await tx.$executeRaw`SELECT 1 FROM nodes WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
        if (rows.length > 0) {
          await tx.$executeRaw`
          UPDATE nodes AS n SET
            last_seen_at = GREATEST(n.last_seen_at, v.last_seen_at),
            observed_generation = COALESCE(v.observed_generation, n.observed_generation),
            agent_version = COALESCE(v.agent_version, n.agent_version),
            health = COALESCE(v.health, n.health),
            conditions = COALESCE(v.conditions, n.conditions),
            capacity = COALESCE(v.capacity, n.capacity),
            cluster_role = COALESCE(v.cluster_role, n.cluster_role)
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(
            id uuid, last_seen_at timestamptz, observed_generation bigint, agent_version text, health text,
            conditions jsonb, capacity jsonb, cluster_role text)
          WHERE n.id = v.id`;
        }
        if (connections.length > 0) {
          await tx.$executeRaw`
          UPDATE nodes AS n SET
            connected_at = CASE WHEN v.kind = 'connect' THEN v.at WHEN v.kind = 'disconnect' AND n.hub_instance = v.instance THEN NULL ELSE n.connected_at END,
            disconnected_at = CASE WHEN v.kind = 'connect' THEN NULL WHEN v.kind = 'disconnect' AND n.hub_instance = v.instance THEN v.at ELSE n.disconnected_at END,
            hub_instance = CASE WHEN v.kind = 'connect' THEN v.instance WHEN v.kind = 'disconnect' AND n.hub_instance = v.instance THEN NULL ELSE n.hub_instance END,
            last_rejection = CASE WHEN v.kind = 'connect' THEN NULL WHEN v.kind = 'reject' THEN v.reason ELSE n.last_rejection END
          FROM jsonb_to_recordset(${JSON.stringify(connections)}::jsonb) AS v(id uuid, kind text, at timestamptz, instance text, reason text)
          WHERE n.id = v.id`;
        }
        if (events.length > 0) {
          await tx.nodeEvent.createMany({
            data: events.map((e) => ({
              nodeId: e.nodeId,
              at: e.at,
              kind: e.kind,
              detail: e.detail as object,
            })),
          });
        }
        await publishLive(tx, "fleet");
        // 10,000 rows waiting behind a bump's locks on a busy box take longer than Prisma's 5 s default.
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }
}

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
  /** Connection bookkeeping written with the event. */
  connection?: {
    connectedAt: Date | null;
    disconnectedAt: Date | null;
    hubInstance: string | null;
    lastRejection?: string | null;
  };
}

/**
 * Collects what agents report and writes it in batches: one statement per flush for every node
 * that spoke, instead of one row update per heartbeat per node.
 */
export class StatusWriter {
  readonly #pending = new Map<string, PendingNode>();
  #events: PendingEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
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
    this.#timer = undefined;
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
      lastConnection.set(e.nodeId, {
        id: e.nodeId,
        connected_at: e.connection.connectedAt?.toISOString() ?? null,
        disconnected_at: e.connection.disconnectedAt?.toISOString() ?? null,
        hub_instance: e.connection.hubInstance,
        set_rejection: e.connection.lastRejection !== undefined,
        last_rejection: e.connection.lastRejection ?? null,
      });
    }
    const connections = [...lastConnection.values()];
    await this.db.prisma.$transaction(async (tx) => {
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
          UPDATE nodes AS n SET connected_at = v.connected_at, disconnected_at = v.disconnected_at, hub_instance = v.hub_instance,
            last_rejection = CASE WHEN v.set_rejection THEN v.last_rejection ELSE n.last_rejection END
          FROM jsonb_to_recordset(${JSON.stringify(connections)}::jsonb) AS v(
            id uuid, connected_at timestamptz, disconnected_at timestamptz, hub_instance text, set_rejection boolean, last_rejection text)
          WHERE n.id = v.id`;
      }
      if (events.length > 0) {
        await tx.nodeEvent.createMany({
          data: events.map((e) => ({ nodeId: e.nodeId, at: e.at, kind: e.kind, detail: e.detail as object })),
        });
      }
      await publishLive(tx, "fleet");
    });
  }
}

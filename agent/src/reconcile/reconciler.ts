import type { TCondition, THealth, TTask, TTaskProgress, TTaskState } from "@stratum/protocol";
import type { Logger } from "pino";
import { systemClock, type TClock } from "../clock.ts";
import type { TDesiredState, TReportedCondition, TSubsystem, TTaskHandler } from "./subsystem.ts";
import { MemoryTaskLedger, TASK_LEDGER_LIMIT, type TTaskLedger } from "./task-ledger.ts";

export type TReconcileSnapshot = {
  desiredGeneration: number | null;
  observedGeneration: number;
  health: THealth;
  conditions: TCondition[];
  tasks: TTaskProgress[];
  lastReconciledAt: string | null;
};

export type TReconcilerOptions = {
  subsystems: readonly TSubsystem[];
  taskHandlers?: readonly TTaskHandler[];
  logger: Logger;
  agentVersion: string;
  clock?: TClock;
  /** Re-apply the latest desired state this often, so drift heals without a new generation. */
  resyncIntervalMs?: number;
  /** Called when the observable status changed (not on every resync). */
  onStatusChange?: (snapshot: TReconcileSnapshot) => void;
  onTaskProgress?: (progress: TTaskProgress) => void;
  /** Persists started task ids; defaults to memory (ids then run at most once per process). */
  taskLedger?: TTaskLedger;
};

const RECONCILED = "Reconciled";

/**
 * Level-triggered convergence: whatever generation is latest when a pass starts is applied in
 * full by every subsystem. Generations that arrive during a pass collapse into one follow-up pass
 * on the newest, so intermediate generations are never applied.
 */
export class Reconciler {
  readonly #options: TReconcilerOptions;
  readonly #clock: TClock;
  readonly #logger: Logger;
  readonly #handlers: Map<string, TTaskHandler>;
  readonly #abort = new AbortController();
  readonly #conditions = new Map<string, TCondition>();
  readonly #taskProgress = new Map<string, TTaskProgress>();
  readonly #runningTasks = new Set<Promise<void>>();
  #desired: TDesiredState | null = null;
  #observedGeneration = 0;
  #lastReconciledAt: number | null = null;
  #pass: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #cancelResync: (() => void) | null = null;
  #lastPublished = "";
  readonly #ledger: TTaskLedger;
  #ledgerWrites: Promise<void> = Promise.resolve();

  constructor(options: TReconcilerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger.child({ component: "reconciler" });
    this.#handlers = new Map((options.taskHandlers ?? []).map((handler) => [handler.kind, handler]));
    this.#ledger = options.taskLedger ?? new MemoryTaskLedger();
  }

  /**
   * Loads the task ledger; call before the first setDesired. A task that was running when the
   * agent died is reported failed rather than re-run, since its handler may have half-completed.
   */
  async restore(): Promise<void> {
    for (const entry of await this.#ledger.load()) {
      const interrupted = entry.state === "running" || entry.state === "pending";
      this.#taskProgress.set(
        entry.taskId,
        interrupted
          ? {
              ...entry,
              state: "failed",
              message: "interrupted by an agent restart; issue a new task to retry",
              updatedAt: new Date(this.#clock.now()).toISOString(),
            }
          : entry,
      );
    }
  }

  snapshot(): TReconcileSnapshot {
    return {
      desiredGeneration: this.#desired?.generation ?? null,
      observedGeneration: this.#observedGeneration,
      health: this.#health(),
      conditions: [...this.#conditions.values()],
      tasks: (this.#desired?.tasks ?? []).flatMap((task) => {
        const progress = this.#taskProgress.get(task.id);
        return progress === undefined ? [] : [progress];
      }),
      lastReconciledAt:
        this.#lastReconciledAt === null ? null : new Date(this.#lastReconciledAt).toISOString(),
    };
  }

  start(): void {
    this.#scheduleResync();
  }

  /** Accepts a desired generation; older or equal generations are ignored (false). */
  setDesired(desired: TDesiredState): boolean {
    if (this.#stopped) return false;
    if (this.#desired !== null && desired.generation <= this.#desired.generation) return false;
    this.#desired = desired;
    this.#startNewTasks(desired.tasks);
    this.#kick();
    return true;
  }

  /** Resolves once no pass is running or queued; tasks may still be running. */
  async idle(): Promise<void> {
    while (this.#pass !== null) await this.#pass;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelResync?.();
    this.#abort.abort(new Error("agent stopping"));
    await this.idle();
    await Promise.allSettled([...this.#runningTasks]);
    await this.#ledgerWrites;
  }

  #kick(): void {
    if (this.#pass !== null) {
      this.#again = true;
      return;
    }
    this.#pass = this.#runPasses().finally(() => {
      this.#pass = null;
    });
  }

  async #runPasses(): Promise<void> {
    do {
      this.#again = false;
      const target = this.#desired;
      if (target === null || this.#stopped) return;
      await this.#applyAll(target);
    } while (this.#again && !this.#stopped);
  }

  async #applyAll(target: TDesiredState): Promise<void> {
    const failures: string[] = [];
    for (const subsystem of this.#options.subsystems) {
      try {
        const reported = await subsystem.apply(target, this.#abort.signal);
        for (const condition of reported) this.#setCondition(condition);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${subsystem.name}: ${message}`);
        this.#logger.error(
          { subsystem: subsystem.name, generation: target.generation, err: message },
          "apply failed",
        );
      }
      if (this.#stopped) return;
    }
    this.#setCondition(
      failures.length === 0
        ? {
            type: RECONCILED,
            status: "True",
            reason: "Converged",
            message: `generation ${target.generation} applied`,
          }
        : {
            type: RECONCILED,
            status: "False",
            reason: "SubsystemFailed",
            message: failures.join("; ").slice(0, 1024),
          },
    );
    // A generation that was superseded during the pass is never reported as observed.
    if (this.#desired === target) this.#observedGeneration = target.generation;
    this.#lastReconciledAt = this.#clock.now();
    this.#publish();
  }

  #setCondition(reported: TReportedCondition): void {
    const previous = this.#conditions.get(reported.type);
    const lastTransition =
      previous !== undefined && previous.status === reported.status
        ? previous.lastTransition
        : new Date(this.#clock.now()).toISOString();
    this.#conditions.set(reported.type, { ...reported, lastTransition });
  }

  #health(): THealth {
    if (this.#desired === null || !this.#conditions.has(RECONCILED)) return "unknown";
    const conditions = [...this.#conditions.values()];
    if (this.#conditions.get(RECONCILED)?.status === "False") return "unhealthy";
    return conditions.some((condition) => condition.status === "False") ? "degraded" : "healthy";
  }

  #startNewTasks(tasks: readonly TTask[]): void {
    for (const task of tasks) {
      if (this.#taskProgress.has(task.id)) continue;
      const handler = this.#handlers.get(task.kind);
      if (handler === undefined) {
        this.#setTask(
          task.id,
          "failed",
          0,
          `no handler for task kind "${task.kind}" in agent ${this.#options.agentVersion}`,
        );
        continue;
      }
      this.#setTask(task.id, "running", 0, "started");
      const running = handler
        .run(
          task,
          (update) =>
            this.#setTask(task.id, "running", Math.min(100, Math.max(0, update.percent)), update.message),
          this.#abort.signal,
        )
        .then(
          (message) => this.#setTask(task.id, "succeeded", 100, message),
          (error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            this.#setTask(
              task.id,
              this.#stopped ? "cancelled" : "failed",
              this.#taskProgress.get(task.id)?.percent ?? 0,
              message,
            );
          },
        )
        .finally(() => this.#runningTasks.delete(running));
      this.#runningTasks.add(running);
    }
  }

  #setTask(taskId: string, state: TTaskState, percent: number, message: string): void {
    const progress: TTaskProgress = {
      taskId,
      state,
      percent,
      message: message.slice(0, 1024),
      updatedAt: new Date(this.#clock.now()).toISOString(),
    };
    const previousState = this.#taskProgress.get(taskId)?.state;
    this.#taskProgress.delete(taskId);
    this.#taskProgress.set(taskId, progress);
    this.#forgetOldestTasks();
    // Percent updates are not persisted: only the transitions that decide whether an id may run.
    if (previousState !== state) this.#persistLedger();
    this.#options.onTaskProgress?.(progress);
    this.#publish();
  }

  /** Keeps memory bounded like the ledger; insertion order is update order, so the oldest go first. */
  #forgetOldestTasks(): void {
    for (const [taskId, entry] of this.#taskProgress) {
      if (this.#taskProgress.size <= TASK_LEDGER_LIMIT) return;
      if (entry.state !== "running" && entry.state !== "pending") this.#taskProgress.delete(taskId);
    }
  }

  #persistLedger(): void {
    const entries = [...this.#taskProgress.values()];
    this.#ledgerWrites = this.#ledgerWrites
      .then(() => this.#ledger.save(entries))
      .catch((error: unknown) => {
        this.#logger.error({ err: (error as Error).message }, "cannot persist the task ledger");
      });
  }

  #publish(): void {
    const snapshot = this.snapshot();
    const { lastReconciledAt: _changesEveryPass, ...observable } = snapshot;
    const fingerprint = JSON.stringify(observable);
    if (fingerprint === this.#lastPublished) return;
    this.#lastPublished = fingerprint;
    this.#options.onStatusChange?.(snapshot);
  }

  #scheduleResync(): void {
    if (this.#stopped) return;
    this.#cancelResync = this.#clock.setTimeout(() => {
      if (this.#desired !== null) this.#kick();
      this.#scheduleResync();
    }, this.#options.resyncIntervalMs ?? 30_000);
  }
}

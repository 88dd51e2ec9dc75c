import type { TCondition, TDesiredFrame, TTask } from "@stratum/protocol";

export type TDesiredState = Omit<TDesiredFrame, "type">;
export type TReportedCondition = Omit<TCondition, "lastTransition">;

/**
 * One part of the node the reconciler converges (data plane, cluster membership, config trust...).
 * `apply` receives the full desired state every time and must be idempotent: it runs again on every
 * resync, after restarts and after reconnects.
 */
export interface TSubsystem {
  readonly name: string;
  apply(desired: TDesiredState, signal: AbortSignal): Promise<TReportedCondition[]>;
}

export type TTaskProgressUpdate = { percent: number; message: string };

/** Runs one kind of imperative task. Each task id runs at most once per agent process. */
export interface TTaskHandler {
  readonly kind: string;
  /** Resolves with a final message on success; a rejection marks the task failed with its message. */
  run(task: TTask, report: (update: TTaskProgressUpdate) => void, signal: AbortSignal): Promise<string>;
}

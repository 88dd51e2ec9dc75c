import { readFile } from "node:fs/promises";
import { type TTaskProgress, ZTaskProgress } from "@stratum/protocol";
import { z } from "zod";
import { writeFileAtomic } from "../fs/write-file-atomic.ts";

/**
 * Where the reconciler remembers which task ids it has started, so that "each id runs at most
 * once" survives agent restarts and upgrades, not just reconnects.
 */
export interface TTaskLedger {
  load(): Promise<TTaskProgress[]>;
  save(entries: readonly TTaskProgress[]): Promise<void>;
}

/** Old entries are dropped beyond this; the panel never re-sends a task that far back. */
export const TASK_LEDGER_LIMIT = 1_000;

const ZLedgerFile = z.object({ version: z.literal(1), tasks: z.array(ZTaskProgress) });

export class TaskLedgerError extends Error {
  override readonly name = "TaskLedgerError";
}

export class FileTaskLedger implements TTaskLedger {
  constructor(readonly path: string) {}

  async load(): Promise<TTaskProgress[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const parsed = ZLedgerFile.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new TaskLedgerError(
        `task ledger ${this.path} is corrupt; move it aside to start (tasks it recorded may then run again)`,
      );
    }
    return parsed.data.tasks;
  }

  save(entries: readonly TTaskProgress[]): Promise<void> {
    const tasks = entries.slice(-TASK_LEDGER_LIMIT);
    return writeFileAtomic(this.path, `${JSON.stringify({ version: 1, tasks })}\n`, 0o600);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class MemoryTaskLedger implements TTaskLedger {
  entries: TTaskProgress[] = [];

  async load(): Promise<TTaskProgress[]> {
    return [...this.entries];
  }

  async save(entries: readonly TTaskProgress[]): Promise<void> {
    this.entries = entries.slice(-TASK_LEDGER_LIMIT);
  }
}

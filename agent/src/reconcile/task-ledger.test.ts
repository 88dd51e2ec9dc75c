import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TTaskProgress } from "@stratum/protocol";
import { describe, expect, it } from "vitest";
import { captureLogs } from "../testing/capture-logs.ts";
import { FakeClock, settle } from "../testing/fake-clock.ts";
import { Reconciler } from "./reconciler.ts";
import type { TTaskHandler } from "./subsystem.ts";
import { FileTaskLedger, TASK_LEDGER_LIMIT, TaskLedgerError } from "./task-ledger.ts";

const entry = (taskId: string, state: TTaskProgress["state"]): TTaskProgress => ({
  taskId,
  state,
  percent: state === "succeeded" ? 100 : 40,
  message: state,
  updatedAt: "2026-11-22T12:00:00.000Z",
});

async function ledgerPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "stratum-ledger-")), "tasks.json");
}

describe("FileTaskLedger", () => {
  it("round-trips entries in a 0600 file and keeps only the newest", async () => {
    const ledger = new FileTaskLedger(await ledgerPath());
    expect(await ledger.load()).toEqual([]);
    const entries = Array.from({ length: TASK_LEDGER_LIMIT + 5 }, (_, i) => entry(`t-${i}`, "succeeded"));
    await ledger.save(entries);
    const loaded = await ledger.load();
    expect(loaded).toHaveLength(TASK_LEDGER_LIMIT);
    expect(loaded[0]?.taskId).toBe("t-5");
    expect((await stat(ledger.path)).mode & 0o777).toBe(0o600);
  });

  it("refuses a corrupt ledger with a way out", async () => {
    const path = await ledgerPath();
    await writeFile(path, "{not json");
    await expect(new FileTaskLedger(path).load()).rejects.toThrow(TaskLedgerError);
    await expect(new FileTaskLedger(path).load()).rejects.toThrow(/move it aside/);
  });
});

describe("Reconciler with a persistent task ledger", () => {
  it("does not re-run tasks started before a restart and fails the interrupted ones", async () => {
    const path = await ledgerPath();
    let runs = 0;
    const handler: TTaskHandler = {
      kind: "noop",
      run: async () => {
        runs += 1;
        return "done";
      },
    };
    const build = () =>
      new Reconciler({
        subsystems: [],
        taskHandlers: [handler],
        logger: captureLogs().logger,
        agentVersion: "0.1.0",
        clock: new FakeClock(),
        taskLedger: new FileTaskLedger(path),
      });
    const tasks = [{ id: "t-1", kind: "noop", spec: {} }];

    const first = build();
    await first.restore();
    first.setDesired({ generation: 1, config: null, tasks });
    await first.idle();
    await settle();
    await first.stop();
    expect(runs).toBe(1);

    const ledger = new FileTaskLedger(path);
    await ledger.save([...(await ledger.load()), entry("t-2", "running")]);

    const second = build();
    await second.restore();
    second.setDesired({
      generation: 2,
      config: null,
      tasks: [...tasks, { id: "t-2", kind: "noop", spec: {} }],
    });
    await second.idle();
    await settle();
    expect(runs).toBe(1);
    const progress = Object.fromEntries(second.snapshot().tasks.map((task) => [task.taskId, task]));
    expect(progress["t-1"]).toMatchObject({ state: "succeeded" });
    expect(progress["t-2"]).toMatchObject({ state: "failed" });
    expect(progress["t-2"]?.message).toContain("interrupted by an agent restart");
    await second.stop();
  });
});

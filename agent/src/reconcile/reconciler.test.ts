import type { TTask } from "@stratum/protocol";
import { describe, expect, it } from "vitest";
import { captureLogs } from "../testing/capture-logs.ts";
import { FakeClock, settle } from "../testing/fake-clock.ts";
import { Reconciler, type TReconcileSnapshot } from "./reconciler.ts";
import type { TDesiredState, TReportedCondition, TSubsystem, TTaskHandler } from "./subsystem.ts";

/** A subsystem whose applies can be held open, to interleave new generations mid-pass. */
class RecordingSubsystem implements TSubsystem {
  readonly applied: number[] = [];
  hold = false;
  fail: string | null = null;
  #release: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly conditionStatus: () => TReportedCondition["status"] = () => "True",
  ) {}

  async apply(desired: TDesiredState): Promise<TReportedCondition[]> {
    if (this.hold) await new Promise<void>((resolve) => this.#release.push(resolve));
    this.applied.push(desired.generation);
    if (this.fail !== null) throw new Error(this.fail);
    return [{ type: `${this.name}Ready`, status: this.conditionStatus(), reason: "Applied", message: "" }];
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.#release.splice(0)) resolve();
  }
}

const desired = (generation: number, tasks: TTask[] = []): TDesiredState => ({
  generation,
  config: null,
  tasks,
});

function setup(subsystems: TSubsystem[], taskHandlers: TTaskHandler[] = []) {
  const clock = new FakeClock();
  const published: TReconcileSnapshot[] = [];
  const reconciler = new Reconciler({
    subsystems,
    taskHandlers,
    logger: captureLogs().logger,
    agentVersion: "0.1.0",
    clock,
    resyncIntervalMs: 30_000,
    onStatusChange: (snapshot) => published.push(snapshot),
  });
  return { clock, published, reconciler };
}

describe("Reconciler", () => {
  it("converges every subsystem to the desired generation and reports it observed", async () => {
    const a = new RecordingSubsystem("A");
    const b = new RecordingSubsystem("B");
    const { reconciler, published } = setup([a, b]);
    expect(reconciler.snapshot().health).toBe("unknown");
    reconciler.setDesired(desired(3));
    await reconciler.idle();
    expect(a.applied).toEqual([3]);
    expect(b.applied).toEqual([3]);
    const snapshot = reconciler.snapshot();
    expect(snapshot).toMatchObject({ desiredGeneration: 3, observedGeneration: 3, health: "healthy" });
    expect(snapshot.conditions.map((c) => c.type).sort()).toEqual(["AReady", "BReady", "Reconciled"]);
    expect(published.at(-1)?.observedGeneration).toBe(3);
  });

  it("skips superseded generations: latest wins", async () => {
    const a = new RecordingSubsystem("A");
    const { reconciler, published } = setup([a]);
    a.hold = true;
    reconciler.setDesired(desired(1));
    await settle();
    for (const generation of [2, 3, 4, 5]) reconciler.setDesired(desired(generation));
    a.release();
    await reconciler.idle();
    expect(a.applied).toEqual([1, 5]);
    expect(published.map((snapshot) => snapshot.observedGeneration)).not.toContain(1);
    expect(reconciler.snapshot().observedGeneration).toBe(5);
  });

  it("ignores older or repeated generations", async () => {
    const a = new RecordingSubsystem("A");
    const { reconciler } = setup([a]);
    expect(reconciler.setDesired(desired(5))).toBe(true);
    expect(reconciler.setDesired(desired(4))).toBe(false);
    expect(reconciler.setDesired(desired(5))).toBe(false);
    await reconciler.idle();
    expect(a.applied).toEqual([5]);
  });

  it("re-applies the latest state on resync so drift heals, without republishing an unchanged status", async () => {
    const a = new RecordingSubsystem("A");
    const { reconciler, clock, published } = setup([a]);
    reconciler.start();
    reconciler.setDesired(desired(1));
    await reconciler.idle();
    const publishedBefore = published.length;
    await clock.advance(30_000);
    await reconciler.idle();
    await clock.advance(30_000);
    await reconciler.idle();
    expect(a.applied).toEqual([1, 1, 1]);
    expect(published).toHaveLength(publishedBefore);
    await reconciler.stop();
  });

  it("reports a failing subsystem as unhealthy and recovers on a later pass", async () => {
    const a = new RecordingSubsystem("A");
    const broken = new RecordingSubsystem("B");
    broken.fail = "map update failed: ENOSPC";
    const { reconciler, clock } = setup([a, broken]);
    reconciler.start();
    reconciler.setDesired(desired(2));
    await reconciler.idle();
    let snapshot = reconciler.snapshot();
    expect(snapshot.health).toBe("unhealthy");
    const reconciled = snapshot.conditions.find((c) => c.type === "Reconciled");
    expect(reconciled).toMatchObject({ status: "False", reason: "SubsystemFailed" });
    expect(reconciled?.message).toContain("B: map update failed: ENOSPC");
    broken.fail = null;
    await clock.advance(30_000);
    await reconciler.idle();
    snapshot = reconciler.snapshot();
    expect(snapshot.health).toBe("healthy");
    expect(snapshot.conditions.find((c) => c.type === "Reconciled")?.lastTransition).toBe(
      new Date(clock.now()).toISOString(),
    );
    await reconciler.stop();
  });

  it("keeps lastTransition while a condition's status is unchanged", async () => {
    let status: TReportedCondition["status"] = "True";
    const a = new RecordingSubsystem("A", () => status);
    const { reconciler, clock } = setup([a]);
    reconciler.setDesired(desired(1));
    await reconciler.idle();
    const first = reconciler.snapshot().conditions.find((c) => c.type === "AReady")!.lastTransition;
    await clock.advance(5_000);
    reconciler.setDesired(desired(2));
    await reconciler.idle();
    expect(reconciler.snapshot().conditions.find((c) => c.type === "AReady")!.lastTransition).toBe(first);
    status = "False";
    await clock.advance(5_000);
    reconciler.setDesired(desired(3));
    await reconciler.idle();
    const changed = reconciler.snapshot();
    expect(changed.conditions.find((c) => c.type === "AReady")!.lastTransition).not.toBe(first);
    expect(changed.health).toBe("degraded");
  });

  it("runs each task id once, reports progress, and fails unknown kinds with a reason", async () => {
    let runs = 0;
    const handler: TTaskHandler = {
      kind: "noop",
      run: async (_task, report) => {
        runs += 1;
        report({ percent: 50, message: "halfway" });
        return "done";
      },
    };
    const { reconciler } = setup([new RecordingSubsystem("A")], [handler]);
    const tasks: TTask[] = [
      { id: "t-1", kind: "noop", spec: {} },
      { id: "t-2", kind: "install-release", spec: { version: "2.0.0" } },
    ];
    reconciler.setDesired(desired(1, tasks));
    reconciler.setDesired(desired(2, tasks));
    await reconciler.idle();
    await settle();
    expect(runs).toBe(1);
    const progress = Object.fromEntries(reconciler.snapshot().tasks.map((task) => [task.taskId, task]));
    expect(progress["t-1"]).toMatchObject({ state: "succeeded", percent: 100, message: "done" });
    expect(progress["t-2"]).toMatchObject({ state: "failed" });
    expect(progress["t-2"]?.message).toContain('no handler for task kind "install-release"');
  });

  it("stops: aborts work, cancels resync, accepts nothing more", async () => {
    const a = new RecordingSubsystem("A");
    const { reconciler, clock } = setup([a]);
    reconciler.start();
    reconciler.setDesired(desired(1));
    await reconciler.stop();
    expect(reconciler.setDesired(desired(2))).toBe(false);
    await clock.advance(120_000);
    expect(a.applied).toEqual([1]);
  });
});

import type { TReportedCondition, TSubsystem } from "./subsystem.ts";

/**
 * Stands in for the eBPF data plane in `--simulate` mode: accepts every desired state without
 * touching the kernel, and says so in its condition so nobody mistakes a demo node for a real one.
 */
export class SimulatedDataplaneSubsystem implements TSubsystem {
  readonly name = "dataplane";

  async apply(): Promise<TReportedCondition[]> {
    return [
      {
        type: "DataplaneReady",
        status: "True",
        reason: "Simulated",
        message: "simulate mode: no eBPF programs loaded, no kernel state changed",
      },
    ];
  }
}

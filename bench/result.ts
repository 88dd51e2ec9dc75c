import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

export interface Metric {
  value: number;
  unit: string;
  better: "higher" | "lower";
}

export interface BenchResult {
  suite: string;
  params: Record<string, unknown>;
  metrics: Record<string, Metric>;
  baseline?: { name: string; metrics: Record<string, Metric> };
}

/** Writes bench/results/<suite>.json and prints the same JSON as the last line of stdout. */
export function writeResult(result: BenchResult): void {
  const full = {
    suite: result.suite,
    when: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    machine: { cpus: cpus().length, node: process.version },
    params: result.params,
    metrics: result.metrics,
    ...(result.baseline ? { baseline: result.baseline } : {}),
  };
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(full);
  writeFileSync(join(dir, `${result.suite}.json`), `${JSON.stringify(full, null, 2)}\n`);
  process.stdout.write(`${text}\n`);
}

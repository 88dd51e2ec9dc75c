import { execFileSync } from "node:child_process";

const BPF_DIR = new URL("../../../../bpf/", import.meta.url).pathname;

/** Builds the BPF objects from source so a clean checkout tests what it ships. */
export function buildBpfObjects(): void {
  execFileSync("make", ["-C", BPF_DIR, "--no-print-directory"], { stdio: "pipe" });
}

import { mkdir, readFile } from "node:fs/promises";
import { run } from "./run.ts";

async function isBpffsMount(path: string): Promise<boolean> {
  const mounts = await readFile("/proc/self/mountinfo", "utf8");
  return mounts.split("\n").some((line) => {
    const fields = line.split(" ");
    const separator = fields.indexOf("-");
    return fields[4] === path && separator > 0 && fields[separator + 1] === "bpf";
  });
}

/** Mounts a bpffs at `path` unless one is there; returns whether this call mounted it. */
export async function ensureBpffs(path: string): Promise<boolean> {
  if (await isBpffsMount(path)) return false;
  await mkdir(path, { recursive: true });
  await run("mount", ["-t", "bpf", "bpf", path]);
  return true;
}

export async function unmountBpffs(path: string): Promise<void> {
  if (await isBpffsMount(path)) await run("umount", [path]);
}

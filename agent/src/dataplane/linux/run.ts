import { execFile } from "node:child_process";
import { DataplaneError } from "../errors.ts";

export interface RunOptions {
  env?: Record<string, string>;
  /** Run inside this network namespace (ip netns exec). */
  netns?: string | undefined;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a kernel-facing command; a non-zero exit becomes COMMAND_FAILED naming the command and its stderr. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = options.netns
    ? ["ip", ["netns", "exec", options.netns, command, ...args]]
    : [command, [...args]];
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim() || stdout.trim() || error.message;
          reject(
            new DataplaneError("COMMAND_FAILED", `${file} ${argv.join(" ")} failed: ${detail}`, {
              cause: error,
            }),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";
import type { TLogLevel } from "../env.ts";

/**
 * Secrets that must never reach a log line even if someone logs a whole object: join tokens,
 * session JWTs, and the private `d` of a JWK.
 */
export const REDACTED_LOG_PATHS = [
  "token",
  "*.token",
  "joinToken",
  "*.joinToken",
  "d",
  "*.d",
  "privateKey",
  "*.privateKey",
  "authorization",
  "*.authorization",
];

export type TCreateLoggerOptions = {
  level: TLogLevel;
  /** Also append to this file (the agent's log directory); stdout always receives the log for journald. */
  logFile?: string;
  /** Replaces stdout, for tests. */
  destination?: DestinationStream;
};

export function createLogger(options: TCreateLoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: "cenvero-str-agent", pid: process.pid },
    redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const primary = options.destination ?? pino.destination(1);
  if (options.logFile === undefined) return pino(base, primary);
  mkdirSync(dirname(options.logFile), { recursive: true, mode: 0o750 });
  return pino(
    base,
    pino.multistream([
      { stream: primary, level: options.level },
      {
        stream: pino.destination({ dest: options.logFile, append: true, sync: false }),
        level: options.level,
      },
    ]),
  );
}

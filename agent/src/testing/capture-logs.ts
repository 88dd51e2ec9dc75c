import { createLogger } from "../log/create-logger.ts";

export type TLogLine = { level: number; msg: string } & Record<string, unknown>;

/** A real pino logger (with the production redaction rules) whose lines the test can read. */
export function captureLogs() {
  const raw: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => raw.push(line) } });
  return {
    logger,
    raw,
    lines: (): TLogLine[] => raw.map((line) => JSON.parse(line) as TLogLine),
  };
}

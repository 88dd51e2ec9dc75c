import { request } from "node:http";
import type { z } from "zod";
import { ZLocalApiError } from "./local-api-schemas.ts";

export class AgentNotRunningError extends Error {
  override readonly name = "AgentNotRunningError";
  constructor(
    readonly socketPath: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(
      cause.code === "EACCES"
        ? `permission denied on ${socketPath}; run cenvero-str-ctl as root or as a member of the socket's group`
        : `cannot reach the agent at ${socketPath} (${cause.code ?? cause.message}); is cenvero-str-agent running? (systemctl status cenvero-str-agent, or pass --socket)`,
      { cause },
    );
  }
}

export class LocalApiResponseError extends Error {
  override readonly name = "LocalApiResponseError";
}

/** GETs one local API route and parses the answer; the agent is a separate process, so its reply is external input. */
export function requestLocalApi<T>(
  socketPath: string,
  path: string,
  schema: z.ZodType<T>,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ socketPath, path, method: "GET", timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return reject(new LocalApiResponseError(`agent at ${socketPath} answered ${path} with non-JSON`));
        }
        if (response.statusCode !== 200) {
          const error = ZLocalApiError.safeParse(body);
          const detail = error.success ? error.data.error : `HTTP ${response.statusCode}`;
          return reject(new LocalApiResponseError(`agent refused ${path}: ${detail}`));
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          return reject(
            new LocalApiResponseError(
              `agent answered ${path} in an unexpected shape; are ctl and agent the same version?`,
            ),
          );
        }
        resolve(parsed.data);
      });
    });
    outgoing.on("timeout", () =>
      outgoing.destroy(new Error(`agent did not answer ${path} within ${timeoutMs} ms`)),
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED" || error.code === "EACCES") {
        reject(new AgentNotRunningError(socketPath, error));
      } else reject(error);
    });
    outgoing.end();
  });
}

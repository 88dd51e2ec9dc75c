import { chmod, lstat, mkdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createConnection } from "node:net";
import { dirname } from "node:path";
import type { Logger } from "pino";
import {
  LOCAL_API_ROUTES,
  type TClusterStatus,
  type TNodeInfo,
  ZClusterStatus,
  ZNodeInfo,
} from "./local-api-schemas.ts";

export class LocalApiError extends Error {
  override readonly name = "LocalApiError";
}

export type TLocalApiHandlers = {
  nodeInfo: () => TNodeInfo;
  clusterStatus: () => TClusterStatus;
};

function isListening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

/** A socket file left by a crashed agent would make listen() fail with EADDRINUSE; a live one means a second agent. */
async function clearStaleSocket(socketPath: string): Promise<void> {
  try {
    const info = await lstat(socketPath);
    if (!info.isSocket()) throw new LocalApiError(`${socketPath} exists and is not a socket; remove it`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (await isListening(socketPath)) {
    throw new LocalApiError(`another agent is already serving ${socketPath}`);
  }
  await rm(socketPath, { force: true });
}

export type TLocalApiServer = { socketPath: string; close(): Promise<void> };

/** Serves read-only JSON for cenvero-str-ctl over a unix socket; access is governed by the file mode (0660). */
export async function serveLocalApi(
  socketPath: string,
  handlers: TLocalApiHandlers,
  logger: Logger,
): Promise<TLocalApiServer> {
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o755 });
  await clearStaleSocket(socketPath);
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET") return reply(405, { error: "only GET is supported" });
    try {
      const path = new URL(request.url ?? "/", "http://agent").pathname;
      if (path === LOCAL_API_ROUTES.node) return reply(200, ZNodeInfo.parse(handlers.nodeInfo()));
      if (path === LOCAL_API_ROUTES.cluster)
        return reply(200, ZClusterStatus.parse(handlers.clusterStatus()));
      return reply(404, { error: `no such endpoint ${path}` });
    } catch (error) {
      logger.error({ err: (error as Error).message, url: request.url }, "local API request failed");
      return reply(500, { error: "internal error; see the agent log" });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  await chmod(socketPath, 0o660);
  logger.info({ socketPath }, "local API listening");
  return {
    socketPath,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketPath, { force: true });
    },
  };
}

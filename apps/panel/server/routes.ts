import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { MAX_BODY_BYTES } from "@stratum/api";
import { sendJson } from "./health.ts";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The WebSocket path the fleet hub owns; agents dial it. */
export const AGENT_UPGRADE_PATH = "/agent/v1";

export interface Routes {
  health: RequestHandler;
  trpc: RequestHandler;
  /** Agent HTTP endpoints under /api/agent/v1 (enrollment, downloads), once the fleet hub is mounted. */
  agentApi?: RequestHandler;
  next: RequestHandler;
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? "/", "http://panel.invalid").pathname;
}

export function createRequestRouter(routes: Routes): RequestHandler {
  return (req, res) => {
    const path = pathOf(req);
    if (path.startsWith("/api/") && Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      res.setHeader("connection", "close");
      return sendJson(res, 413, {
        error: "payload_too_large",
        message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
      });
    }
    if (path === "/api/health") return routes.health(req, res);
    if (path.startsWith("/api/trpc/")) return routes.trpc(req, res);
    if (path === "/api/agent/v1" || path.startsWith("/api/agent/v1/")) {
      if (routes.agentApi) return routes.agentApi(req, res);
      return sendJson(res, 404, { error: "not_found", message: "No agent endpoint at this path." });
    }
    if (path.startsWith("/api/"))
      return sendJson(res, 404, { error: "not_found", message: `No API route ${path}.` });
    return routes.next(req, res);
  };
}

export interface UpgradeRoutes {
  /** The fleet hub's upgrade handler, mounted on AGENT_UPGRADE_PATH. */
  agent?: UpgradeHandler;
  /** Next's own upgrades (the dev server's hot reload); production has none. */
  next?: UpgradeHandler;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function createUpgradeRouter(routes: UpgradeRoutes): UpgradeHandler {
  return (req, socket, head) => {
    const path = pathOf(req);
    if (path === AGENT_UPGRADE_PATH) {
      if (routes.agent) return routes.agent(req, socket, head);
      return refuse(socket, 503, "Service Unavailable");
    }
    if (routes.next && path.startsWith("/_next/")) return routes.next(req, socket, head);
    refuse(socket, 404, "Not Found");
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "@stratum/db";
import { ENROLL_PATH, type TEnrollErrorCode, ZEnrollRequest } from "@stratum/protocol";
import type { Logger } from "pino";
import { type EnrollContext, EnrollError, enrollNode } from "./enroll-node.ts";

const MAX_ENROLL_BODY_BYTES = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: TEnrollErrorCode, message: string): void {
  send(res, status, { error: { code, message } });
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ENROLL_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface EnrollHandlerOptions {
  db: Database;
  logger: Logger;
  context: (req: IncomingMessage) => Promise<Omit<EnrollContext, "now">>;
}

/** `POST /api/agent/v1/enroll`: the only agent endpoint that needs no node key. */
export function createEnrollHandler(options: EnrollHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? "/", "http://panel.invalid").pathname;
    if (path !== ENROLL_PATH) return false;
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      sendError(res, 405, "invalid_request", "Enrollment takes a POST with a JSON body.");
      return true;
    }
    const body = await readBody(req);
    if (body === null) {
      sendError(
        res,
        413,
        "invalid_request",
        `Enrollment requests are limited to ${MAX_ENROLL_BODY_BYTES} bytes.`,
      );
      return true;
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      sendError(res, 400, "invalid_request", "The request body is not JSON.");
      return true;
    }
    const parsed = ZEnrollRequest.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendError(
        res,
        400,
        "invalid_request",
        `Invalid enrollment request: ${issue?.path.join(".") || "body"}: ${issue?.message}`,
      );
      return true;
    }
    try {
      const response = await enrollNode(options.db, parsed.data, await options.context(req));
      options.logger.info(
        { nodeId: response.nodeId, name: response.name, mode: response.mode },
        "node enrolled",
      );
      send(res, 200, response);
    } catch (error) {
      if (error instanceof EnrollError) {
        options.logger.warn(
          { code: error.code, hostname: parsed.data.hostname },
          `enrollment refused: ${error.message}`,
        );
        sendError(res, error.httpStatus, error.code, error.message);
      } else {
        options.logger.error({ err: error }, "enrollment failed");
        sendError(res, 500, "internal", "The panel could not enroll the node; see the panel's log.");
      }
    }
    return true;
  };
}

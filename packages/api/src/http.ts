import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { type ApiDeps, createContext, type RequestMeta } from "./context.ts";
import { appRouter } from "./router.ts";

/** Largest request body the API accepts; larger ones get 413 before any procedure runs. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const TRPC_BASE_PATH = "/api/trpc/";

export interface RequestMetaOptions {
  /** Honour X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you run). */
  trustProxy: boolean;
  /** Extra origins the panel is served from (STRATUM_PUBLIC_URL). */
  publicOrigins: string[];
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function requestMeta(req: IncomingMessage, options: RequestMetaOptions): RequestMeta {
  const forwardedProto = options.trustProxy
    ? firstHeader(req.headers["x-forwarded-proto"])?.split(",")[0]?.trim()
    : undefined;
  const secure = forwardedProto === "https" || (req.socket as { encrypted?: boolean }).encrypted === true;
  const forwardedFor = options.trustProxy
    ? firstHeader(req.headers["x-forwarded-for"])?.split(",")[0]?.trim()
    : undefined;
  const host = firstHeader(req.headers.host);
  const ownOrigin = host ? `${secure ? "https" : "http"}://${host}` : undefined;
  return {
    sourceIp: forwardedFor || req.socket.remoteAddress?.replace(/^::ffff:/, ""),
    userAgent: firstHeader(req.headers["user-agent"]),
    origin: firstHeader(req.headers.origin),
    allowedOrigins: [...(ownOrigin ? [ownOrigin] : []), ...options.publicOrigins],
    panelOrigin: options.publicOrigins[0] ?? ownOrigin,
    secure,
  };
}

export function createTrpcHandler(
  deps: ApiDeps,
  options: RequestMetaOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: MAX_BODY_BYTES,
    createContext: ({ req, res }) =>
      createContext({
        deps,
        meta: requestMeta(req, options),
        cookieHeader: firstHeader(req.headers.cookie),
        setCookie: (cookie) => {
          const existing = res.getHeader("set-cookie");
          res.setHeader("set-cookie", [
            ...(Array.isArray(existing) ? existing : existing ? [String(existing)] : []),
            cookie,
          ]);
        },
      }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        deps.logger.error({ err: error.cause ?? error, path }, "tRPC request failed");
    },
  });
}

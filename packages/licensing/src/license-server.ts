import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import {
  ACTIVATE_PATH,
  bindLicense,
  DEACTIVATE_PATH,
  ZOnlineActivationRequest,
  ZOnlineDeactivationRequest,
} from "./activation.ts";
import { LicenseError, type TLicenseErrorCode } from "./license-error.ts";
import { verifyLicense } from "./license-token.ts";
import { type VendorPrivateKey, vendorPublicKeyOf } from "./vendor-keys.ts";

const MAX_BODY_BYTES = 64 * 1024;

const ZActivations = z.object({
  activations: z.record(
    z.string(),
    z.object({ installationId: z.string(), activatedAt: z.iso.datetime(), panelVersion: z.string() }),
  ),
});
type TActivations = z.infer<typeof ZActivations>;

export interface LicenseServerOptions {
  vendorKey: VendorPrivateKey;
  port: number;
  host?: string;
  /** Where activations are kept across restarts; without it they live only as long as the process. */
  statePath?: string;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RunningLicenseServer {
  url: string;
  close(): Promise<void>;
}

const HTTP_STATUS: Partial<Record<TLicenseErrorCode, number>> = {
  already_activated: 409,
  other_installation: 409,
  expired: 410,
};

/**
 * The vendor's online activation endpoint: binds a license to the installation that presents it,
 * and keeps each license active on one installation at a time until it is deactivated.
 */
export async function startLicenseServer(options: LicenseServerOptions): Promise<RunningLicenseServer> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const state = loadState(options.statePath);
  const save = () => {
    if (!options.statePath) return;
    // Written beside and renamed, so a crash never leaves half a file.
    const temp = `${options.statePath}.tmp`;
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, options.statePath);
  };
  const ownKeys = [vendorPublicKeyOf(options.vendorKey)];

  async function activate(body: unknown): Promise<unknown> {
    const request = ZOnlineActivationRequest.parse(body);
    const license = await verifyLicense(request.licenseKey, {
      now: now(),
      installationId: request.installationId,
      vendorKeys: ownKeys,
    });
    const holder = state.activations[license.id];
    if (holder && holder.installationId !== request.installationId) {
      throw new LicenseError(
        "already_activated",
        `License ${license.id} is active on installation ${holder.installationId} since ${holder.activatedAt}. Deactivate it there first (Licensing page), or contact the vendor if that installation is gone.`,
      );
    }
    // Claimed before the next await, so two installations racing for one license cannot both win.
    state.activations[license.id] = {
      installationId: request.installationId,
      activatedAt: holder?.activatedAt ?? now().toISOString(),
      panelVersion: request.panelVersion,
    };
    let bound: string;
    try {
      bound = await bindLicense(options.vendorKey, request.licenseKey, request.installationId, now());
    } catch (error) {
      if (holder) state.activations[license.id] = holder;
      else delete state.activations[license.id];
      throw error;
    }
    save();
    log(
      `activated ${license.id} for ${license.licensee.organisation} on installation ${request.installationId}`,
    );
    return { license: bound };
  }

  async function deactivate(body: unknown): Promise<unknown> {
    const request = ZOnlineDeactivationRequest.parse(body);
    const license = await verifyLicense(request.licenseKey, {
      now: now(),
      installationId: request.installationId,
      vendorKeys: ownKeys,
    });
    const holder = state.activations[license.id];
    if (holder && holder.installationId !== request.installationId) {
      throw new LicenseError(
        "other_installation",
        `License ${license.id} is active on installation ${holder.installationId}, not on ${request.installationId}; only that installation can deactivate it.`,
      );
    }
    delete state.activations[license.id];
    save();
    log(`deactivated ${license.id} on installation ${request.installationId}`);
    return { deactivated: true };
  }

  const routes: Record<string, (body: unknown) => Promise<unknown>> = {
    [ACTIVATE_PATH]: activate,
    [DEACTIVATE_PATH]: deactivate,
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent)
        reply(res, 500, { error: { code: "license_server_error", message: "Internal error." } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = routes[new URL(req.url ?? "/", "http://license.invalid").pathname];
    if (!route) return reply(res, 404, { error: { code: "invalid_request", message: "Not found." } });
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(res, 405, { error: { code: "invalid_request", message: "Use POST." } });
    }
    const text = await readBody(req);
    if (text === null) {
      return reply(res, 413, { error: { code: "invalid_request", message: "The request is too large." } });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reply(res, 400, {
        error: { code: "invalid_request", message: "The request body is not JSON." },
      });
    }
    try {
      reply(res, 200, await route(body));
    } catch (error) {
      if (error instanceof z.ZodError) {
        const message = error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
        return reply(res, 400, { error: { code: "invalid_request", message } });
      }
      if (error instanceof LicenseError) {
        return reply(res, HTTP_STATUS[error.code] ?? 422, {
          error: { code: error.code, message: error.message },
        });
      }
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function loadState(path: string | undefined): TActivations {
  if (!path || !existsSync(path)) return { activations: {} };
  const parsed = ZActivations.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`The license server state file ${path} is not valid.`);
  return parsed.data;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

import type { z } from "zod";
import {
  ACTIVATE_PATH,
  DEACTIVATE_PATH,
  type TOnlineActivationRequest,
  type TOnlineDeactivationRequest,
  ZLicenseServerError,
  ZOnlineActivationResponse,
  ZOnlineDeactivationResponse,
} from "./activation.ts";
import { LicenseError } from "./license-error.ts";

export interface LicenseServerCallOptions {
  timeoutMs?: number;
}

/**
 * Exchanges a license key for a license bound to this installation. The answer is not trusted:
 * the panel verifies it (and previews it) like a pasted license.
 */
export async function activateOnline(
  serverUrl: string,
  request: TOnlineActivationRequest,
  options: LicenseServerCallOptions = {},
): Promise<string> {
  return (await call(serverUrl, ACTIVATE_PATH, request, ZOnlineActivationResponse, options)).license;
}

/** Releases the license at the license server so another installation can activate it. */
export async function deactivateOnline(
  serverUrl: string,
  request: TOnlineDeactivationRequest,
  options: LicenseServerCallOptions = {},
): Promise<void> {
  await call(serverUrl, DEACTIVATE_PATH, request, ZOnlineDeactivationResponse, options);
}

async function call<T>(
  serverUrl: string,
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
  { timeoutMs = 15_000 }: LicenseServerCallOptions,
): Promise<T> {
  const url = new URL(path, serverUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new LicenseError(
      "license_server_unreachable",
      `The license server at ${url.origin} cannot be reached (${error instanceof Error ? error.message : String(error)}). Check the license server URL and this server's outbound access, or activate offline with an activation request file.`,
    );
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const refusal = ZLicenseServerError.safeParse(json);
    if (refusal.success && refusal.data.error.code !== "invalid_request") {
      throw new LicenseError(refusal.data.error.code, refusal.data.error.message);
    }
    throw new LicenseError(
      "license_server_error",
      `The license server at ${url.origin} answered ${response.status}${refusal.success ? `: ${refusal.data.error.message}` : ""}. Try again later, or activate offline.`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new LicenseError(
      "license_server_error",
      `The license server at ${url.origin} answered something that is not a license response. Check the license server URL.`,
    );
  }
  return parsed.data;
}

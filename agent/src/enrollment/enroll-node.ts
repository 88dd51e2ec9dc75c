import {
  ENROLL_PATH,
  type TEnrollRequest,
  type TNodeFacts,
  type TNodeMode,
  ZEnrollErrorResponse,
  ZEnrollResponse,
} from "@stratum/protocol";
import type { Logger } from "pino";
import type { NodeIdentity } from "../identity/node-identity.ts";
import { readStoredEnrollment, type TStoredEnrollment, writeStoredEnrollment } from "./stored-enrollment.ts";

export class EnrollmentError extends Error {
  override readonly name = "EnrollmentError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type TEnrollNodeInput = {
  panelUrl: string;
  token: string;
  name?: string;
  mode?: TNodeMode;
  force?: boolean;
  identity: NodeIdentity;
  hostname: string;
  facts: TNodeFacts;
  agentVersion: string;
  enrollmentPath: string;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
};

function enrollUrl(panelUrl: string): URL {
  let url: URL;
  try {
    url = new URL(panelUrl);
  } catch {
    throw new EnrollmentError("invalid_panel_url", `--panel ${JSON.stringify(panelUrl)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new EnrollmentError("invalid_panel_url", `--panel must be an http(s) URL, got ${url.protocol}`);
  }
  url.pathname = `${url.pathname.replace(/\/$/, "")}${ENROLL_PATH}`;
  return url;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/**
 * Exchanges a join token for a node id: POSTs the node's public key and facts to the panel and
 * stores the answer (node id, panel URL, audience, trust material) for `run`.
 */
export async function enrollNode(input: TEnrollNodeInput): Promise<TStoredEnrollment> {
  const existing = await readStoredEnrollment(input.enrollmentPath);
  if (existing !== null && !input.force) {
    throw new EnrollmentError(
      "already_enrolled",
      `this node is already enrolled as ${existing.name} (${existing.nodeId}) with ${existing.panelUrl}; pass --force to enroll again`,
    );
  }
  const url = enrollUrl(input.panelUrl);
  const body: TEnrollRequest = {
    token: input.token,
    publicKey: input.identity.publicJwk,
    hostname: input.hostname,
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.mode === undefined ? {} : { mode: input.mode }),
    agentVersion: input.agentVersion,
    facts: input.facts,
  };
  input.logger.info(
    { url: url.toString(), hostname: input.hostname, mode: input.mode },
    "enrolling with the panel",
  );

  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(input.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new EnrollmentError(
      "panel_unreachable",
      `cannot reach ${url.origin}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }

  const payload = await readJson(response);
  if (!response.ok) {
    const rejection = ZEnrollErrorResponse.safeParse(payload);
    if (rejection.success) {
      throw new EnrollmentError(
        rejection.data.error.code,
        `panel refused enrollment (${rejection.data.error.code}): ${rejection.data.error.message}`,
      );
    }
    throw new EnrollmentError("http_error", `panel answered HTTP ${response.status} to ${url.pathname}`);
  }
  const accepted = ZEnrollResponse.safeParse(payload);
  if (!accepted.success) {
    throw new EnrollmentError(
      "invalid_response",
      `panel answered with an invalid enrollment response: ${accepted.error.issues[0]?.message}; check that --panel points at a Stratum panel of a compatible version`,
    );
  }
  const enrollment: TStoredEnrollment = {
    ...accepted.data,
    enrolledAt: new Date((input.now ?? Date.now)()).toISOString(),
  };
  await writeStoredEnrollment(input.enrollmentPath, enrollment);
  input.logger.info(
    { nodeId: enrollment.nodeId, name: enrollment.name, trustedKeys: enrollment.trustedKeys.length },
    "enrolled",
  );
  return enrollment;
}

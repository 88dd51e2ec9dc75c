import { mkdtemp, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENROLL_PATH, HUB_PATH, type TEnrollRequest, ZEnrollRequest } from "@stratum/protocol";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NodeIdentity } from "../identity/node-identity.ts";
import { captureLogs } from "../testing/capture-logs.ts";
import { createTestIdentity } from "../testing/create-test-identity.ts";
import { EnrollmentError, enrollNode } from "./enroll-node.ts";
import { hubUrl, readStoredEnrollment } from "./stored-enrollment.ts";

const TOKEN = "stj_0123456789abcdef0123456789abcdef";
const facts = { cpus: 4, memoryBytes: 8_000_000_000, kernel: "6.12.0", interfaces: [] };

let identity: NodeIdentity;
let server: Server | undefined;
beforeAll(async () => {
  identity = await createTestIdentity();
});
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** A stand-in panel on a free port that validates requests with the real contract. */
async function startPanel(respond: (body: TEnrollRequest) => { status: number; body: unknown }) {
  const requests: Array<{ path: string | undefined; body: TEnrollRequest }> = [];
  server = createServer(async (request, response) => {
    const body = ZEnrollRequest.parse(await readBody(request));
    requests.push({ path: request.url, body });
    const answer = respond(body);
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return { url, requests };
}

async function enroll(panelUrl: string, overrides: { force?: boolean; enrollmentPath?: string } = {}) {
  const logs = captureLogs();
  const enrollmentPath =
    overrides.enrollmentPath ?? join(await mkdtemp(join(tmpdir(), "stratum-enroll-")), "enrollment.json");
  const result = enrollNode({
    panelUrl,
    token: TOKEN,
    name: "node-a",
    mode: "compute",
    force: overrides.force ?? false,
    identity,
    hostname: "node-a.example.net",
    facts,
    agentVersion: "0.1.0",
    enrollmentPath,
    logger: logs.logger,
  });
  return { result, enrollmentPath, logs };
}

const accepted = (url: string) => ({
  status: 200,
  body: {
    nodeId: "node_01",
    name: "node-a",
    mode: "compute",
    audience: url,
    panelUrl: url,
    hubPath: HUB_PATH,
    trustedKeys: [{ kty: "OKP", crv: "Ed25519", x: identity.publicJwk.x, kid: "panel-2026" }],
  },
});

describe("enrollNode", () => {
  it("posts the contract to the enroll path and persists node id, panel and trust material (0600)", async () => {
    const panel = await startPanel(() => accepted(panel.url));
    const { result, enrollmentPath, logs } = await enroll(panel.url);
    const enrollment = await result;
    expect(panel.requests[0]?.path).toBe(ENROLL_PATH);
    expect(panel.requests[0]?.body).toMatchObject({
      token: TOKEN,
      publicKey: identity.publicJwk,
      mode: "compute",
    });
    expect(await readStoredEnrollment(enrollmentPath)).toEqual(enrollment);
    expect(enrollment.trustedKeys[0]?.kid).toBe("panel-2026");
    expect((await stat(enrollmentPath)).mode & 0o777).toBe(0o600);
    expect(hubUrl(enrollment)).toBe(`${panel.url.replace("http", "ws")}${HUB_PATH}`);
    expect(logs.raw.join("")).not.toContain(TOKEN);
  });

  it("surfaces the panel's reason for refusing", async () => {
    const panel = await startPanel(() => ({
      status: 403,
      body: { error: { code: "token_expired", message: "join token expired at 2026-11-21T00:00:00Z" } },
    }));
    const { result, enrollmentPath } = await enroll(panel.url);
    await expect(result).rejects.toMatchObject({
      code: "token_expired",
      message: expect.stringContaining("expired"),
    });
    expect(await readStoredEnrollment(enrollmentPath)).toBeNull();
  });

  it("rejects a response that breaks the contract and stores nothing", async () => {
    const panel = await startPanel(() => ({ status: 200, body: { nodeId: "x" } }));
    const { result, enrollmentPath } = await enroll(panel.url);
    await expect(result).rejects.toMatchObject({ code: "invalid_response" });
    expect(await readStoredEnrollment(enrollmentPath)).toBeNull();
  });

  it("refuses to enroll twice without --force", async () => {
    const panel = await startPanel(() => accepted(panel.url));
    const first = await enroll(panel.url);
    await first.result;
    const second = await enroll(panel.url, { enrollmentPath: first.enrollmentPath });
    await expect(second.result).rejects.toMatchObject({ code: "already_enrolled" });
    const forced = await enroll(panel.url, { enrollmentPath: first.enrollmentPath, force: true });
    await expect(forced.result).resolves.toMatchObject({ nodeId: "node_01" });
  });

  it("names an unreachable panel", async () => {
    const { result } = await enroll("http://127.0.0.1:1");
    const error = await result.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnrollmentError);
    expect((error as EnrollmentError).code).toBe("panel_unreachable");
    expect((error as Error).message).toContain("127.0.0.1:1");
  });
});

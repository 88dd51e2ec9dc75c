import { spawnSync } from "node:child_process";
import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs } from "../testing/capture-logs.ts";
import {
  LOCAL_API_ROUTES,
  type TClusterStatus,
  type TNodeInfo,
  ZClusterStatus,
  ZNodeInfo,
} from "./local-api-schemas.ts";
import { LocalApiResponseError, requestLocalApi } from "./request-local-api.ts";
import { serveLocalApi, type TLocalApiServer } from "./serve-local-api.ts";

const nodeInfo: TNodeInfo = {
  nodeId: "node-1",
  name: "demo-1",
  mode: "gateway",
  hostname: "host",
  panelUrl: "http://127.0.0.1:3000",
  agentVersion: "0.1.0",
  simulate: true,
  startedAt: "2026-11-22T12:00:00.000Z",
  publicKeyThumbprint: "abc",
  hub: {
    state: "waiting",
    url: "ws://127.0.0.1:3000/agent/v1",
    failedAttempts: 2,
    sessionId: null,
    protocolVersion: null,
    connectedSince: null,
    nextAttemptAt: "2026-11-22T12:00:02.000Z",
    lastClose: { code: 1006, name: "code_1006", reason: "", at: "2026-11-22T12:00:01.000Z" },
  },
};
const clusterStatus: TClusterStatus = {
  clusterRole: "none",
  health: "unknown",
  desiredGeneration: null,
  observedGeneration: 0,
  lastReconciledAt: null,
  conditions: [],
  tasks: [],
  hubState: "waiting",
};

const servers: TLocalApiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function socketPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "stratum-api-")), "run", "agent.sock");
}

async function serve(
  path: string,
  handlers = { nodeInfo: () => nodeInfo, clusterStatus: () => clusterStatus },
) {
  const server = await serveLocalApi(path, handlers, captureLogs().logger);
  servers.push(server);
  return server;
}

describe("local API", () => {
  it("serves node info and cluster status as validated JSON on a 0660 socket", async () => {
    const path = await socketPath();
    await serve(path);
    expect(await requestLocalApi(path, LOCAL_API_ROUTES.node, ZNodeInfo)).toEqual(nodeInfo);
    expect(await requestLocalApi(path, LOCAL_API_ROUTES.cluster, ZClusterStatus)).toEqual(clusterStatus);
    expect((await stat(path)).mode & 0o777).toBe(0o660);
  });

  it("answers unknown routes with a clear error", async () => {
    const path = await socketPath();
    await serve(path);
    await expect(requestLocalApi(path, "/v1/nope", ZNodeInfo)).rejects.toThrow(/no such endpoint \/v1\/nope/);
  });

  it("turns a handler fault into a 500 without leaking details", async () => {
    const path = await socketPath();
    await serve(path, {
      nodeInfo: () => {
        throw new Error("secret internals");
      },
      clusterStatus: () => clusterStatus,
    });
    const error = await requestLocalApi(path, LOCAL_API_ROUTES.node, ZNodeInfo).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LocalApiResponseError);
    expect((error as Error).message).not.toContain("secret internals");
  });

  it("replaces a stale socket left by a crashed agent", async () => {
    const path = await socketPath();
    await serve(path);
    await servers.pop()!.close();
    // SIGKILL skips the cleanup that would unlink the socket, exactly like a crashed agent.
    const crashed = spawnSync(process.execPath, [
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`,
    ]);
    expect(crashed.signal).toBe("SIGKILL");
    await expect(stat(path)).resolves.toBeTruthy();
    await serve(path);
    expect(await requestLocalApi(path, LOCAL_API_ROUTES.node, ZNodeInfo)).toEqual(nodeInfo);
  });

  it("refuses to delete a regular file at the socket path", async () => {
    const path = await socketPath();
    await serve(path);
    await servers.pop()!.close();
    await writeFile(path, "not a socket");
    await expect(
      serveLocalApi(
        path,
        { nodeInfo: () => nodeInfo, clusterStatus: () => clusterStatus },
        captureLogs().logger,
      ),
    ).rejects.toThrow(/is not a socket/);
  });
});

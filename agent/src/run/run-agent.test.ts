import { access, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HUB_PATH } from "@stratum/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildCtlProgram } from "../ctl/build-ctl-program.ts";
import { writeStoredEnrollment } from "../enrollment/stored-enrollment.ts";
import { agentPaths, loadAgentEnv } from "../env.ts";
import { MemoryHubTransport } from "../hub/memory-hub-transport.ts";
import { loadOrCreateNodeIdentity } from "../identity/load-or-create-node-identity.ts";
import { LOCAL_API_ROUTES, ZClusterStatus, ZNodeInfo } from "../local-api/local-api-schemas.ts";
import { AgentNotRunningError, requestLocalApi } from "../local-api/request-local-api.ts";
import { captureLogs } from "../testing/capture-logs.ts";
import { eventually } from "../testing/fake-clock.ts";
import { NotEnrolledError, runAgent, type TRunningAgent } from "./run-agent.ts";

const running: TRunningAgent[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const agent of running.splice(0)) await agent.stop();
});

async function enrolledEnv() {
  const root = await mkdtemp(join(tmpdir(), "stratum-agent-"));
  const env = loadAgentEnv(
    {},
    {
      configDir: join(root, "etc"),
      stateDir: join(root, "state"),
      logDir: join(root, "log"),
      runDir: join(root, "run"),
    },
  );
  await loadOrCreateNodeIdentity(agentPaths(env).nodeKey);
  await writeStoredEnrollment(agentPaths(env).enrollment, {
    nodeId: "node-1",
    name: "demo-1",
    mode: "compute",
    panelUrl: "http://127.0.0.1:3000",
    audience: "http://127.0.0.1:3000",
    hubPath: HUB_PATH,
    trustedKeys: [],
    enrolledAt: "2026-11-22T12:00:00.000Z",
  });
  return env;
}

async function runCtl(argv: string[]): Promise<string> {
  const output: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  await buildCtlProgram({}).parseAsync(["node", "cenvero-str-ctl", ...argv]);
  vi.restoreAllMocks();
  return output.join("");
}

describe("runAgent --simulate", () => {
  it("connects, converges the simulated data plane, reports status and serves ctl", async () => {
    const env = await enrolledEnv();
    const transport = new MemoryHubTransport();
    const agent = await runAgent({ env, simulate: true, logger: captureLogs().logger, transport });
    running.push(agent);

    const peer = transport.latest!;
    expect(peer.url).toBe("ws://127.0.0.1:3000/agent/v1");
    peer.open();
    await eventually(() => peer.received.length > 0);
    peer.send({
      type: "welcome",
      protocolVersion: 1,
      sessionId: "s-1",
      heartbeatIntervalMs: 10_000,
      offlineAfterMs: 30_000,
      serverTime: new Date().toISOString(),
    });
    peer.send({ type: "desired", generation: 3, config: null, tasks: [] });
    await agent.reconciler.idle();

    const statuses = peer
      .frames<{
        type: string;
        observedGeneration: number;
        conditions: Array<{ type: string; reason: string }>;
      }>()
      .filter((frame) => frame.type === "status");
    const latest = statuses.at(-1)!;
    expect(latest.observedGeneration).toBe(3);
    expect(latest.conditions).toContainEqual(
      expect.objectContaining({ type: "DataplaneReady", reason: "Simulated" }),
    );

    const cluster = await requestLocalApi(env.socketPath, LOCAL_API_ROUTES.cluster, ZClusterStatus);
    expect(cluster).toMatchObject({
      observedGeneration: 3,
      desiredGeneration: 3,
      health: "healthy",
      hubState: "connected",
    });
    const node = await requestLocalApi(env.socketPath, LOCAL_API_ROUTES.node, ZNodeInfo);
    expect(node).toMatchObject({
      nodeId: "node-1",
      name: "demo-1",
      simulate: true,
      hub: { state: "connected" },
    });

    const human = await runCtl(["--socket", env.socketPath, "node", "info"]);
    expect(human).toMatch(/Node\s+demo-1 \(node-1\)/);
    expect(human).toContain("compute [simulate]");
    const json = JSON.parse(await runCtl(["--socket", env.socketPath, "cluster", "status", "--json"]));
    expect(ZClusterStatus.parse(json).observedGeneration).toBe(3);
    expect(await runCtl(["--socket", env.socketPath, "cluster", "status"])).toMatch(
      /DataplaneReady\s+True\s+Simulated/,
    );
  });

  it("stops cleanly: closes the session with 1001 and removes the socket", async () => {
    const env = await enrolledEnv();
    const transport = new MemoryHubTransport();
    const agent = await runAgent({ env, simulate: true, logger: captureLogs().logger, transport });
    transport.latest!.open();
    await eventually(() => transport.latest!.received.length > 0);
    await agent.stop();
    expect(transport.latest!.closed).toMatchObject({ code: 1001 });
    await expect(access(env.socketPath)).rejects.toThrow();
    await expect(requestLocalApi(env.socketPath, LOCAL_API_ROUTES.node, ZNodeInfo)).rejects.toBeInstanceOf(
      AgentNotRunningError,
    );
  });

  it("refuses to start a second agent on the same socket", async () => {
    const env = await enrolledEnv();
    const first = await runAgent({
      env,
      simulate: true,
      logger: captureLogs().logger,
      transport: new MemoryHubTransport(),
    });
    running.push(first);
    await expect(
      runAgent({ env, simulate: true, logger: captureLogs().logger, transport: new MemoryHubTransport() }),
    ).rejects.toThrow(/already serving/);
  });

  it("explains how to enroll when not enrolled", async () => {
    const root = await mkdtemp(join(tmpdir(), "stratum-agent-"));
    const env = loadAgentEnv({}, { stateDir: join(root, "state"), runDir: join(root, "run") });
    await expect(runAgent({ env, simulate: true, logger: captureLogs().logger })).rejects.toBeInstanceOf(
      NotEnrolledError,
    );
  });
});

describe("cenvero-str-ctl without an agent", () => {
  it("names the socket path it tried", async () => {
    const socketPath = join(tmpdir(), "stratum-no-agent", "agent.sock");
    await expect(runCtl(["--socket", socketPath, "node", "info"])).rejects.toThrow(
      new RegExp(`cannot reach the agent at ${socketPath}.*is cenvero-str-agent running`),
    );
  });
});

import { hostname } from "node:os";
import { calculateJwkThumbprint } from "jose";
import type { Logger } from "pino";
import { systemClock, type TClock } from "../clock.ts";
import { hubUrl, readStoredEnrollment } from "../enrollment/stored-enrollment.ts";
import { agentPaths, type TAgentEnv } from "../env.ts";
import { HubClient } from "../hub/hub-client.ts";
import type { THubTransport } from "../hub/hub-transport.ts";
import { WsHubTransport } from "../hub/ws-hub-transport.ts";
import { loadExistingNodeIdentity } from "../identity/load-or-create-node-identity.ts";
import { serveLocalApi, type TLocalApiServer } from "../local-api/serve-local-api.ts";
import { Reconciler } from "../reconcile/reconciler.ts";
import { SimulatedDataplaneSubsystem } from "../reconcile/simulated-dataplane-subsystem.ts";
import type { TSubsystem, TTaskHandler } from "../reconcile/subsystem.ts";
import { FileTaskLedger } from "../reconcile/task-ledger.ts";
import { AGENT_VERSION } from "../version.ts";
import { buildStatus } from "./build-status.ts";

export class NotEnrolledError extends Error {
  override readonly name = "NotEnrolledError";
  constructor(enrollmentPath: string) {
    super(
      `this node is not enrolled (${enrollmentPath} missing); run: cenvero-str-agent enroll --panel URL --token T`,
    );
  }
}

export type TRunAgentInput = {
  env: TAgentEnv;
  simulate: boolean;
  logger: Logger;
  /** Kernel-facing subsystems for real mode; simulate mode uses the simulated data plane instead. */
  subsystems?: readonly TSubsystem[];
  taskHandlers?: readonly TTaskHandler[];
  transport?: THubTransport;
  clock?: TClock;
};

export type TRunningAgent = {
  hub: HubClient;
  reconciler: Reconciler;
  localApi: TLocalApiServer;
  stop(): Promise<void>;
};

/** Starts the long-running agent: reconciler, hub session and local API. Traffic never depends on the hub. */
export async function runAgent(input: TRunAgentInput): Promise<TRunningAgent> {
  const { env, logger } = input;
  const clock = input.clock ?? systemClock;
  const paths = agentPaths(env);
  const enrollment = await readStoredEnrollment(paths.enrollment);
  if (enrollment === null) throw new NotEnrolledError(paths.enrollment);
  const identity = await loadExistingNodeIdentity(paths.nodeKey);
  const thumbprint = await calculateJwkThumbprint(identity.publicJwk);
  const startedAt = new Date(clock.now()).toISOString();
  // Cluster membership (etcd) is a later issue; until then no node holds a Raft role.
  const clusterRole = "none" as const;

  const subsystems = input.simulate ? [new SimulatedDataplaneSubsystem()] : (input.subsystems ?? []);
  logger.info(
    {
      nodeId: enrollment.nodeId,
      name: enrollment.name,
      simulate: input.simulate,
      subsystems: subsystems.map((s) => s.name),
    },
    "agent starting",
  );

  let hub: HubClient | undefined;
  const reconciler = new Reconciler({
    subsystems,
    taskHandlers: input.taskHandlers ?? [],
    logger,
    clock,
    agentVersion: AGENT_VERSION,
    onStatusChange: (snapshot) => hub?.sendStatus(buildStatus(snapshot, AGENT_VERSION, clusterRole)),
    onTaskProgress: (progress) => hub?.sendTaskProgress(progress),
    taskLedger: new FileTaskLedger(paths.taskLedger),
  });
  await reconciler.restore();
  hub = new HubClient({
    url: hubUrl(enrollment),
    nodeId: enrollment.nodeId,
    audience: enrollment.audience,
    identity,
    agentVersion: AGENT_VERSION,
    transport: input.transport ?? new WsHubTransport(),
    logger,
    clock,
    onDesired: (frame) => {
      reconciler.setDesired({ generation: frame.generation, config: frame.config, tasks: frame.tasks });
    },
    currentStatus: () => buildStatus(reconciler.snapshot(), AGENT_VERSION, clusterRole),
  });
  const hubClient = hub;

  const localApi = await serveLocalApi(
    env.socketPath,
    {
      nodeInfo: () => ({
        nodeId: enrollment.nodeId,
        name: enrollment.name,
        mode: enrollment.mode,
        hostname: hostname(),
        panelUrl: enrollment.panelUrl,
        agentVersion: AGENT_VERSION,
        simulate: input.simulate,
        startedAt,
        publicKeyThumbprint: thumbprint,
        hub: hubClient.snapshot(),
      }),
      clusterStatus: () => {
        const snapshot = reconciler.snapshot();
        return { ...snapshot, clusterRole, hubState: hubClient.state };
      },
    },
    logger,
  );

  reconciler.start();
  hubClient.start();

  return {
    hub: hubClient,
    reconciler,
    localApi,
    stop: async () => {
      logger.info("agent stopping");
      await hubClient.stop();
      await reconciler.stop();
      await localApi.close();
      logger.info("agent stopped");
    },
  };
}

import { resolve } from "node:path";
import { z } from "zod";

const ZPath = z
  .string()
  .min(1)
  .transform((path) => resolve(path));

export const ZLogLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace"]);
export type TLogLevel = z.infer<typeof ZLogLevel>;

/** Agent configuration, parsed once at startup from flags over environment over defaults. */
export const ZAgentEnv = z
  .object({
    configDir: ZPath.default("/etc/cenvero-str"),
    stateDir: ZPath.default("/var/lib/cenvero-str"),
    logDir: ZPath.default("/var/log/cenvero-str"),
    runDir: ZPath.default("/run/cenvero-str"),
    socketPath: ZPath.optional(),
    logLevel: ZLogLevel.default("info"),
  })
  .transform((env) => ({ ...env, socketPath: env.socketPath ?? resolve(env.runDir, "agent.sock") }));
export type TAgentEnv = z.infer<typeof ZAgentEnv>;

/** Environment variables that override the defaults; flags override these in turn. */
export const AGENT_ENV_VARIABLES = {
  configDir: "CENVERO_STR_CONFIG_DIR",
  stateDir: "CENVERO_STR_STATE_DIR",
  logDir: "CENVERO_STR_LOG_DIR",
  runDir: "CENVERO_STR_RUN_DIR",
  socketPath: "CENVERO_STR_SOCKET",
  logLevel: "CENVERO_STR_LOG_LEVEL",
} as const satisfies Record<keyof z.input<typeof ZAgentEnv>, string>;

export type TAgentEnvOverrides = Partial<Record<keyof typeof AGENT_ENV_VARIABLES, string | undefined>>;

export class AgentConfigError extends Error {
  override readonly name = "AgentConfigError";
}

export function loadAgentEnv(
  variables: Record<string, string | undefined> = process.env,
  overrides: TAgentEnvOverrides = {},
): TAgentEnv {
  const input: Record<string, string> = {};
  for (const [key, variable] of Object.entries(AGENT_ENV_VARIABLES)) {
    const value = overrides[key as keyof TAgentEnvOverrides] ?? variables[variable];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const parsed = ZAgentEnv.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0] as keyof typeof AGENT_ENV_VARIABLES | undefined;
    const source = key === undefined ? "configuration" : `${AGENT_ENV_VARIABLES[key]} / --${key}`;
    throw new AgentConfigError(`invalid ${source}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Files the agent owns, derived from the directories so that overriding one moves its files. */
export function agentPaths(env: TAgentEnv) {
  return {
    nodeKey: resolve(env.stateDir, "node-key.jwk"),
    enrollment: resolve(env.stateDir, "enrollment.json"),
    taskLedger: resolve(env.stateDir, "tasks.json"),
    logFile: resolve(env.logDir, "agent.log"),
  };
}

import type { Command } from "commander";
import { loadAgentEnv, type TAgentEnv } from "../env.ts";

export type TAgentGlobalOptions = {
  configDir?: string;
  stateDir?: string;
  logDir?: string;
  runDir?: string;
  socket?: string;
  logLevel?: string;
};

/** Resolves flags over environment over defaults, once, after commander parsed the global options. */
export function resolveAgentEnv(program: Command, variables: Record<string, string | undefined>): TAgentEnv {
  const options = program.opts<TAgentGlobalOptions>();
  return loadAgentEnv(variables, {
    configDir: options.configDir,
    stateDir: options.stateDir,
    logDir: options.logDir,
    runDir: options.runDir,
    socketPath: options.socket,
    logLevel: options.logLevel,
  });
}

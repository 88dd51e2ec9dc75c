import { Command } from "commander";
import { loadAgentEnv } from "../env.ts";
import { AGENT_VERSION } from "../version.ts";
import { registerClusterCommands } from "./commands/cluster-status.ts";
import { registerConfigCommands } from "./commands/config.ts";
import { dataplaneCommand } from "./commands/dataplane.ts";
import { registerNodeCommands } from "./commands/node-info.ts";
import type { TCtlContext } from "./ctl-context.ts";

export function buildCtlProgram(variables: Record<string, string | undefined> = process.env): Command {
  const program = new Command("cenvero-str-ctl")
    .description("inspect the local Stratum node agent")
    .version(AGENT_VERSION)
    .option("--socket <path>", "agent socket (default /run/cenvero-str/agent.sock, env CENVERO_STR_SOCKET)")
    .option("--run-dir <path>", "agent runtime directory (env CENVERO_STR_RUN_DIR)")
    .showHelpAfterError();
  const context: TCtlContext = {
    socketPath: () => {
      const options = program.opts<{ socket?: string; runDir?: string }>();
      return loadAgentEnv(variables, { socketPath: options.socket, runDir: options.runDir }).socketPath;
    },
  };
  registerNodeCommands(program, context);
  registerClusterCommands(program, context);
  registerConfigCommands(program);
  program.addCommand(dataplaneCommand());
  return program;
}

import { Command } from "commander";
import { AGENT_VERSION } from "../version.ts";
import { registerEnrollCommand } from "./enroll-command.ts";
import { registerRunCommand } from "./run-command.ts";

export function buildAgentProgram(variables: Record<string, string | undefined> = process.env): Command {
  const program = new Command("cenvero-str-agent")
    .description("Stratum node agent")
    .version(AGENT_VERSION)
    .option("--config-dir <path>", "config directory (default /etc/cenvero-str, env CENVERO_STR_CONFIG_DIR)")
    .option("--state-dir <path>", "state directory (default /var/lib/cenvero-str, env CENVERO_STR_STATE_DIR)")
    .option("--log-dir <path>", "log directory (default /var/log/cenvero-str, env CENVERO_STR_LOG_DIR)")
    .option("--run-dir <path>", "runtime directory (default /run/cenvero-str, env CENVERO_STR_RUN_DIR)")
    .option("--socket <path>", "local API socket (default <run-dir>/agent.sock, env CENVERO_STR_SOCKET)")
    .option("--log-level <level>", "fatal|error|warn|info|debug|trace (env CENVERO_STR_LOG_LEVEL)")
    .showHelpAfterError();
  registerEnrollCommand(program, variables);
  registerRunCommand(program, variables);
  return program;
}

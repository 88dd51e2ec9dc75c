import type { Command } from "commander";
import { agentPaths } from "../env.ts";
import { createLogger } from "../log/create-logger.ts";
import { runAgent } from "../run/run-agent.ts";
import { resolveAgentEnv } from "./agent-context.ts";

export function registerRunCommand(program: Command, variables: Record<string, string | undefined>): void {
  program
    .command("run")
    .description("run the agent: hold the hub session, converge this node, serve the local API")
    .option("--simulate", "no root, no kernel changes: a simulated data plane (demo fleets, scale tests)")
    .action(async (options: { simulate?: boolean }) => {
      const env = resolveAgentEnv(program, variables);
      const logger = createLogger({ level: env.logLevel, logFile: agentPaths(env).logFile });
      const agent = await runAgent({ env, simulate: options.simulate === true, logger });
      await new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals) => {
          logger.info({ signal }, "shutdown requested");
          process.off("SIGTERM", shutdown);
          process.off("SIGINT", shutdown);
          agent.stop().then(resolve, (error: unknown) => {
            logger.error({ err: (error as Error).message }, "unclean shutdown");
            process.exitCode = 1;
            resolve();
          });
        };
        process.on("SIGTERM", shutdown);
        process.on("SIGINT", shutdown);
      });
      logger.flush();
    });
}

import type { Command } from "commander";
import { LOCAL_API_ROUTES, ZClusterStatus } from "../../local-api/local-api-schemas.ts";
import { requestLocalApi } from "../../local-api/request-local-api.ts";
import { type TCtlContext, writeOut } from "../ctl-context.ts";
import { formatClusterStatus } from "../format-output.ts";

export function registerClusterCommands(program: Command, context: TCtlContext): void {
  program
    .command("cluster")
    .description("cluster membership and convergence")
    .command("status")
    .description("cluster role, desired/observed generation, conditions and tasks")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const status = await requestLocalApi(context.socketPath(), LOCAL_API_ROUTES.cluster, ZClusterStatus);
      writeOut(options.json ? JSON.stringify(status, null, 2) : formatClusterStatus(status));
    });
}

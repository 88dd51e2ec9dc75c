import type { Command } from "commander";
import { LOCAL_API_ROUTES, ZNodeInfo } from "../../local-api/local-api-schemas.ts";
import { requestLocalApi } from "../../local-api/request-local-api.ts";
import { type TCtlContext, writeOut } from "../ctl-context.ts";
import { formatNodeInfo } from "../format-output.ts";

export function registerNodeCommands(program: Command, context: TCtlContext): void {
  program
    .command("node")
    .description("this node")
    .command("info")
    .description("identity, mode and hub session of this node")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const info = await requestLocalApi(context.socketPath(), LOCAL_API_ROUTES.node, ZNodeInfo);
      writeOut(options.json ? JSON.stringify(info, null, 2) : formatNodeInfo(info));
    });
}

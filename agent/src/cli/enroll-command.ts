import { ZNodeMode, ZNodeName } from "@stratum/protocol";
import type { Command } from "commander";
import { z } from "zod";
import { enrollNode } from "../enrollment/enroll-node.ts";
import { agentPaths } from "../env.ts";
import { collectNodeFacts } from "../facts/collect-node-facts.ts";
import { loadOrCreateNodeIdentity } from "../identity/load-or-create-node-identity.ts";
import { createLogger } from "../log/create-logger.ts";
import { AGENT_VERSION } from "../version.ts";
import { resolveAgentEnv } from "./agent-context.ts";

const ZEnrollFlags = z.object({
  panel: z.url({ protocol: /^https?$/, error: "--panel must be an http(s) URL" }),
  token: z.string().min(16, "--token looks truncated; copy it again from the panel"),
  name: ZNodeName.optional(),
  mode: ZNodeMode.optional(),
  force: z.boolean().optional(),
});

export function registerEnrollCommand(program: Command, variables: Record<string, string | undefined>): void {
  program
    .command("enroll")
    .description("enroll this node with a panel using a join token")
    .requiredOption("--panel <url>", "panel base URL, e.g. https://panel.example.net")
    .requiredOption("--token <token>", "join token created in the panel")
    .option("--name <name>", "requested node name (defaults to the hostname)")
    .option("--mode <mode>", "compute or gateway (must match the join token)")
    .option("--force", "enroll again even if this node is already enrolled")
    .action(async (raw: unknown) => {
      const parsed = ZEnrollFlags.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
      const flags = parsed.data;
      const env = resolveAgentEnv(program, variables);
      const logger = createLogger({ level: env.logLevel });
      const paths = agentPaths(env);
      const identity = await loadOrCreateNodeIdentity(paths.nodeKey);
      const { hostname, facts } = collectNodeFacts();
      const enrollment = await enrollNode({
        panelUrl: flags.panel,
        token: flags.token,
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.mode === undefined ? {} : { mode: flags.mode }),
        force: flags.force ?? false,
        identity,
        hostname,
        facts,
        agentVersion: AGENT_VERSION,
        enrollmentPath: paths.enrollment,
        logger,
      });
      process.stdout.write(
        `enrolled as ${enrollment.name} (${enrollment.nodeId}, ${enrollment.mode}); start the agent: systemctl enable --now cenvero-str-agent\n`,
      );
    });
}

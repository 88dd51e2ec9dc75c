import { readFile } from "node:fs/promises";
import { parseTrustSet, ShubVerifyError, type TVerifiedShub, verifyShub } from "@stratum/shub";
import { type Command, InvalidArgumentError } from "commander";
import { writeOut } from "../ctl-context.ts";

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("expected a positive integer");
  }
  return Number(value);
}

function formatVerified(file: string, { config, metadata }: TVerifiedShub): string {
  const rules = config.firewall.reduce((sum, policy) => sum + policy.rules.length, 0);
  const rows: Array<[string, string]> = [
    ["File", `${file}: valid`],
    ["Node", `${metadata.nodeId} (${config.node.name}, ${config.node.mode})`],
    ["Version", `${metadata.version} (config schema ${metadata.schema})`],
    ["Issuer", `${metadata.issuer} for ${metadata.audience}`],
    ["Signed by", `${metadata.kid} (${metadata.keyState} in trust set ${metadata.trustVersion})`],
    ["Issued", metadata.issuedAt.toISOString()],
    ["Expires", metadata.expiresAt.toISOString()],
    ["Content", `sha256:${metadata.payloadSha256}`],
    [
      "Config",
      `${config.networks.length} network(s), ${config.firewall.length} firewall polic(ies) with ${rules} rule(s), ${config.loadBalancers.length} load balancer(s), cluster ${config.cluster.id} as ${config.cluster.role}`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}

/** `config verify`: checks a .shub file offline, e.g. before copying it onto an air-gapped node. */
export function registerConfigCommands(program: Command): void {
  program
    .command("config")
    .description("the node's signed configuration (.shub)")
    .command("verify")
    .description("check a .shub file against a trust set for one node, without applying it")
    .argument("<file>", ".shub file")
    .requiredOption("--trust <file>", "trust set (trust.json)")
    .requiredOption("--node <id>", "the node id the file must be bound to")
    .option("--min-version <n>", "lowest acceptable version, e.g. the node's current one", positiveInteger, 1)
    .option("--json", "print JSON")
    .action(
      async (file: string, options: { trust: string; node: string; minVersion: number; json?: boolean }) => {
        const trust = parseTrustSet(await readFile(options.trust, "utf8"));
        const text = await readFile(file, "utf8");
        let verified: TVerifiedShub;
        try {
          verified = await verifyShub(text, {
            trust,
            nodeId: options.node,
            minVersion: options.minVersion,
            now: new Date(),
          });
        } catch (error) {
          if (error instanceof ShubVerifyError)
            throw new Error(`${file} rejected (${error.reason}): ${error.message}`);
          throw error;
        }
        writeOut(options.json ? JSON.stringify(verified.metadata, null, 2) : formatVerified(file, verified));
      },
    );
}

import { readFile } from "node:fs/promises";
import { exampleNodeConfig, parseSigningKey, signShub } from "@stratum/shub";
import { Command, InvalidArgumentError } from "commander";
import type { Io } from "../io.ts";

const DEFAULT_VALIDITY_DAYS = 30;

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("expected a positive integer");
  }
  return Number(value);
}

function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError("expected an ISO 8601 date, e.g. 2026-12-31T00:00:00Z");
  }
  return date;
}

async function readJsonFile(path: string, what: string, io: Io): Promise<unknown> {
  const text = path === "-" ? await io.readStdin() : await readFile(path, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} ${path} is not JSON (${(error as Error).message})`);
  }
}

export function configCommand(io: Io): Command {
  const config = new Command("config").description("Signed node configurations (.shub)");
  config
    .command("example")
    .description("Print a valid minimal node config document as JSON")
    .action(() => io.out(`${JSON.stringify(exampleNodeConfig(), null, 2)}\n`));
  config
    .command("sign")
    .description("Sign a node config for one node and print the .shub file (for air-gapped delivery)")
    .argument("<config>", "the config document (JSON), or - for standard input")
    .requiredOption("--key <file>", "private signing key (signing.jwk from `keys generate`)")
    .requiredOption("--node <id>", "the node id the file is bound to")
    .requiredOption(
      "--version <n>",
      "per-node version, higher than any version the node has seen",
      positiveInteger,
    )
    .option("--expires <iso>", `expiry (default: ${DEFAULT_VALIDITY_DAYS} days from now)`, isoDate)
    .option("--issuer <id>", "installation id recorded as the issuer", "stratum-admin")
    .option("--audience <aud>", "audience the agents expect", "stratum-agent")
    .action(
      async (
        configPath: string,
        options: {
          key: string;
          node: string;
          version: number;
          expires?: Date;
          issuer: string;
          audience: string;
        },
      ) => {
        const key = parseSigningKey(await readFile(options.key, "utf8"));
        const document = await readJsonFile(configPath, "config", io);
        const expiresAt = options.expires ?? new Date(Date.now() + DEFAULT_VALIDITY_DAYS * 86_400_000);
        io.out(
          await signShub({
            config: document,
            key,
            kid: key.kid,
            issuer: options.issuer,
            nodeId: options.node,
            audience: options.audience,
            version: options.version,
            expiresAt,
          }),
        );
      },
    );
  return config;
}

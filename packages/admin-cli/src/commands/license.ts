import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  bindLicense,
  DEFAULT_GRACE_DAYS,
  generateVendorKey,
  issueLicense,
  PLANS,
  parseActivationRequest,
  parseVendorPrivateKey,
  vendorPublicKeyOf,
  ZFeature,
} from "@stratum/licensing";
import { startLicenseServer } from "@stratum/licensing/license-server";
import { parseVendorFlags, ZIssueLicenseFlags, ZServeFlags } from "@stratum/licensing/vendor-flags";
import { Command } from "commander";
import type { Io } from "../io.ts";

async function readVendorKey(path: string) {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`Cannot read the vendor key file ${path}.`);
  }
  return parseVendorPrivateKey(text);
}

function waitForShutdown(stop: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      process.off("SIGINT", finish);
      process.off("SIGTERM", finish);
      stop?.removeEventListener("abort", finish);
      done();
    };
    process.once("SIGINT", finish);
    process.once("SIGTERM", finish);
    stop?.addEventListener("abort", finish);
  });
}

/**
 * Vendor tasks: the vendor key, issuing licenses, binding them offline, and the online activation
 * server. `stop` ends `license serve` when the command runs in-process.
 */
export function licenseCommand(io: Io, options: { stop?: AbortSignal } = {}): Command {
  const license = new Command("license").description(
    "Vendor tasks: signing keys, licenses, the license server",
  );

  license
    .command("keygen")
    .description("Create a vendor Ed25519 key pair (keep the private key offline)")
    .requiredOption("--out <dir>", "directory for vendor-private.jwk.json and vendor-public.jwk.json")
    .action(async (flags: { out: string }) => {
      const dir = resolve(flags.out);
      const privatePath = join(dir, "vendor-private.jwk.json");
      const publicPath = join(dir, "vendor-public.jwk.json");
      for (const path of [privatePath, publicPath]) {
        if (existsSync(path)) throw new Error(`${path} already exists; a vendor key is never overwritten.`);
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const key = await generateVendorKey();
      writeFileSync(privatePath, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      writeFileSync(publicPath, `${JSON.stringify(vendorPublicKeyOf(key), null, 2)}\n`, { flag: "wx" });
      io.out(
        `Private key: ${privatePath} (mode 0600; keep it offline, never in a repository)\n` +
          `Public key:  ${publicPath}\nKey id:      ${key.kid}\n` +
          "Panels trust a production key only once it is added to PRODUCTION_VENDOR_KEYS in @stratum/licensing and released.\n",
      );
    });

  license
    .command("issue")
    .description("Sign a license and print it to standard output")
    .requiredOption("--vendor-key <file>", "the vendor private key file")
    .requiredOption("--licensee <organisation>", "the licensed organisation")
    .requiredOption("--plan <plan>", "standard, pro or enterprise")
    .requiredOption("--seats <n>", "compute node seats")
    .requiredOption("--expires <iso>", "expiry, e.g. 2027-12-31 or 2027-12-31T00:00:00Z")
    .option("--gateway-seats <n>", "gateway node seats (default: the plan's)")
    .option(
      "--features <list>",
      `comma-separated features (default: the plan's): ${ZFeature.options.join(", ")}`,
    )
    .option("--installation <id>", "bind the license to one installation id")
    .option("--contact <email>", "the licensee's contact")
    .option("--grace-days <n>", `days everything keeps working after expiry (default ${DEFAULT_GRACE_DAYS})`)
    .option("--not-before <iso>", "when the license starts (default: now)")
    .action(async (raw: Record<string, string | undefined>) => {
      const { vendorKeyPath, license: spec } = parseVendorFlags(ZIssueLicenseFlags, raw);
      const token = await issueLicense(await readVendorKey(vendorKeyPath), spec);
      io.out(`${token}\n`);
      io.err(
        `Issued a ${PLANS[spec.plan].name} license for ${spec.licensee.organisation}, expiring ${spec.expiresAt.toISOString()}${
          spec.installationId ? `, bound to installation ${spec.installationId}` : ""
        }.\n`,
      );
    });

  license
    .command("bind")
    .description("Offline activation: answer an activation request with a license bound to its installation")
    .requiredOption("--vendor-key <file>", "the vendor private key file")
    .requiredOption("--request <file>", "the activation request file the panel downloaded")
    .action(async (flags: { vendorKey: string; request: string }) => {
      const vendorKey = await readVendorKey(flags.vendorKey);
      let text: string;
      try {
        text = readFileSync(flags.request, "utf8");
      } catch {
        throw new Error(`Cannot read the activation request ${flags.request}.`);
      }
      const request = parseActivationRequest(text);
      if (!request.licenseKey) {
        throw new Error(
          `The request names license ${request.licenseId} but holds no license key. Issue a license for installation ${request.installationId} with: stratum-admin license issue --installation ${request.installationId} ...`,
        );
      }
      io.out(`${await bindLicense(vendorKey, request.licenseKey, request.installationId)}\n`);
      io.err(`Bound the license to installation ${request.installationId}.\n`);
    });

  license
    .command("serve")
    .description("Run the online activation server")
    .requiredOption("--vendor-key <file>", "the vendor private key file")
    .requiredOption("--port <port>", "TCP port (0 picks a free one)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--state <file>", "where activations are kept across restarts")
    .action(async (raw: Record<string, string | undefined>) => {
      const flags = parseVendorFlags(ZServeFlags, raw);
      const server = await startLicenseServer({
        vendorKey: await readVendorKey(flags.vendorKey),
        port: flags.port,
        host: flags.host,
        ...(flags.state ? { statePath: resolve(flags.state) } : {}),
        log: (line) => io.err(`${new Date().toISOString()} ${line}\n`),
      });
      io.out(`License server listening on ${server.url}\n`);
      if (!flags.state) io.err("No --state file: activations are forgotten when the server stops.\n");
      await waitForShutdown(options.stop);
      await server.close();
      io.out("License server stopped.\n");
    });

  return license;
}

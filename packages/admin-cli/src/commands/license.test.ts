import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  activateOnline,
  createActivationRequest,
  deactivateOnline,
  LicenseError,
  verifyLicense,
  ZVendorPublicKey,
} from "@stratum/licensing";
import { Command, CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../io.ts";
import { licenseCommand } from "./license.ts";

let dir: string;
let vendorKey: string;
let vendorKeys: ReturnType<typeof ZVendorPublicKey.parse>[];

function io() {
  let out = "";
  let err = "";
  const value: Io = { out: (s) => (out += s), err: (s) => (err += s), readStdin: async () => "" };
  return { io: value, out: () => out, err: () => err };
}

/** Runs `stratum-admin license ...` in-process; returns the exit code as main() would. */
async function run(args: string[], stop?: AbortSignal) {
  const captured = io();
  const program = new Command("stratum-admin")
    .exitOverride()
    .configureOutput({ writeOut: captured.io.out, writeErr: captured.io.err });
  const license = licenseCommand(captured.io, { stop });
  // Settings do not reach commands added with addCommand, so the test gives each one the capture itself.
  for (const command of [license, ...license.commands]) {
    command.exitOverride().configureOutput({ writeOut: captured.io.out, writeErr: captured.io.err });
  }
  program.addCommand(license);
  const done = program.parseAsync(["node", "stratum-admin", "license", ...args]).then(
    () => 0,
    (error: unknown) => {
      if (error instanceof CommanderError) return 2;
      captured.io.err(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    },
  );
  return { ...captured, done };
}

async function runToEnd(args: string[]) {
  const running = await run(args);
  return { code: await running.done, out: running.out(), err: running.err() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stratum-license-cli-"));
  const keygen = await runToEnd(["keygen", "--out", join(dir, "vendor")]);
  expect(keygen.code).toBe(0);
  vendorKey = join(dir, "vendor", "vendor-private.jwk.json");
  vendorKeys = [
    ZVendorPublicKey.parse(JSON.parse(readFileSync(join(dir, "vendor", "vendor-public.jwk.json"), "utf8"))),
  ];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const issueArgs = () => [
  "issue",
  "--vendor-key",
  vendorKey,
  "--licensee",
  "Acme Hosting",
  "--plan",
  "pro",
  "--seats",
  "25",
  "--expires",
  "2099-12-31",
];

describe("stratum-admin license", () => {
  it("keygen writes a private key only its owner can read, and never overwrites it", async () => {
    expect(statSync(vendorKey).mode & 0o777).toBe(0o600);
    const again = await runToEnd(["keygen", "--out", join(dir, "vendor")]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; a vendor key is never overwritten/);
  });

  it("issue prints a license that grants what the flags say", async () => {
    const issued = await runToEnd([
      ...issueArgs(),
      "--features",
      "gateway-mode,bgp",
      "--gateway-seats",
      "2",
      "--grace-days",
      "30",
      "--contact",
      "ops@acme.example",
      "--installation",
      "inst-1",
    ]);
    expect(issued.code).toBe(0);
    expect(issued.err).toMatch(
      /Issued a Pro license for Acme Hosting, expiring 2099-12-31T00:00:00.000Z, bound to installation inst-1/,
    );
    const license = await verifyLicense(issued.out.trim(), {
      now: new Date(),
      installationId: "inst-1",
      vendorKeys,
    });
    expect(license).toMatchObject({
      licensee: { organisation: "Acme Hosting", contact: "ops@acme.example" },
      plan: "pro",
      seats: { compute: 25, gateway: 2 },
      features: ["gateway-mode", "bgp"],
      graceDays: 30,
      installationId: "inst-1",
      testLicensing: false,
    });
  });

  it("issue refuses bad flags, naming each, and prints nothing", async () => {
    const bad = await runToEnd([
      "issue",
      "--vendor-key",
      vendorKey,
      "--licensee",
      "Acme",
      "--plan",
      "free",
      "--seats",
      "-1",
      "--expires",
      "next year",
      "--features",
      "teleport",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("");
    expect(bad.err).toMatch(/--plan must be one of standard, pro, enterprise/);
    expect(bad.err).toMatch(/--seats must be a whole number/);
    expect(bad.err).toMatch(/--expires must be an ISO date/);
    expect(bad.err).toMatch(/--features/);
    const missing = await runToEnd(["issue", "--vendor-key", vendorKey]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/required option/);
    writeFileSync(join(dir, "not-a-key.json"), '{"kty":"RSA"}');
    const wrongKey = await runToEnd([
      ...issueArgs().slice(0, 1),
      "--vendor-key",
      join(dir, "not-a-key.json"),
      ...issueArgs().slice(3),
    ]);
    expect(wrongKey.err).toMatch(/not an Ed25519 private JWK/);
  });

  it("bind answers an offline activation request with a license bound to that installation", async () => {
    const key = (await runToEnd(issueArgs())).out.trim();
    const requestPath = join(dir, "activation-request.json");
    writeFileSync(
      requestPath,
      JSON.stringify(
        createActivationRequest({
          installationId: "inst-offline",
          licenseKeyOrId: key,
          panelVersion: "1.4.0",
        }),
      ),
    );
    const bound = await runToEnd(["bind", "--vendor-key", vendorKey, "--request", requestPath]);
    expect(bound.code).toBe(0);
    const license = await verifyLicense(bound.out.trim(), {
      now: new Date(),
      installationId: "inst-offline",
      vendorKeys,
    });
    expect(license.installationId).toBe("inst-offline");
  });

  it("serve runs the online activation flow end to end on loopback", async () => {
    const stop = new AbortController();
    const statePath = join(dir, "activations.json");
    const server = await run(
      ["serve", "--vendor-key", vendorKey, "--port", "0", "--state", statePath],
      stop.signal,
    );
    const url = await (async () => {
      for (let i = 0; i < 200; i++) {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.out());
        if (match) return match[1]!;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the license server did not start: ${server.err()}`);
    })();
    try {
      const key = (await runToEnd(issueArgs())).out.trim();
      const bound = await activateOnline(url, {
        licenseKey: key,
        installationId: "inst-a",
        panelVersion: "1.4.0",
      });
      const license = await verifyLicense(bound, { now: new Date(), installationId: "inst-a", vendorKeys });
      expect(license.installationId).toBe("inst-a");
      const refused = await activateOnline(url, {
        licenseKey: key,
        installationId: "inst-b",
        panelVersion: "1.4.0",
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LicenseError);
      expect((refused as LicenseError).code).toBe("already_activated");
      await deactivateOnline(url, { licenseKey: bound, installationId: "inst-a" });
      await expect(
        activateOnline(url, { licenseKey: key, installationId: "inst-b", panelVersion: "1.4.0" }),
      ).resolves.toBeTruthy();
      expect(JSON.parse(readFileSync(statePath, "utf8")).activations[license.id].installationId).toBe(
        "inst-b",
      );
      expect(server.err()).toMatch(/activated .* on installation inst-b/);
    } finally {
      stop.abort();
    }
    expect(await server.done).toBe(0);
    expect(server.out()).toMatch(/License server stopped/);
  });
});

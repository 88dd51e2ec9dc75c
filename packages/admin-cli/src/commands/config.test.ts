import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseTrustSet, verifyShub, ZNodeConfigV1 } from "@stratum/shub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../io.ts";
import { main } from "../main.ts";

const bin = join(import.meta.dirname, "../../bin/stratum-admin.js");
let dir: string;

async function run(args: string[], stdin = "") {
  let out = "";
  let err = "";
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), readStdin: async () => stdin };
  const code = await main(["node", "stratum-admin", ...args], io);
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stratum-config-"));
  expect((await run(["keys", "generate", "--out", dir])).code).toBe(0);
  writeFileSync(join(dir, "node.json"), (await run(["config", "example"])).out);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trust() {
  return parseTrustSet(readFileSync(join(dir, "trust.json"), "utf8"));
}

describe("stratum-admin config", () => {
  it("prints an example that the schema accepts", async () => {
    const { code, out } = await run(["config", "example"]);
    expect(code).toBe(0);
    expect(ZNodeConfigV1.safeParse(JSON.parse(out)).success).toBe(true);
  });

  it("signs a config that verifies for that node and version", async () => {
    const key = join(dir, "signing.jwk");
    const signed = await run([
      "config",
      "sign",
      "--key",
      key,
      "--node",
      "node-7",
      "--version",
      "12",
      "--expires",
      "2099-01-01T00:00:00Z",
      "--issuer",
      "inst-1",
      join(dir, "node.json"),
    ]);
    expect(signed.code).toBe(0);
    const { metadata } = await verifyShub(signed.out, {
      trust: trust(),
      nodeId: "node-7",
      minVersion: 12,
      now: new Date(),
    });
    expect(metadata).toMatchObject({
      version: 12,
      issuer: "inst-1",
      expiresAt: new Date("2099-01-01T00:00:00Z"),
    });
    const fromStdin = await run(
      ["config", "sign", "--key", key, "--node", "node-7", "--version", "13", "-"],
      readFileSync(join(dir, "node.json"), "utf8"),
    );
    const verified = await verifyShub(fromStdin.out, {
      trust: trust(),
      nodeId: "node-7",
      minVersion: 13,
      now: new Date(),
    });
    expect(verified.metadata.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it("refuses an invalid config, naming the field, and bad flags with usage errors", async () => {
    const config = JSON.parse(readFileSync(join(dir, "node.json"), "utf8"));
    config.networks[0].vni = 0;
    writeFileSync(join(dir, "bad.json"), JSON.stringify(config));
    const key = join(dir, "signing.jwk");
    const bad = await run([
      "config",
      "sign",
      "--key",
      key,
      "--node",
      "n",
      "--version",
      "1",
      join(dir, "bad.json"),
    ]);
    expect(bad).toMatchObject({ code: 1, out: "" });
    expect(bad.err).toMatch(/the config is invalid:\n\s+networks\[0\]\.vni: /);
    const version = await run([
      "config",
      "sign",
      "--key",
      key,
      "--node",
      "n",
      "--version",
      "1.5",
      join(dir, "node.json"),
    ]);
    expect(version.code).toBe(2);
    expect(version.err).toMatch(/positive integer/);
    const expires = await run([
      "config",
      "sign",
      "--key",
      key,
      "--node",
      "n",
      "--version",
      "1",
      "--expires",
      "soon",
      join(dir, "node.json"),
    ]);
    expect(expires.code).toBe(2);
    const publicKey = await run([
      "config",
      "sign",
      "--key",
      join(dir, "trust.json"),
      "--node",
      "n",
      "--version",
      "1",
      join(dir, "node.json"),
    ]);
    expect(publicKey.code).toBe(1);
    expect(publicKey.err).toMatch(/not a private Ed25519 JWK/);
  });

  it("generates, prints an example and signs from the real executable", async () => {
    const exec = promisify(execFile);
    const out = join(dir, "exec");
    await exec(process.execPath, [bin, "keys", "generate", "--out", out]);
    const example = await exec(process.execPath, [bin, "config", "example"]);
    writeFileSync(join(out, "node.json"), example.stdout);
    const { stdout } = await exec(process.execPath, [
      bin,
      "config",
      "sign",
      "--key",
      join(out, "signing.jwk"),
      "--node",
      "node-x",
      "--version",
      "1",
      join(out, "node.json"),
    ]);
    const trustSet = parseTrustSet(readFileSync(join(out, "trust.json"), "utf8"));
    const { config } = await verifyShub(stdout, {
      trust: trustSet,
      nodeId: "node-x",
      minVersion: 1,
      now: new Date(),
    });
    expect(config).toEqual(JSON.parse(example.stdout));
  });
});

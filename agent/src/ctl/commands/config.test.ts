import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  exampleNodeConfig,
  generateSigningKey,
  initialTrustSet,
  publicJwkOf,
  signShub,
  type TPrivateSigningJwk,
} from "@stratum/shub";
import { Command } from "commander";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registerConfigCommands } from "./config.ts";

const bin = join(import.meta.dirname, "../../bin/cenvero-str-ctl.ts");
let dir: string;
let key: TPrivateSigningJwk;

function sign(version: number, nodeId = "node-7", expiresAt = new Date(Date.now() + 86_400_000)) {
  return signShub({
    config: exampleNodeConfig(),
    key,
    kid: key.kid,
    issuer: "inst-1",
    nodeId,
    version,
    expiresAt,
  });
}

async function verify(args: string[]): Promise<{ out: string; error?: string }> {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const program = new Command("cenvero-str-ctl").exitOverride();
  registerConfigCommands(program);
  try {
    await program.parseAsync(["config", "verify", ...args], { from: "user" });
    return { out };
  } catch (error) {
    return { out, error: (error as Error).message };
  } finally {
    vi.restoreAllMocks();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ctl-config-"));
  key = await generateSigningKey();
  writeFileSync(join(dir, "trust.json"), JSON.stringify(initialTrustSet(publicJwkOf(key))));
  writeFileSync(join(dir, "v5.shub"), await sign(5));
  writeFileSync(join(dir, "v3.shub"), await sign(3));
  writeFileSync(join(dir, "other.shub"), await sign(9, "node-8"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe("cenvero-str-ctl config verify", () => {
  const trust = () => ["--trust", join(dir, "trust.json")];

  it("prints a summary of a valid file", async () => {
    const { out, error } = await verify([
      join(dir, "v5.shub"),
      ...trust(),
      "--node",
      "node-7",
      "--min-version",
      "5",
    ]);
    expect(error).toBeUndefined();
    expect(out).toMatch(/v5\.shub: valid/);
    expect(out).toMatch(/Node\s+node-7 \(node-1, compute\)/);
    expect(out).toMatch(new RegExp(`Signed by\\s+${key.kid} \\(active in trust set 1\\)`));
    expect(out).toMatch(/1 network\(s\), 1 firewall polic\(ies\) with 1 rule\(s\)/);
    const json = await verify([join(dir, "v5.shub"), ...trust(), "--node", "node-7", "--json"]);
    expect(JSON.parse(json.out)).toMatchObject({ version: 5, nodeId: "node-7", kid: key.kid });
  });

  it("fails with the reason for a rollback, another node's file and a tampered file", async () => {
    const rollback = await verify([
      join(dir, "v3.shub"),
      ...trust(),
      "--node",
      "node-7",
      "--min-version",
      "5",
    ]);
    expect(rollback.error).toMatch(
      /v3\.shub rejected \(version_rollback\): the file is version 3, older than version 5/,
    );
    const other = await verify([join(dir, "other.shub"), ...trust(), "--node", "node-7"]);
    expect(other.error).toMatch(/rejected \(wrong_node\)/);
    const tampered = (await sign(6)).replace('"mtu": 1500', '"mtu": 1400');
    writeFileSync(join(dir, "tampered.shub"), tampered);
    expect((await verify([join(dir, "tampered.shub"), ...trust(), "--node", "node-7"])).error).toMatch(
      /rejected \(bad_signature\)/,
    );
    expect(
      (await verify([join(dir, "v5.shub"), ...trust(), "--node", "node-7", "--min-version", "x"])).error,
    ).toMatch(/positive integer/);
  });

  it("exits 0 for a valid file and 1 with the reason otherwise, from the real executable", async () => {
    const run = (file: string) =>
      promisify(execFile)(process.execPath, [
        "--import",
        "tsx",
        bin,
        "config",
        "verify",
        join(dir, file),
        ...trust(),
        "--node",
        "node-7",
      ]).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const valid = await run("v5.shub");
    expect(valid).toMatchObject({ code: 0, stdout: expect.stringMatching(/v5\.shub: valid/) });
    const invalid = await run("other.shub");
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(
      /cenvero-str-ctl: .*other\.shub rejected \(wrong_node\): the file is for node node-8/,
    );
  });
});

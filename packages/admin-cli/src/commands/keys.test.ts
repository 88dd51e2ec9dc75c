import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSigningKey, parseTrustSet } from "@stratum/shub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../io.ts";
import { main } from "../main.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stratum-keys-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], stdin = "") {
  let out = "";
  let err = "";
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), readStdin: async () => stdin };
  const code = await main(["node", "stratum-admin", ...args], io);
  return { code, out, err };
}

describe("stratum-admin keys generate", () => {
  it("writes a private key readable only by its owner and a trust set holding its public half", async () => {
    const out = join(dir, "install-1");
    const result = await run(["keys", "generate", "--out", out]);
    expect(result.code).toBe(0);
    const key = parseSigningKey(readFileSync(join(out, "signing.jwk"), "utf8"));
    expect(statSync(join(out, "signing.jwk")).mode & 0o777).toBe(0o600);
    expect(parseTrustSet(readFileSync(join(out, "trust.json"), "utf8"))).toEqual({
      version: 1,
      keys: [
        { kty: "OKP", crv: "Ed25519", x: key.x, kid: key.kid, alg: "EdDSA", use: "sig", state: "active" },
      ],
    });
    expect(readFileSync(join(out, "trust.json"), "utf8")).not.toContain('"d"');
    expect(result.out).toContain(`Key ${key.kid}`);
  });

  it("never overwrites an existing key", async () => {
    const out = join(dir, "install-2");
    expect((await run(["keys", "generate", "--out", out])).code).toBe(0);
    const before = readFileSync(join(out, "signing.jwk"), "utf8");
    const again = await run(["keys", "generate", "--out", out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/signing\.jwk already exists/);
    expect(readFileSync(join(out, "signing.jwk"), "utf8")).toBe(before);
  });

  it("exits 2 without --out", async () => {
    const result = await run(["keys", "generate"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/required option '--out <dir>'/);
  });
});

import { chmod, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  loadExistingNodeIdentity,
  loadOrCreateNodeIdentity,
  NodeKeyError,
} from "./load-or-create-node-identity.ts";

async function stateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "stratum-identity-"));
}

describe("node identity", () => {
  it("generates an Ed25519 key stored with mode 0600 and no leftover temp files", async () => {
    const dir = await stateDir();
    const path = join(dir, "nested", "node-key.jwk");
    const identity = await loadOrCreateNodeIdentity(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, "nested"))).toEqual(["node-key.jwk"]);
    const stored = JSON.parse(await readFile(path, "utf8")) as Record<string, string>;
    expect(stored).toMatchObject({ kty: "OKP", crv: "Ed25519", x: identity.publicJwk.x });
    expect(stored.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("loads the same key on the next start", async () => {
    const path = join(await stateDir(), "node-key.jwk");
    const first = await loadOrCreateNodeIdentity(path);
    const second = await loadOrCreateNodeIdentity(path);
    expect(second.publicJwk).toEqual(first.publicJwk);
    const token = await second.signSessionToken({ nodeId: "n", audience: "a", nowMs: Date.now() });
    await expect(jwtVerify(token, await importJWK(first.publicJwk, "EdDSA"))).resolves.toBeTruthy();
  });

  it("never exposes the private key when serialised", async () => {
    const identity = await loadOrCreateNodeIdentity(join(await stateDir(), "node-key.jwk"));
    const text = JSON.stringify(identity);
    expect(text).not.toContain('"d"');
    expect(JSON.parse(text)).toEqual({ publicJwk: identity.publicJwk });
  });

  it("refuses a key readable by others, naming the fix", async () => {
    const path = join(await stateDir(), "node-key.jwk");
    await loadOrCreateNodeIdentity(path);
    await chmod(path, 0o644);
    await expect(loadOrCreateNodeIdentity(path)).rejects.toThrow(/chmod 600/);
  });

  it("refuses a corrupt key instead of silently replacing the node's identity", async () => {
    const path = join(await stateDir(), "node-key.jwk");
    await writeFile(path, "{}", { mode: 0o600 });
    await expect(loadOrCreateNodeIdentity(path)).rejects.toBeInstanceOf(NodeKeyError);
  });

  it("requires an existing key to run", async () => {
    await expect(loadExistingNodeIdentity(join(await stateDir(), "missing.jwk"))).rejects.toThrow(
      /enroll first/,
    );
  });
});

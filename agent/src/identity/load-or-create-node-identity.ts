import { readFile, stat } from "node:fs/promises";
import { ZEd25519PublicJwk } from "@stratum/protocol";
import { exportJWK, generateKeyPair, importJWK } from "jose";
import { z } from "zod";
import { writeFileAtomic } from "../fs/write-file-atomic.ts";
import { NodeIdentity } from "./node-identity.ts";

const ZStoredNodeKey = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  d: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export class NodeKeyError extends Error {
  override readonly name = "NodeKeyError";
}

const KEY_FILE_MODE = 0o600;

async function loadNodeIdentity(path: string): Promise<NodeIdentity> {
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    throw new NodeKeyError(
      `node key ${path} is readable by group or others (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  }
  let parsed: z.infer<typeof ZStoredNodeKey>;
  try {
    parsed = ZStoredNodeKey.parse(JSON.parse(await readFile(path, "utf8")));
  } catch {
    throw new NodeKeyError(
      `node key ${path} is not an Ed25519 private JWK; restore it from backup or re-enroll`,
    );
  }
  const privateKey = await importJWK(parsed, "EdDSA");
  const publicJwk = ZEd25519PublicJwk.parse({ kty: parsed.kty, crv: parsed.crv, x: parsed.x });
  return new NodeIdentity(privateKey, publicJwk);
}

async function createNodeIdentity(path: string): Promise<NodeIdentity> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const privateJwk = ZStoredNodeKey.parse(await exportJWK(privateKey));
  await writeFileAtomic(path, `${JSON.stringify(privateJwk)}\n`, KEY_FILE_MODE);
  const publicJwk = ZEd25519PublicJwk.parse(await exportJWK(publicKey));
  return new NodeIdentity(privateKey, publicJwk);
}

/** Loads the node key from the state directory, generating it on first use. */
export async function loadOrCreateNodeIdentity(path: string): Promise<NodeIdentity> {
  try {
    return await loadNodeIdentity(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return createNodeIdentity(path);
}

/** Loads the node key, failing when it does not exist (running needs an enrolled identity). */
export async function loadExistingNodeIdentity(path: string): Promise<NodeIdentity> {
  try {
    return await loadNodeIdentity(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new NodeKeyError(
        `no node key at ${path}; enroll first with: cenvero-str-agent enroll --panel URL --token T`,
      );
    }
    throw error;
  }
}

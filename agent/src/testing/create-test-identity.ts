import { ZEd25519PublicJwk } from "@stratum/protocol";
import { exportJWK, generateKeyPair } from "jose";
import { NodeIdentity } from "../identity/node-identity.ts";

export async function createTestIdentity(): Promise<NodeIdentity> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return new NodeIdentity(privateKey, ZEd25519PublicJwk.parse(await exportJWK(publicKey)));
}

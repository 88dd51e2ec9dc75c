import { randomBytes } from "node:crypto";
import {
  SESSION_TOKEN_ALGORITHM,
  SESSION_TOKEN_MAX_LIFETIME_SECONDS,
  SESSION_TOKEN_TYPE,
  type TEd25519PublicJwk,
} from "@stratum/protocol";
import { SignJWT } from "jose";

type TPrivateKey = Parameters<SignJWT["sign"]>[0];

/**
 * The node's Ed25519 identity. The private key lives in a private field so that logging or
 * serialising this object can never reveal it.
 */
export class NodeIdentity {
  readonly #privateKey: TPrivateKey;

  constructor(
    privateKey: TPrivateKey,
    readonly publicJwk: TEd25519PublicJwk,
  ) {
    this.#privateKey = privateKey;
  }

  /** A session JWT following the protocol's rules: EdDSA, 60 s lifetime, random 128-bit jti. */
  signSessionToken(input: { nodeId: string; audience: string; nowMs: number }): Promise<string> {
    const issuedAt = Math.floor(input.nowMs / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: SESSION_TOKEN_ALGORITHM, typ: SESSION_TOKEN_TYPE })
      .setSubject(input.nodeId)
      .setAudience(input.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + SESSION_TOKEN_MAX_LIFETIME_SECONDS)
      .setJti(randomBytes(16).toString("base64url"))
      .sign(this.#privateKey);
  }

  toJSON(): { publicJwk: TEd25519PublicJwk } {
    return { publicJwk: this.publicJwk };
  }
}

import type { CryptoKey } from "jose";
import { DEFAULT_AUDIENCE, NODE_CONFIG_TYPE, type TNodeConfigClaims } from "./claims.ts";
import { signEnvelope } from "./envelope.ts";
import { ShubInputError } from "./errors.ts";
import type { TPrivateSigningJwk } from "./keys.ts";
import { describeIssues, NODE_CONFIG_SCHEMA_VERSION, ZNodeConfigV1 } from "./node-config.ts";

export type TSignShubInput = {
  config: unknown;
  key: TPrivateSigningJwk | CryptoKey;
  kid: string;
  /** The installation id. */
  issuer: string;
  nodeId: string;
  audience?: string;
  /** Per-node version; the panel must issue strictly increasing versions for each node. */
  version: number;
  expiresAt: Date;
  issuedAt?: Date;
};

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Validates `config` and returns the text of a signed .shub file for one node. */
export async function signShub(input: TSignShubInput): Promise<string> {
  const parsed = ZNodeConfigV1.safeParse(input.config);
  if (!parsed.success) throw new ShubInputError("the config is invalid", describeIssues(parsed.error));
  if (!Number.isSafeInteger(input.version) || input.version < 1) {
    throw new ShubInputError(`version must be a positive integer, not ${input.version}`);
  }
  const issuedAt = input.issuedAt ?? new Date();
  if (!(input.expiresAt.getTime() > issuedAt.getTime())) {
    throw new ShubInputError(
      `expiry ${input.expiresAt.toISOString()} is not after issue time ${issuedAt.toISOString()}`,
    );
  }
  const claims: TNodeConfigClaims = {
    iss: input.issuer,
    sub: input.nodeId,
    aud: input.audience ?? DEFAULT_AUDIENCE,
    iat: seconds(issuedAt),
    exp: seconds(input.expiresAt),
    ver: input.version,
    schema: NODE_CONFIG_SCHEMA_VERSION,
    config: parsed.data,
  };
  return signEnvelope(claims, { key: input.key, kid: input.kid, typ: NODE_CONFIG_TYPE });
}

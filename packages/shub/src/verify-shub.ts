import { NODE_CONFIG_TYPE, ZNodeConfigClaims } from "./claims.ts";
import { openEnvelope } from "./envelope.ts";
import { ShubVerifyError } from "./errors.ts";
import {
  describeIssues,
  NODE_CONFIG_SCHEMA_VERSION,
  type TNodeConfigV1,
  ZNodeConfigV1,
} from "./node-config.ts";
import { importTrustedKey, type TTrustSet } from "./trust-set.ts";

export type TVerifyShubOptions = {
  trust: TTrustSet;
  /** The node this agent is; a file for any other node is refused. */
  nodeId: string;
  /** The lowest acceptable version: the version of the config the node already runs (equal re-verifies). */
  minVersion: number;
  now: Date;
  /** When given, `aud` must equal it. */
  audience?: string;
};

export type TShubMetadata = {
  kid: string;
  keyState: "active" | "retired";
  trustVersion: number;
  issuer: string;
  nodeId: string;
  audience: string;
  version: number;
  schema: number;
  issuedAt: Date;
  expiresAt: Date;
  payloadSha256: string;
};

export type TVerifiedShub = { config: TNodeConfigV1; metadata: TShubMetadata };

/** Finds a key that may verify configs: present in the trust set and not revoked. */
export function configKeyResolver(trust: TTrustSet) {
  return async (kid: string) => {
    const key = trust.keys.find((candidate) => candidate.kid === kid);
    if (!key) {
      throw new ShubVerifyError(
        "unknown_key",
        `signed by key ${kid}, which is not in this node's trust set (version ${trust.version}); deliver the current trust set or re-sign with a trusted key`,
      );
    }
    if (key.state === "revoked") {
      throw new ShubVerifyError(
        "unknown_key",
        `signed by key ${kid}, which trust set version ${trust.version} revokes; re-sign with the active key`,
      );
    }
    return importTrustedKey(key);
  };
}

/**
 * Verifies a .shub file for this node and returns its config. Throws ShubVerifyError; the agent keeps
 * its last good config when that happens.
 */
export async function verifyShub(fileText: string, options: TVerifyShubOptions): Promise<TVerifiedShub> {
  const opened = await openEnvelope(fileText, {
    typ: NODE_CONFIG_TYPE,
    describe: "a node configuration",
    resolveKey: configKeyResolver(options.trust),
  });
  const claims = ZNodeConfigClaims.safeParse(opened.payload);
  if (!claims.success) {
    throw new ShubVerifyError(
      "schema_invalid",
      `the signed claims are invalid: ${describeIssues(claims.error).join("; ")}`,
    );
  }
  const { iss, sub, aud, iat, exp, ver, schema, config } = claims.data;
  if (sub !== options.nodeId) {
    throw new ShubVerifyError(
      "wrong_node",
      `the file is for node ${sub}, not for this node (${options.nodeId})`,
    );
  }
  if (options.audience !== undefined && aud !== options.audience) {
    throw new ShubVerifyError("wrong_node", `the file is addressed to ${aud}, not to ${options.audience}`);
  }
  const expiresAt = new Date(exp * 1000);
  if (exp * 1000 <= options.now.getTime()) {
    throw new ShubVerifyError(
      "expired",
      `the file expired at ${expiresAt.toISOString()}; the panel must issue a fresh version (the node keeps its current config)`,
    );
  }
  if (ver < options.minVersion) {
    throw new ShubVerifyError(
      "version_rollback",
      `the file is version ${ver}, older than version ${options.minVersion} which this node already accepted`,
    );
  }
  if (schema !== NODE_CONFIG_SCHEMA_VERSION) {
    throw new ShubVerifyError(
      "schema_invalid",
      `the config uses schema ${schema}; this agent reads schema ${NODE_CONFIG_SCHEMA_VERSION} (update the agent first)`,
    );
  }
  const parsed = ZNodeConfigV1.safeParse(config);
  if (!parsed.success) {
    throw new ShubVerifyError(
      "schema_invalid",
      `the config is invalid: ${describeIssues(parsed.error).join("; ")}`,
    );
  }
  const key = options.trust.keys.find((candidate) => candidate.kid === opened.header.kid)!;
  return {
    config: parsed.data,
    metadata: {
      kid: opened.header.kid,
      keyState: key.state === "active" ? "active" : "retired",
      trustVersion: options.trust.version,
      issuer: iss,
      nodeId: sub,
      audience: aud,
      version: ver,
      schema,
      issuedAt: new Date(iat * 1000),
      expiresAt,
      payloadSha256: opened.payloadSha256,
    },
  };
}

import { z } from "zod";
import { ZNodeId } from "./messages.ts";

/** `POST {panel}${ENROLL_PATH}` with a ZEnrollRequest body; 200 returns ZEnrollResponse, errors ZEnrollErrorResponse. */
export const ENROLL_PATH = "/api/agent/v1/enroll";
/** WebSocket path of the fleet hub on the panel origin. */
export const HUB_PATH = "/agent/v1";

const ZBase64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, "not base64url");

/**
 * An Ed25519 public key as a JWK. `x` is 32 bytes, i.e. 43 base64url characters without padding.
 * Strict, so a JWK that carries the private `d` component is refused rather than stored.
 */
export const ZEd25519PublicJwk = z.strictObject({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: ZBase64Url.length(43),
  kid: z.string().min(1).max(128).optional(),
  use: z.literal("sig").optional(),
  alg: z.enum(["EdDSA", "Ed25519"]).optional(),
});
export type TEd25519PublicJwk = z.infer<typeof ZEd25519PublicJwk>;

export const ZNodeMode = z.enum(["compute", "gateway"]);
export type TNodeMode = z.infer<typeof ZNodeMode>;

/** A DNS label, so names work as hostnames and in etcd keys. */
export const ZNodeName = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    "lowercase letters, digits and '-', not starting or ending with '-'",
  );

export const ZInterfaceFact = z.object({
  name: z.string().min(1).max(15),
  mac: z
    .string()
    .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, "MAC address like 52:54:00:12:34:56")
    .transform((mac) => mac.toLowerCase()),
  addresses: z.array(z.union([z.cidrv4(), z.cidrv6()])).max(64),
});
export type TInterfaceFact = z.infer<typeof ZInterfaceFact>;

export const ZNodeFacts = z.object({
  cpus: z.number().int().min(1).max(65_536),
  memoryBytes: z.number().int().min(0),
  kernel: z.string().min(1).max(256),
  interfaces: z.array(ZInterfaceFact).max(256),
});
export type TNodeFacts = z.infer<typeof ZNodeFacts>;

export const ZEnrollRequest = z.object({
  /** The join token exactly as shown once in the panel. */
  token: z.string().min(16).max(512),
  publicKey: ZEd25519PublicJwk,
  hostname: z.string().min(1).max(253),
  /** Requested node name; the panel derives one from the hostname when absent. */
  name: ZNodeName.optional(),
  /** When present it must equal the join token's mode, otherwise the panel rejects the request. */
  mode: ZNodeMode.optional(),
  agentVersion: z.string().min(1).max(64),
  facts: ZNodeFacts,
});
export type TEnrollRequest = z.infer<typeof ZEnrollRequest>;

/** A key the agent trusts for signed configs and releases; `kid` selects it during rotation. */
export const ZTrustedKey = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: ZBase64Url.length(43),
  kid: z.string().min(1).max(128),
});
export type TTrustedKey = z.infer<typeof ZTrustedKey>;

export const ZEnrollResponse = z.object({
  nodeId: ZNodeId,
  name: ZNodeName,
  mode: ZNodeMode,
  /** The exact `aud` the agent must put in every session JWT. */
  audience: z.string().min(1).max(512),
  /** The panel's public base URL; the agent dials `${panelUrl}${hubPath}` with ws(s). */
  panelUrl: z.url({ protocol: /^https?$/ }),
  hubPath: z.literal(HUB_PATH),
  /** Empty until the signed-config issue provisions panel signing keys. */
  trustedKeys: z.array(ZTrustedKey).max(16),
});
export type TEnrollResponse = z.infer<typeof ZEnrollResponse>;

export const ZEnrollErrorCode = z.enum([
  "invalid_request",
  "token_invalid",
  "token_expired",
  "token_exhausted",
  "token_revoked",
  "mode_mismatch",
  "name_taken",
  "key_in_use",
  "seat_limit",
  "rate_limited",
  "internal",
]);
export type TEnrollErrorCode = z.infer<typeof ZEnrollErrorCode>;

export const ZEnrollErrorResponse = z.object({
  error: z.object({ code: ZEnrollErrorCode, message: z.string().max(1024) }),
});
export type TEnrollErrorResponse = z.infer<typeof ZEnrollErrorResponse>;

export { canonicalJson, canonicalJsonBytes } from "./canonical-json.ts";
export { DEFAULT_AUDIENCE, NODE_CONFIG_TYPE, type TNodeConfigClaims } from "./claims.ts";
export { SHUB_FILE_FORMAT, SIGNING_ALGORITHM } from "./envelope.ts";
export { SHUB_REJECT_REASONS, ShubInputError, ShubVerifyError, type TShubRejectReason } from "./errors.ts";
export { exampleNodeConfig, realisticNodeConfig } from "./example-config.ts";
export {
  generateSigningKey,
  jwkThumbprint,
  parseSigningKey,
  publicJwkOf,
  type TPrivateSigningJwk,
  type TPublicSigningJwk,
} from "./keys.ts";
export {
  describeIssues,
  MGMT_BRIDGE,
  NODE_CONFIG_SCHEMA_VERSION,
  type TNodeConfigV1,
  USER_BRIDGE,
  ZNodeConfigV1,
} from "./node-config.ts";
export { signShub, type TSignShubInput } from "./sign-shub.ts";
export {
  initialTrustSet,
  parseTrustSet,
  revokeKey,
  rotateTrustSet,
  type TTrustedKey,
  type TTrustSet,
  ZTrustSet,
} from "./trust-set.ts";
export { applyTrustChain, applyTrustUpdate, signTrustUpdate, TRUST_UPDATE_TYPE } from "./trust-update.ts";
export {
  type TShubMetadata,
  type TVerifiedShub,
  type TVerifyShubOptions,
  verifyShub,
} from "./verify-shub.ts";

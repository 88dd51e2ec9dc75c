import type { VendorPrivateKey } from "../src/vendor-keys.ts";
import key from "./test-vendor-private.jwk.json" with { type: "json" };

/**
 * The private half of the TEST vendor key. It is public on purpose: panels accept licenses it
 * signs only when test licensing is explicitly allowed, and then show a permanent banner.
 */
export const TEST_VENDOR_PRIVATE_JWK: VendorPrivateKey = { ...key, kty: "OKP", crv: "Ed25519", alg: "EdDSA" };

import { createHmac } from "node:crypto";
import { base64url, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { TEST_VENDOR_PRIVATE_JWK } from "../test-vendor/index.ts";
import { LicenseError, type TLicenseErrorCode } from "./license-error.ts";
import {
  issueLicense,
  LICENSE_TOKEN_TYPE,
  type VerifyLicenseOptions,
  verifyLicense,
} from "./license-token.ts";
import {
  generateVendorKey,
  PRODUCTION_VENDOR_KEYS,
  TEST_VENDOR_KEYS,
  vendorPublicKeyOf,
} from "./vendor-keys.ts";

const now = new Date("2027-03-01T12:00:00Z");
const installationId = "8c4e2f8a-1f7e-4d3b-9b8e-2f1a6c0d5e71";
const verify: VerifyLicenseOptions = { now, installationId, allowTestVendorKey: true };
const licensee = { organisation: "Acme Hosting", contact: "ops@acme.example" };

function issue(overrides: Partial<Parameters<typeof issueLicense>[1]> = {}, key = TEST_VENDOR_PRIVATE_JWK) {
  return issueLicense(
    key,
    { licensee, plan: "pro", expiresAt: new Date("2028-03-01T00:00:00Z"), ...overrides },
    new Date("2027-02-01T00:00:00Z"),
  );
}

async function refusal(promise: Promise<unknown>): Promise<LicenseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LicenseError)) throw new Error(`expected a LicenseError, got ${String(error)}`);
  return error;
}

async function code(token: string, options: VerifyLicenseOptions = verify): Promise<TLicenseErrorCode> {
  return (await refusal(verifyLicense(token, options))).code;
}

function part(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[index]!, "base64url").toString("utf8"));
}

function encode(json: unknown): string {
  return base64url.encode(JSON.stringify(json));
}

describe("license tokens", () => {
  it("round-trips a license with the plan's defaults, pinned algorithm and its own type", async () => {
    const token = await issue({ seats: { compute: 20 } });
    expect(part(token, 0)).toEqual({ alg: "EdDSA", typ: LICENSE_TOKEN_TYPE, kid: TEST_VENDOR_KEYS[0]!.kid });
    const license = await verifyLicense(token, verify);
    expect(license).toMatchObject({
      licensee,
      plan: "pro",
      seats: { compute: 20, gateway: 4 },
      features: ["gateway-mode", "ha-gateway-pairs", "bgp", "rolling-updates", "live-migration"],
      graceDays: 14,
      installationId: null,
      testLicensing: true,
      expiresAt: new Date("2028-03-01T00:00:00Z"),
    });
    expect(license.id).toMatch(/^lic_/);
  });

  it("trusts the test vendor key only when explicitly allowed", async () => {
    const token = await issue();
    const error = await refusal(verifyLicense(token, { now, installationId }));
    expect(error.code).toBe("test_key_not_allowed");
    expect(error.message).toMatch(/TEST vendor key/);
  });

  it("trusts a production key, and marks it as not test licensing", async () => {
    const vendor = await generateVendorKey();
    const license = await verifyLicense(await issue({}, vendor), {
      now,
      installationId,
      vendorKeys: [vendorPublicKeyOf(vendor)],
    });
    expect(license.testLicensing).toBe(false);
    expect(PRODUCTION_VENDOR_KEYS.map((k) => k.kid)).not.toContain(TEST_VENDOR_KEYS[0]!.kid);
  });

  it("refuses a tampered license", async () => {
    const [header, payload, signature] = (await issue()).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
    const tampered = `${header}.${encode({ ...claims, seats: { compute: 10_000, gateway: 100 } })}.${signature}`;
    const error = await refusal(verifyLicense(tampered, verify));
    expect(error.code).toBe("bad_signature");
    expect(error.message).toMatch(/changed, damaged or cut short/);
  });

  it("refuses a license signed by another key under the vendor's key id, and an unknown key id", async () => {
    const impostor = await generateVendorKey();
    expect(await code(await issue({}, { ...impostor, kid: TEST_VENDOR_KEYS[0]!.kid }))).toBe("bad_signature");
    const error = await refusal(verifyLicense(await issue({}, impostor), verify));
    expect(error.code).toBe("unknown_key");
    expect(error.message).toMatch(/key this version of Stratum does not know/);
  });

  it("verifies an expired license (expiry is a state), but refuses one not yet valid", async () => {
    const expired = await issue({
      notBefore: new Date("2026-01-01T00:00:00Z"),
      expiresAt: new Date("2027-01-01Z"),
    });
    await expect(verifyLicense(expired, verify)).resolves.toMatchObject({ plan: "pro" });
    const future = await issue({ notBefore: new Date("2027-04-01T00:00:00Z") });
    const error = await refusal(verifyLicense(future, verify));
    expect(error.code).toBe("not_yet_valid");
    expect(error.message).toMatch(/starts on 2027-04-01/);
  });

  it("refuses a license bound to another installation", async () => {
    const bound = await issue({ installationId: "another-installation" });
    const error = await refusal(verifyLicense(bound, verify));
    expect(error.code).toBe("other_installation");
    expect(error.message).toMatch(/bound to installation another-installation/);
    await expect(
      verifyLicense(bound, { ...verify, installationId: "another-installation" }),
    ).resolves.toMatchObject({
      installationId: "another-installation",
    });
  });

  it("refuses malformed and truncated input", async () => {
    for (const garbage of ["", "hello", "a.b", "a.b.c.d", "not base64!.x.y", "x".repeat(20_000)]) {
      expect(await code(garbage)).toBe("malformed");
    }
    const token = await issue();
    expect(await code(token.slice(0, -10))).toBe("bad_signature");
    expect(await code(token.slice(0, token.lastIndexOf(".")))).toBe("malformed");
    expect(await code(token.slice(0, token.indexOf(".") - 4) + token.slice(token.indexOf(".")))).toBe(
      "malformed",
    );
  });

  it("refuses well-signed tokens whose claims are not a license", async () => {
    const key = await importJWK(TEST_VENDOR_PRIVATE_JWK, "EdDSA");
    const sign = (claims: Record<string, unknown>, typ = LICENSE_TOKEN_TYPE) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "EdDSA", typ, kid: TEST_VENDOR_PRIVATE_JWK.kid })
        .sign(key);
    const good = part(await issue(), 1);
    const { seats: _dropped, ...withoutSeats } = good;
    const missing = await refusal(verifyLicense(await sign(withoutSeats), verify));
    expect(missing.code).toBe("malformed");
    expect(missing.message).toMatch(/seats/);
    expect(await code(await sign({ ...good, plan: "platinum" }))).toBe("malformed");
    expect(await code(await sign({ ...good, features: ["teleport"] }))).toBe("malformed");
    expect(await code(await sign({ ...good, exp: good.nbf }))).toBe("malformed");
    expect(await code(await sign(good, "JWT"))).toBe("wrong_type");
  });

  it("refuses alg none and HS256 keyed with the vendor public key", async () => {
    const claims = part(await issue(), 1);
    const kid = TEST_VENDOR_KEYS[0]!.kid;
    const none = `${encode({ alg: "none", typ: LICENSE_TOKEN_TYPE, kid })}.${encode(claims)}.`;
    expect(await code(none)).toBe("malformed");
    expect(await code(`${none}AAAA`)).toBe("algorithm_not_allowed");
    const signingInput = `${encode({ alg: "HS256", typ: LICENSE_TOKEN_TYPE, kid })}.${encode(claims)}`;
    for (const secret of [TEST_VENDOR_KEYS[0]!.x, JSON.stringify(TEST_VENDOR_KEYS[0])]) {
      const mac = createHmac("sha256", secret).update(signingInput).digest("base64url");
      const error = await refusal(verifyLicense(`${signingInput}.${mac}`, verify));
      expect(error.code).toBe("algorithm_not_allowed");
      expect(error.message).toMatch(/signed with HS256/);
    }
  });
});

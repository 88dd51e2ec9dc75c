import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_VENDOR_PRIVATE_JWK } from "../test-vendor/index.ts";
import {
  ACTIVATE_PATH,
  bindLicense,
  createActivationRequest,
  parseActivationRequest,
  previewActivation,
} from "./activation.ts";
import { activateOnline, deactivateOnline } from "./activation-client.ts";
import { evaluateLicense } from "./evaluate-license.ts";
import { LicenseError } from "./license-error.ts";
import { type RunningLicenseServer, startLicenseServer } from "./license-server.ts";
import { issueLicense, verifyLicense } from "./license-token.ts";

const now = new Date("2027-03-01T12:00:00Z");
const installationId = "inst-a";
const usage = { computeNodes: 6, gatewayNodes: 0 };
const licensee = { organisation: "Acme Hosting" };

function issue(overrides: Partial<Parameters<typeof issueLicense>[1]> = {}) {
  return issueLicense(
    TEST_VENDOR_PRIVATE_JWK,
    { licensee, plan: "standard", expiresAt: new Date("2028-01-01T00:00:00Z"), ...overrides },
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

describe("offline activation", () => {
  it("turns an activation request into a license bound to the installation", async () => {
    const key = await issue();
    const request = createActivationRequest({
      installationId,
      licenseKeyOrId: key,
      panelVersion: "1.4.0",
      now,
    });
    expect(request).toMatchObject({ kind: "stratum-activation-request", installationId, licenseKey: key });
    const received = parseActivationRequest(JSON.stringify(request));
    const bound = await bindLicense(
      TEST_VENDOR_PRIVATE_JWK,
      received.licenseKey!,
      received.installationId,
      now,
    );
    const license = await verifyLicense(bound, { now, installationId, allowTestVendorKey: true });
    const original = await verifyLicense(key, { now, installationId, allowTestVendorKey: true });
    expect(license).toMatchObject({
      id: original.id,
      installationId,
      seats: original.seats,
      features: original.features,
      expiresAt: original.expiresAt,
    });
    expect(
      (await refusal(verifyLicense(bound, { now, installationId: "inst-b", allowTestVendorKey: true }))).code,
    ).toBe("other_installation");
    expect(
      createActivationRequest({ installationId, licenseKeyOrId: "lic_42", panelVersion: "1.4.0" }),
    ).toMatchObject({
      licenseId: "lic_42",
    });
    expect(() => parseActivationRequest('{"kind":"other"}')).toThrow(/activation request is not valid/);
  });

  it("refuses to bind an expired license", async () => {
    const expired = await issue({ expiresAt: new Date("2027-02-15T00:00:00Z") });
    expect((await refusal(bindLicense(TEST_VENDOR_PRIVATE_JWK, expired, installationId, now))).code).toBe(
      "expired",
    );
  });
});

describe("activation preview", () => {
  const free = evaluateLicense(null, { now, usage });

  it("says what the license grants and what changes, without changing anything", async () => {
    const preview = await previewActivation(await issue(), {
      now,
      installationId,
      allowTestVendorKey: true,
      current: free,
      usage,
    });
    expect(preview.status.state).toBe("active");
    expect(preview.changes).toEqual([
      "Plan: Free → Standard",
      "Compute seats: 3 → 10",
      "Gateway seats: 0 → 2",
      "Features added: gateway-mode, rolling-updates",
      "Expires: never (free plan) → 2028-01-01T00:00:00.000Z",
      "Licensee: Acme Hosting",
    ]);
    expect(preview.warnings).toEqual([expect.stringMatching(/TEST vendor key/)]);
  });

  it("warns when the license covers fewer nodes than are enrolled, and what stays running", async () => {
    const current = evaluateLicense(
      await verifyLicense(await issue({ plan: "pro" }), { now, installationId, allowTestVendorKey: true }),
      { now, usage },
    );
    const preview = await previewActivation(await issue({ seats: { compute: 4 } }), {
      now,
      installationId,
      allowTestVendorKey: true,
      current,
      usage,
    });
    expect(preview.changes).toContain("Compute seats: 50 → 4");
    expect(preview.warnings.join("\n")).toMatch(
      /6 compute nodes are enrolled but the license covers 4\. Nothing is disconnected/,
    );
    expect(preview.warnings.join("\n")).toMatch(
      /does not include ha-gateway-pairs, bgp, live-migration\. What is configured keeps running/,
    );
  });

  it("refuses an expired license even within what would be its grace period", async () => {
    const expired = await issue({ expiresAt: new Date("2027-02-25T00:00:00Z") });
    const error = await refusal(
      previewActivation(expired, { now, installationId, allowTestVendorKey: true, current: free, usage }),
    );
    expect(error.code).toBe("expired");
    expect(error.message).toMatch(/expired on 2027-02-25.*renewed license/);
  });
});

describe("online activation against the license server", () => {
  let server: RunningLicenseServer;
  let stateDir: string;
  const serverNow = () => now;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "stratum-license-server-"));
    server = await startLicenseServer({
      vendorKey: TEST_VENDOR_PRIVATE_JWK,
      port: 0,
      statePath: join(stateDir, "activations.json"),
      now: serverNow,
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("binds a key to one installation at a time, and moves it after deactivation", async () => {
    const key = await issue();
    const bound = await activateOnline(server.url, {
      licenseKey: key,
      installationId,
      panelVersion: "1.4.0",
    });
    const license = await verifyLicense(bound, { now, installationId, allowTestVendorKey: true });
    expect(license.installationId).toBe(installationId);
    expect(
      JSON.parse(readFileSync(join(stateDir, "activations.json"), "utf8")).activations[license.id],
    ).toMatchObject({
      installationId,
    });
    await expect(
      activateOnline(server.url, { licenseKey: key, installationId, panelVersion: "1.4.1" }),
    ).resolves.toBeTruthy();

    const elsewhere = await refusal(
      activateOnline(server.url, { licenseKey: key, installationId: "inst-b", panelVersion: "1.4.0" }),
    );
    expect(elsewhere.code).toBe("already_activated");
    expect(elsewhere.message).toMatch(/active on installation inst-a.*Deactivate it there first/);
    expect(
      (await refusal(deactivateOnline(server.url, { licenseKey: key, installationId: "inst-b" }))).code,
    ).toBe("other_installation");

    await deactivateOnline(server.url, { licenseKey: bound, installationId });
    const moved = await activateOnline(server.url, {
      licenseKey: key,
      installationId: "inst-b",
      panelVersion: "1.4.0",
    });
    expect((await verifyLicense(moved, { now, installationId: "inst-b", allowTestVendorKey: true })).id).toBe(
      license.id,
    );
  });

  it("lets only one of two installations racing for a license win", async () => {
    const key = await issue();
    const results = await Promise.allSettled(
      ["inst-x", "inst-y"].map((id) =>
        activateOnline(server.url, { licenseKey: key, installationId: id, panelVersion: "1.4.0" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(loser?.reason).toMatchObject({ code: "already_activated" });
  });

  it("refuses bad keys with the verifier's code, and bad requests without changing anything", async () => {
    const tampered = `${(await issue()).slice(0, -6)}AAAAAA`;
    expect(
      (await refusal(activateOnline(server.url, { licenseKey: tampered, installationId, panelVersion: "1" })))
        .code,
    ).toBe("bad_signature");
    const expired = await issue({ expiresAt: new Date("2027-02-20T00:00:00Z") });
    expect(
      (await refusal(activateOnline(server.url, { licenseKey: expired, installationId, panelVersion: "1" })))
        .code,
    ).toBe("expired");
    const notJson = await fetch(new URL(ACTIVATE_PATH, server.url), { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    const invalid = await refusal(
      activateOnline(server.url, { licenseKey: "", installationId, panelVersion: "1" }),
    );
    expect(invalid.code).toBe("license_server_error");
    expect(invalid.message).toMatch(/answered 400: licenseKey/);
    expect((await fetch(new URL(ACTIVATE_PATH, server.url))).status).toBe(405);
    expect((await fetch(new URL("/v1/other", server.url), { method: "POST", body: "{}" })).status).toBe(404);
    const huge = await fetch(new URL(ACTIVATE_PATH, server.url), {
      method: "POST",
      body: "x".repeat(100_000),
    });
    expect(huge.status).toBe(413);
  });

  it("reports an unreachable server as such", async () => {
    const error = await refusal(
      activateOnline("http://127.0.0.1:1", { licenseKey: "x.y.z", installationId, panelVersion: "1" }),
    );
    expect(error.code).toBe("license_server_unreachable");
    expect(error.message).toMatch(/activate offline/);
  });
});

import { describe, expect, it } from "vitest";
import {
  canEnroll,
  canStartMigration,
  canStartRollout,
  canUseFeature,
  evaluateLicense,
  type LicenseFacts,
  type TUsage,
} from "./evaluate-license.ts";

const DAY = 86_400_000;
const expiresAt = new Date("2027-06-30T00:00:00Z");
const license: LicenseFacts = {
  id: "lic_1",
  licensee: { organisation: "Acme Hosting" },
  plan: "pro",
  seats: { compute: 10, gateway: 2 },
  features: ["gateway-mode", "rolling-updates", "live-migration"],
  issuedAt: new Date("2026-06-30T00:00:00Z"),
  notBefore: new Date("2026-06-30T00:00:00Z"),
  expiresAt,
  graceDays: 14,
  installationId: null,
  testLicensing: false,
};
const usage: TUsage = { computeNodes: 4, gatewayNodes: 1 };
const at = (offsetDays: number) => new Date(expiresAt.getTime() + offsetDays * DAY);
const evaluate = (now: Date, facts: LicenseFacts | null = license, u = usage) =>
  evaluateLicense(facts, { now, usage: u });

describe("license states", () => {
  it("runs the free plan without a license: 3 compute nodes, no gateways, nothing changes over time", () => {
    const status = evaluate(at(0), null, { computeNodes: 2, gatewayNodes: 0 });
    expect(status).toMatchObject({
      state: "free",
      plan: "free",
      license: null,
      features: [],
      seats: {
        compute: { used: 2, total: 3, state: "available" },
        gateway: { used: 0, total: 0, state: "full" },
      },
      dates: null,
      nextChangeAt: null,
      restricted: false,
    });
    expect(status.headline).toMatch(/Free plan allows 3 compute nodes and no gateway nodes/);
    expect(canEnroll(status, "compute")).toEqual({ allowed: true });
    const gateway = canEnroll(status, "gateway");
    expect(gateway.allowed).toBe(false);
    expect(!gateway.allowed && gateway.reason).toMatch(
      /gateway-mode feature, which the Free plan does not include/,
    );
    expect(canUseFeature(status, "bgp").allowed).toBe(false);
    expect(canStartRollout(status).allowed).toBe(false);
    expect(canStartMigration(status, "endpoint")).toEqual({ allowed: true });
    expect(canStartMigration(status, "live").allowed).toBe(false);
  });

  it("is active until 30 days before expiry, and says when warnings start", () => {
    const status = evaluate(at(-31));
    expect(status.state).toBe("active");
    expect(status.dates).toEqual({
      warningFrom: "2027-05-31T00:00:00.000Z",
      expiresAt: "2027-06-30T00:00:00.000Z",
      graceEndsAt: "2027-07-14T00:00:00.000Z",
    });
    expect(status.nextChangeAt).toBe("2027-05-31T00:00:00.000Z");
    expect(status.next).toMatch(/Renewal reminders start on 2027-05-31.*14-day grace period.*2027-07-14/);
    for (const check of [
      canEnroll(status, "compute"),
      canEnroll(status, "gateway"),
      canStartRollout(status),
      canStartMigration(status, "live"),
      canUseFeature(status, "gateway-mode"),
    ]) {
      expect(check).toEqual({ allowed: true });
    }
    expect(canUseFeature(status, "multi-cluster").allowed).toBe(false);
  });

  it("warns from 30 days before expiry, with everything still allowed", () => {
    const status = evaluate(at(-30));
    expect(status.state).toBe("expiring");
    expect(status.headline).toMatch(/expires in 30 days, on 2027-06-30/);
    expect(status.nextChangeAt).toBe(expiresAt.toISOString());
    expect(evaluate(new Date(expiresAt.getTime() - 1)).state).toBe("expiring");
    expect(canStartRollout(status).allowed).toBe(true);
  });

  it("runs a grace period after expiry with everything working", () => {
    const status = evaluate(at(0));
    expect(status.state).toBe("grace");
    expect(status.next).toMatch(/grace period ends on 2027-07-14 00:00 UTC \(in 14 days\)/);
    expect(status.next).toMatch(/traffic keeps flowing/);
    expect(evaluate(at(13.9)).state).toBe("grace");
    expect(canEnroll(status, "compute").allowed).toBe(true);
    expect(canStartMigration(status, "live").allowed).toBe(true);
  });

  it("restricts management after grace but keeps features, so configured gateways keep forwarding", () => {
    const status = evaluate(at(14));
    expect(status).toMatchObject({ state: "restricted", restricted: true, nextChangeAt: null });
    expect(status.notices.join(" ")).toMatch(/management is restricted/);
    expect(status.next).toMatch(
      /Revoking nodes and security changes still work, and every node keeps forwarding/,
    );
    for (const check of [
      canEnroll(status, "compute"),
      canStartRollout(status),
      canStartMigration(status, "endpoint"),
    ]) {
      expect(check.allowed).toBe(false);
      expect(!check.allowed && check.reason).toMatch(/paused: the license expired on 2027-06-30/);
    }
    expect(canUseFeature(status, "gateway-mode")).toEqual({ allowed: true });
  });

  it("goes straight from warning to restricted without grace days", () => {
    expect(evaluate(at(0), { ...license, graceDays: 0 }).state).toBe("restricted");
  });

  it("restores everything at once when a renewed license is activated", () => {
    const now = at(40);
    expect(evaluate(now).state).toBe("restricted");
    const renewed = evaluate(now, {
      ...license,
      id: "lic_2",
      expiresAt: new Date(now.getTime() + 365 * DAY),
    });
    expect(renewed.state).toBe("active");
    expect(canEnroll(renewed, "compute")).toEqual({ allowed: true });
    expect(canStartRollout(renewed)).toEqual({ allowed: true });
  });

  it("blocks enrollment at the seat limit and names the limit and how to raise it", () => {
    const full = evaluate(at(-100), license, { computeNodes: 10, gatewayNodes: 2 });
    expect(full.seats.compute.state).toBe("full");
    const compute = canEnroll(full, "compute");
    expect(!compute.allowed && compute.reason).toMatch(
      /All 10 compute seats of the Pro license are used\. Revoke a compute node .* or activate a license with more compute seats/,
    );
    expect(canEnroll(full, "gateway").allowed).toBe(false);
  });

  it("shows over-seat usage clearly, never disconnecting nodes", () => {
    const status = evaluate(at(-100), license, { computeNodes: 13, gatewayNodes: 1 });
    expect(status.seats.compute).toEqual({ used: 13, total: 10, state: "over" });
    expect(status.notices).toEqual([
      expect.stringMatching(
        /13 compute nodes are enrolled but the license covers 10\. Nothing is disconnected.*revoke 3 compute node/,
      ),
    ]);
    const decision = canEnroll(status, "compute");
    expect(!decision.allowed && decision.reason).toMatch(/13 are enrolled, more than the license covers/);
    expect(canEnroll(status, "gateway")).toEqual({ allowed: true });
  });

  it("shows a permanent notice for test licensing", () => {
    expect(evaluate(at(-100), { ...license, testLicensing: true }).notices[0]).toMatch(/TEST vendor key/);
  });
});

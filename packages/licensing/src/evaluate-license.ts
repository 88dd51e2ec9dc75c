import { z } from "zod";
import type { License } from "./license-token.ts";
import { ZLicensee } from "./license-token.ts";
import { PLANS, type TFeature, type TSeats, ZFeature, ZPlanId } from "./plans.ts";

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * free: no license; active; expiring: from 30 days before expiry, a warning; grace: expired, for
 * the license's grace days everything still works; restricted: after grace, no new enrollments,
 * rollouts or migrations. No state ever disconnects a node or stops traffic.
 */
export const ZLicenseState = z.enum(["free", "active", "expiring", "grace", "restricted"]);
export type TLicenseState = z.infer<typeof ZLicenseState>;
type LicensedState = Exclude<TLicenseState, "free">;

export const ZUsage = z.object({ computeNodes: z.int().min(0), gatewayNodes: z.int().min(0) });
export type TUsage = z.infer<typeof ZUsage>;

/** over: more nodes are enrolled than the license covers (they keep running; enrollment is blocked). */
export const ZSeatUsage = z.object({
  used: z.int().min(0),
  total: z.int().min(0),
  state: z.enum(["available", "full", "over"]),
});
export type TSeatUsage = z.infer<typeof ZSeatUsage>;

/** What the panel shows and what enforcement decides on; plain JSON, so it can be a tRPC output. */
export const ZLicenseStatus = z.object({
  state: ZLicenseState,
  plan: ZPlanId,
  planName: z.string(),
  license: z
    .object({
      id: z.string(),
      licensee: ZLicensee,
      issuedAt: z.iso.datetime(),
      notBefore: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      graceDays: z.int(),
      installationId: z.string().nullable(),
    })
    .nullable(),
  testLicensing: z.boolean(),
  features: z.array(ZFeature),
  seats: z.object({ compute: ZSeatUsage, gateway: ZSeatUsage }),
  /** When the warning starts, the license expires and grace ends; null on the free plan. */
  dates: z
    .object({ warningFrom: z.iso.datetime(), expiresAt: z.iso.datetime(), graceEndsAt: z.iso.datetime() })
    .nullable(),
  /** When the state next changes by itself, for the countdown; null when it never does. */
  nextChangeAt: z.iso.datetime().nullable(),
  restricted: z.boolean(),
  headline: z.string(),
  /** What happens next and when. */
  next: z.string(),
  /** Conditions the operator must see: over seats, test licensing, restricted management. */
  notices: z.array(z.string()),
  evaluatedAt: z.iso.datetime(),
});
export type TLicenseStatus = z.infer<typeof ZLicenseStatus>;

export type LicenseFacts = Pick<
  License,
  | "id"
  | "licensee"
  | "plan"
  | "seats"
  | "features"
  | "issuedAt"
  | "notBefore"
  | "expiresAt"
  | "graceDays"
  | "installationId"
  | "testLicensing"
>;

export interface EvaluateOptions {
  /** The effective time, after the clock rollback guard. */
  now: Date;
  usage: TUsage;
}

export function evaluateLicense(
  license: LicenseFacts | null,
  { now, usage }: EvaluateOptions,
): TLicenseStatus {
  const plan = PLANS[license?.plan ?? "free"];
  const seats = license?.seats ?? plan.seats;
  const seatUsage = {
    compute: seatUsageOf(usage.computeNodes, seats.compute),
    gateway: seatUsageOf(usage.gatewayNodes, seats.gateway),
  };
  const base = {
    plan: plan.id,
    planName: plan.name,
    testLicensing: license?.testLicensing ?? false,
    features: [...(license?.features ?? plan.features)],
    seats: seatUsage,
    evaluatedAt: now.toISOString(),
  };
  const seatNotices = overSeatNotices(seatUsage, seats);
  if (!license) {
    return {
      ...base,
      state: "free",
      license: null,
      dates: null,
      nextChangeAt: null,
      restricted: false,
      headline: `No license is active: the Free plan allows ${plan.seats.compute} compute nodes and no gateway nodes.`,
      next: "Nothing changes over time on the Free plan. Activate a license to add seats and features.",
      notices: seatNotices,
    };
  }
  const expiresAt = license.expiresAt;
  const warningFrom = new Date(expiresAt.getTime() - EXPIRY_WARNING_DAYS * DAY_MS);
  const graceEndsAt = new Date(expiresAt.getTime() + license.graceDays * DAY_MS);
  const state: LicensedState =
    now >= graceEndsAt
      ? "restricted"
      : now >= expiresAt
        ? "grace"
        : now >= warningFrom
          ? "expiring"
          : "active";
  const who = `${plan.name} license for ${license.licensee.organisation}`;
  const graceText =
    license.graceDays > 0
      ? `a ${license.graceDays}-day grace period with everything working runs until ${formatDate(graceEndsAt)}`
      : "there is no grace period";
  const texts: Record<LicensedState, { headline: string; next: string; nextChangeAt: Date | null }> = {
    active: {
      headline: `${who}, valid until ${formatDate(expiresAt)}.`,
      next: `Renewal reminders start on ${formatDate(warningFrom)}. The license expires on ${formatDate(expiresAt)}; then ${graceText}, after which management is restricted.`,
      nextChangeAt: warningFrom,
    },
    expiring: {
      headline: `${who} expires in ${daysUntil(now, expiresAt)}, on ${formatDate(expiresAt)}.`,
      next: `After expiry ${graceText}; then new enrollments, rollouts and migrations are paused. Traffic is never affected. Activate a renewed license to avoid this.`,
      nextChangeAt: expiresAt,
    },
    grace: {
      headline: `${who} expired on ${formatDate(expiresAt)}; grace period, everything still works.`,
      next: `The grace period ends on ${formatDate(graceEndsAt)} (in ${daysUntil(now, graceEndsAt)}). Then new enrollments, rollouts and migrations are paused; nodes stay connected and traffic keeps flowing. Activate a renewed license to avoid this.`,
      nextChangeAt: graceEndsAt,
    },
    restricted: {
      headline: `${who} expired on ${formatDate(expiresAt)} and its grace period ended on ${formatDate(graceEndsAt)}: management is restricted.`,
      next: "New enrollments, rollouts and migrations are paused until a valid license is activated; activation restores everything at once. Revoking nodes and security changes still work, and every node keeps forwarding traffic.",
      nextChangeAt: null,
    },
  };
  const text = texts[state];
  return {
    ...base,
    state,
    license: {
      id: license.id,
      licensee: license.licensee,
      issuedAt: license.issuedAt.toISOString(),
      notBefore: license.notBefore.toISOString(),
      expiresAt: expiresAt.toISOString(),
      graceDays: license.graceDays,
      installationId: license.installationId,
    },
    dates: {
      warningFrom: warningFrom.toISOString(),
      expiresAt: expiresAt.toISOString(),
      graceEndsAt: graceEndsAt.toISOString(),
    },
    nextChangeAt: text.nextChangeAt?.toISOString() ?? null,
    restricted: state === "restricted",
    headline: text.headline,
    next: text.next,
    notices: [
      ...(license.testLicensing
        ? [
            "Test licensing is in use: this license is signed with the TEST vendor key and is not for production.",
          ]
        : []),
      ...(state === "restricted" ? [text.headline] : []),
      ...seatNotices,
    ],
  };
}

function seatUsageOf(used: number, total: number): TSeatUsage {
  return { used, total, state: used > total ? "over" : used === total ? "full" : "available" };
}

function overSeatNotices(usage: TLicenseStatus["seats"], seats: TSeats): string[] {
  return (["compute", "gateway"] as const)
    .filter((mode) => usage[mode].state === "over")
    .map(
      (mode) =>
        `${usage[mode].used} ${mode} nodes are enrolled but the license covers ${seats[mode]}. Nothing is disconnected: every node keeps running and forwarding. New ${mode} enrollments are blocked until you revoke ${usage[mode].used - seats[mode]} ${mode} node(s) or activate a license with more ${mode} seats.`,
    );
}

export type Decision = { allowed: true } | { allowed: false; reason: string };
const ALLOWED: Decision = { allowed: true };
const HOW_TO_RAISE = "Activate a license that includes it on the Licensing page.";

function restrictedDecision(status: TLicenseStatus, what: string): Decision | null {
  if (!status.restricted) return null;
  return {
    allowed: false,
    reason: `${what} are paused: the license expired on ${formatDate(new Date(status.dates?.expiresAt ?? status.evaluatedAt))} and its grace period has ended. Activate a renewed license on the Licensing page; connected nodes keep running.`,
  };
}

export function canUseFeature(status: TLicenseStatus, feature: TFeature): Decision {
  if (status.features.includes(feature)) return ALLOWED;
  return {
    allowed: false,
    reason: `The ${status.planName} plan does not include the ${feature} feature. ${HOW_TO_RAISE}`,
  };
}

export function canEnroll(status: TLicenseStatus, mode: "compute" | "gateway"): Decision {
  const restricted = restrictedDecision(status, "New enrollments");
  if (restricted) return restricted;
  if (mode === "gateway" && !status.features.includes("gateway-mode")) {
    return {
      allowed: false,
      reason: `Gateway nodes need the gateway-mode feature, which the ${status.planName} plan does not include. ${HOW_TO_RAISE}`,
    };
  }
  const seats = status.seats[mode];
  if (seats.used < seats.total) return ALLOWED;
  const over = seats.used > seats.total ? ` (${seats.used} are enrolled, more than the license covers)` : "";
  return {
    allowed: false,
    reason: `All ${seats.total} ${mode} seats of the ${status.planName} ${status.license ? "license" : "plan"} are used${over}. Revoke a ${mode} node you no longer need, or activate a license with more ${mode} seats on the Licensing page.`,
  };
}

export function canStartRollout(status: TLicenseStatus): Decision {
  return restrictedDecision(status, "Rollouts") ?? canUseFeature(status, "rolling-updates");
}

export type MigrationKind = "endpoint" | "cold" | "live" | "block";

export function canStartMigration(status: TLicenseStatus, kind: MigrationKind): Decision {
  const restricted = restrictedDecision(status, "Migrations");
  if (restricted) return restricted;
  return kind === "live" || kind === "block" ? canUseFeature(status, "live-migration") : ALLOWED;
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function daysUntil(now: Date, then: Date): string {
  const days = Math.ceil((then.getTime() - now.getTime()) / DAY_MS);
  return days === 1 ? "1 day" : `${days} days`;
}

import { z } from "zod";

/**
 * Features a license can grant. Overlay networking, firewall policy, endpoint moves and cold
 * migration are part of every plan and are not features.
 */
export const ZFeature = z.enum([
  /** Enroll gateway nodes: NAT and routing between the fabric and the outside. */
  "gateway-mode",
  /** Run gateways as redundant active/standby pairs. */
  "ha-gateway-pairs",
  /** Announce and learn routes with BGP on gateways. */
  "bgp",
  /** Fleet-wide rolling updates driven by the rollout engine. */
  "rolling-updates",
  /** Live and block migration of running workloads over QMP. */
  "live-migration",
  /** More than one cluster managed by one panel. */
  "multi-cluster",
]);
export type TFeature = z.infer<typeof ZFeature>;

export const ZPlanId = z.enum(["free", "standard", "pro", "enterprise"]);
export type TPlanId = z.infer<typeof ZPlanId>;

export const ZSeats = z.object({
  compute: z.int().min(0).max(1_000_000),
  gateway: z.int().min(0).max(1_000_000),
});
export type TSeats = z.infer<typeof ZSeats>;

export interface Plan {
  id: TPlanId;
  name: string;
  /** Seats a license of this plan grants unless it names its own. */
  seats: TSeats;
  features: readonly TFeature[];
}

/** The one table of plans. The free plan is what an installation runs without any license. */
export const PLANS: Readonly<Record<TPlanId, Plan>> = {
  free: { id: "free", name: "Free", seats: { compute: 3, gateway: 0 }, features: [] },
  standard: {
    id: "standard",
    name: "Standard",
    seats: { compute: 10, gateway: 2 },
    features: ["gateway-mode", "rolling-updates"],
  },
  pro: {
    id: "pro",
    name: "Pro",
    seats: { compute: 50, gateway: 4 },
    features: ["gateway-mode", "ha-gateway-pairs", "bgp", "rolling-updates", "live-migration"],
  },
  enterprise: {
    id: "enterprise",
    name: "Enterprise",
    seats: { compute: 500, gateway: 16 },
    features: ZFeature.options,
  },
};

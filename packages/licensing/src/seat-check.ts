import type { Prisma } from "@stratum/db/client";
import { EnrollError, type SeatCheck } from "@stratum/fleet/enrollment";
import { canEnroll, evaluateLicense, type LicenseFacts } from "./evaluate-license.ts";

/**
 * One lock for every enrollment's seat count: counting and inserting under it means concurrent
 * enrollments (on any replica) can never exceed the seats. The value is arbitrary but fixed.
 */
export const SEAT_LOCK_KEY = 0x5354_4c53;

export interface SeatCheckLicense {
  /** The active license, or null for the free plan. */
  license: LicenseFacts | null;
  /** The effective time, after the clock rollback guard. */
  now: Date;
}

/**
 * The enrollment seat check (`EnrollContext.seatCheck`). It runs inside the enrollment
 * transaction and refuses the node with `seat_limit` when its mode is out of seats, not licensed,
 * or management is restricted.
 */
export function createSeatCheck(
  loadLicenseState: (tx: Prisma.TransactionClient) => Promise<SeatCheckLicense>,
): SeatCheck {
  return async (tx, node) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEAT_LOCK_KEY}::bigint)`;
    const { license, now } = await loadLicenseState(tx);
    const [computeNodes, gatewayNodes] = await Promise.all([
      tx.node.count({ where: { mode: "compute", revokedAt: null } }),
      tx.node.count({ where: { mode: "gateway", revokedAt: null } }),
    ]);
    const decision = canEnroll(
      evaluateLicense(license, { now, usage: { computeNodes, gatewayNodes } }),
      node.mode,
    );
    if (!decision.allowed) throw new EnrollError("seat_limit", decision.reason, 403);
  };
}

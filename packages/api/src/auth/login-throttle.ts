import type { Database } from "@stratum/db";

/** Failed sign-ins allowed per window before a lockout, per account and per source address. */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
  accountFailures: 5 as number,
  addressFailures: 20 as number,
} as const;

export function throttleKeys(email: string, sourceIp: string | undefined): { key: string; limit: number }[] {
  const keys = [{ key: `account:${email.toLowerCase()}`, limit: THROTTLE.accountFailures }];
  if (sourceIp) keys.push({ key: `address:${sourceIp}`, limit: THROTTLE.addressFailures });
  return keys;
}

/** When sign-in is locked for any of the keys, the time it opens again. */
export async function lockedUntil(
  db: Database,
  keys: { key: string }[],
  now = new Date(),
): Promise<Date | null> {
  const rows = await db.prisma.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  const locks = rows.map((r) => r.lockedUntil).filter((d): d is Date => d !== null && d > now);
  return locks.length ? new Date(Math.max(...locks.map((d) => d.getTime()))) : null;
}

export async function recordFailure(
  db: Database,
  keys: { key: string; limit: number }[],
  now = new Date(),
): Promise<void> {
  for (const { key, limit } of keys) {
    await db.prisma.$transaction(async (tx) => {
      const row = await tx.loginThrottle.findUnique({ where: { key } });
      const fresh = !row || now.getTime() - row.windowStart.getTime() > THROTTLE.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const lock = failures >= limit ? new Date(now.getTime() + THROTTLE.lockMs) : (row?.lockedUntil ?? null);
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, windowStart: now, lockedUntil: lock },
        update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil: lock },
      });
    });
  }
}

export async function clearFailures(db: Database, email: string): Promise<void> {
  await db.prisma.loginThrottle.deleteMany({ where: { key: `account:${email.toLowerCase()}` } });
}

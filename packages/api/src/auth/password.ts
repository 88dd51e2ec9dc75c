import argon2 from "argon2";
import { z } from "zod";

import { PASSWORD_MIN_LENGTH, PASSWORD_RULE } from "./password-rule.ts";

export { PASSWORD_MIN_LENGTH, PASSWORD_RULE };

export const ZNewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password too short: ${PASSWORD_RULE}`)
  .max(256, "Password too long: use at most 256 characters.");

/** Checks the parts of the password rule that need more than the password itself. */
export function passwordProblem(password: string, email: string): string | undefined {
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 3 && password.toLowerCase().includes(local))
    return `Password contains your email address: ${PASSWORD_RULE}`;
  if (new Set(password).size < 4) return `Password is too repetitive: ${PASSWORD_RULE}`;
  return undefined;
}

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real verification, so unknown accounts cannot be told apart by timing. */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword("stratum-timing-equaliser");
  await verifyPassword(await dummyHash, password);
}

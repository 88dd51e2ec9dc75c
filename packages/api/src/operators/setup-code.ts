import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { Database } from "@stratum/db";

const SETTING_KEY = "setup.code_sha256";
// No 0/O or 1/I/L, so a code read from a log is typed correctly the first time.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

const digest = (code: string) =>
  createHash("sha256").update(code.replace(/[\s-]/g, "").toUpperCase()).digest("hex");

export async function needsSetup(db: Database): Promise<boolean> {
  return (await db.prisma.user.count({ where: { role: "owner" } })) === 0;
}

/**
 * On a fresh installation, issues a new one-time setup code (its hash is stored) and returns it
 * for the server to print. Returns null once an owner exists.
 */
export async function issueSetupCode(db: Database): Promise<string | null> {
  if (!(await needsSetup(db))) return null;
  const raw = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  await db.prisma.setting.upsert({
    where: { key: SETTING_KEY },
    create: { key: SETTING_KEY, value: digest(code) },
    update: { value: digest(code) },
  });
  return code;
}

export async function setupCodeMatches(db: Database, code: string): Promise<boolean> {
  const row = await db.prisma.setting.findUnique({ where: { key: SETTING_KEY } });
  if (typeof row?.value !== "string") return false;
  return timingSafeEqual(Buffer.from(row.value, "hex"), Buffer.from(digest(code), "hex"));
}

export const SETUP_CODE_SETTING = SETTING_KEY;

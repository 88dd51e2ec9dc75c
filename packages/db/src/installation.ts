import { randomUUID } from "node:crypto";
import type { Database } from "./client.ts";

const KEY = "installation.id";

/**
 * The id of this installation: created once, shared by every panel replica. Agents' session tokens
 * name it as their audience; licenses may be bound to it.
 */
export async function installationId(db: Database): Promise<string> {
  const existing = await db.prisma.setting.findUnique({ where: { key: KEY } });
  if (typeof existing?.value === "string") return existing.value;
  // Two replicas starting together both try; the insert that loses keeps the winner's id.
  await db.prisma.setting.createMany({ data: [{ key: KEY, value: randomUUID() }], skipDuplicates: true });
  const row = await db.prisma.setting.findUniqueOrThrow({ where: { key: KEY } });
  return row.value as string;
}

import { z } from "zod";

export const ROLES = ["viewer", "operator", "admin", "owner"] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

const rank: Record<TRole, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: TRole, minimum: TRole): boolean {
  return rank[role] >= rank[minimum];
}

/** Owners manage everyone; admins manage operators and viewers. */
export function canManageRole(actor: TRole, target: TRole): boolean {
  if (actor === "owner") return true;
  return actor === "admin" && rank[target] < rank.admin;
}

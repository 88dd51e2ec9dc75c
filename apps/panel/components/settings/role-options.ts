import { canManageRole, ROLES, type TRole } from "@stratum/api/roles";
import type { SelectOption } from "@/components/ui/field";

const DESCRIPTIONS: Record<TRole, string> = {
  owner: "Owner — everything, including other owners",
  admin: "Admin — manages operators and viewers",
  operator: "Operator — runs the fleet",
  viewer: "Viewer — read only",
};

/** The roles this actor may grant, highest first. */
export function grantableRoles(actor: TRole): SelectOption[] {
  return [...ROLES]
    .reverse()
    .filter((role) => canManageRole(actor, role))
    .map((role) => ({ value: role, label: DESCRIPTIONS[role] }));
}

/** Reads a role from a select; anything unexpected becomes the least-privileged role. */
export function toRole(value: string): TRole {
  return ROLES.find((role) => role === value) ?? "viewer";
}

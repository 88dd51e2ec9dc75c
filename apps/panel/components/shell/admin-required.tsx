import { ShieldAlert } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import type { TSignedInUser } from "./session";

/** Shown instead of an admin-only page, so the page never asks the API for what it would refuse. */
export function AdminRequired({ role, what }: { role: TSignedInUser["role"]; what: string }) {
  return (
    <EmptyState icon={<ShieldAlert size={22} />} title="You need the admin role">
      <p>
        {what} is for owners and admins. You are signed in as <strong>{role}</strong>. If you need it, ask an
        owner or admin to change your role.
      </p>
    </EmptyState>
  );
}

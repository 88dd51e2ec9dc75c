"use client";

import type { AppRouter } from "@stratum/api";
import { canManageRole, ROLES, roleAtLeast } from "@stratum/api/roles";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { UserPlus } from "lucide-react";
import { useState } from "react";
import { AdminRequired } from "@/components/shell/admin-required";
import { useSignedInUser } from "@/components/shell/session";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/form";
import { type Column, Table } from "@/components/ui/table";
import { formatDate } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import { CreateUserDialog } from "./create-user-dialog";
import styles from "./settings.module.css";
import { ChangeRoleDialog, ToggleDisabledDialog } from "./user-row-dialogs";

export type TUser = inferRouterOutputs<AppRouter>["users"]["list"][number];

export function UserManagement() {
  const me = useSignedInUser();
  if (!roleAtLeast(me.role, "admin")) {
    return <AdminRequired role={me.role} what="User management" />;
  }
  return <UserDirectory />;
}

/** The row action in progress; the user stays set while its dialog animates closed. */
type PendingAction = { kind: "role" | "disable"; user: TUser; open: boolean } | undefined;

function UserDirectory() {
  const me = useSignedInUser();
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<PendingAction>();
  const closePending = () => setPending((current) => current && { ...current, open: false });

  const manageable = (user: TUser) => user.id !== me.id && canManageRole(me.role, user.role);
  const columns: Column<TUser>[] = [
    {
      id: "name",
      header: "Name",
      sortValue: (u) => u.name,
      cell: (u) => (
        <span className={styles.userName}>
          {u.name} {u.id === me.id ? <Badge>you</Badge> : null}
        </span>
      ),
    },
    { id: "email", header: "Email", sortValue: (u) => u.email, cell: (u) => u.email },
    {
      id: "role",
      header: "Role",
      sortValue: (u) => ROLES.indexOf(u.role),
      cell: (u) => <Badge tone={roleAtLeast(u.role, "admin") ? "accent" : "neutral"}>{u.role}</Badge>,
    },
    {
      id: "status",
      header: "Status",
      sortValue: (u) => (u.disabled ? 1 : 0),
      cell: (u) =>
        u.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>,
    },
    {
      id: "created",
      header: "Created",
      sortValue: (u) => u.createdAt,
      cell: (u) => <time dateTime={u.createdAt}>{formatDate(u.createdAt)}</time>,
    },
    {
      id: "actions",
      header: "Actions",
      hideHeader: true,
      align: "end",
      cell: (u) =>
        manageable(u) ? (
          <span className={styles.rowActions}>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setPending({ kind: "role", user: u, open: true })}
              aria-label={`Change role of ${u.email}`}
            >
              Change role
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setPending({ kind: "disable", user: u, open: true })}
              aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.email}`}
            >
              {u.disabled ? "Enable" : "Disable"}
            </Button>
          </span>
        ) : null,
    },
  ];

  return (
    <Card
      title="Users"
      description="Everyone who can sign in to this panel. Owners manage everyone; admins manage operators and viewers."
      actions={
        <Button variant="primary" icon={<UserPlus size={15} aria-hidden />} onClick={() => setCreating(true)}>
          Create user
        </Button>
      }
    >
      {users.error ? (
        <FormError problem={describeError(users.error)} />
      ) : (
        <Table
          label="Users"
          columns={columns}
          rows={users.data ?? []}
          rowKey={(u) => u.id}
          defaultSort={{ columnId: "role", direction: "desc" }}
          pageSize={20}
          empty={users.isPending ? "Loading users…" : "No users yet."}
        />
      )}
      <CreateUserDialog open={creating} onOpenChange={setCreating} />
      <ChangeRoleDialog
        user={pending?.kind === "role" ? pending.user : undefined}
        open={pending?.kind === "role" && pending.open}
        onClose={closePending}
      />
      <ToggleDisabledDialog
        user={pending?.kind === "disable" ? pending.user : undefined}
        open={pending?.kind === "disable" && pending.open}
        onClose={closePending}
      />
    </Card>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useSignedInUser } from "@/components/shell/session";
import { ConfirmDialog } from "@/components/ui/dialog";
import { SelectField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import { grantableRoles, toRole } from "./role-options";
import type { TUser } from "./user-management";

interface RowDialogProps {
  /** The account the dialog acts on. */
  user: TUser | undefined;
  open: boolean;
  onClose: () => void;
}

function useUpdateUser(onDone: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: async (user) => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
        onDone();
        toast({
          title: "User updated",
          description: `${user.email} is now ${user.disabled ? "disabled" : `an active ${user.role}`}.`,
          tone: "success",
        });
      },
    }),
  );
}

export function ChangeRoleDialog({ user, open, onClose }: RowDialogProps) {
  const me = useSignedInUser();
  const update = useUpdateUser(onClose);
  const [role, setRole] = useState(user?.role ?? "viewer");
  const { reset } = update;
  useEffect(() => {
    if (open && user) {
      setRole(user.role);
      reset();
    }
  }, [open, user, reset]);
  const problem = update.error ? describeError(update.error) : undefined;

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => !next && onClose()}
      title="Change role"
      description={
        user
          ? `Choose the new role for ${user.email}. They are signed out everywhere and sign in again with the new rights.`
          : ""
      }
      confirmLabel="Change role"
      pending={update.isPending}
      confirmDisabled={role === user?.role}
      problem={problem}
      onConfirm={() => user && update.mutate({ id: user.id, role })}
    >
      <SelectField
        label="New role"
        options={grantableRoles(me.role)}
        value={role}
        onChange={(event) => setRole(toRole(event.target.value))}
        error={problem?.fieldErrors.role}
      />
    </ConfirmDialog>
  );
}

export function ToggleDisabledDialog({ user, open, onClose }: RowDialogProps) {
  const update = useUpdateUser(onClose);
  const { reset } = update;
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  const disabling = user ? !user.disabled : true;

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => !next && onClose()}
      title={disabling ? "Disable account" : "Enable account"}
      description={
        user
          ? disabling
            ? `${user.email} will be signed out everywhere and cannot sign in until the account is enabled again. Their audit history stays.`
            : `${user.email} will be able to sign in again as ${user.role}.`
          : ""
      }
      confirmLabel={disabling ? "Disable account" : "Enable account"}
      tone={disabling ? "danger" : "primary"}
      pending={update.isPending}
      problem={update.error ? describeError(update.error) : undefined}
      onConfirm={() => user && update.mutate({ id: user.id, disabled: disabling })}
    />
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PASSWORD_RULE_HINT } from "@/components/auth/password-rule";
import { useSignedInUser } from "@/components/shell/session";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { Form, FormActions, FormError, formText } from "@/components/ui/form";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import { grantableRoles, toRole } from "./role-options";

export function CreateUserDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const me = useSignedInUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (user) => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
        onOpenChange(false);
        toast({
          title: "User created",
          description: `${user.email} can now sign in as ${user.role}.`,
          tone: "success",
        });
      },
    }),
  );
  const problem = create.error ? describeError(create.error) : undefined;
  const roles = grantableRoles(me.role);

  const changeOpen = (next: boolean) => {
    if (create.isPending) return;
    if (next) create.reset();
    onOpenChange(next);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={changeOpen}
      title="Create user"
      description="Share the initial password with them through a safe channel; they can change it under Settings."
    >
      <Form
        problem={problem}
        onSubmit={(data) =>
          create.mutate({
            name: formText(data, "name"),
            email: formText(data, "email"),
            role: toRole(formText(data, "role")),
            password: formText(data, "password"),
          })
        }
      >
        <FormError problem={problem} />
        <TextField label="Name" name="name" autoComplete="off" error={problem?.fieldErrors.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          error={problem?.fieldErrors.email}
        />
        <SelectField
          label="Role"
          name="role"
          options={roles}
          defaultValue="operator"
          error={problem?.fieldErrors.role}
        />
        <TextField
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          description={PASSWORD_RULE_HINT}
          error={problem?.fieldErrors.password}
        />
        <FormActions>
          <Button onClick={() => changeOpen(false)} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={create.isPending}>
            Create user
          </Button>
        </FormActions>
      </Form>
    </Dialog>
  );
}

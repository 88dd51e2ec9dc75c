"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { PASSWORD_RULE_HINT } from "@/components/auth/password-rule";
import { useSignedInUser } from "@/components/shell/session";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { Form, FormActions, FormError, formText } from "@/components/ui/form";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./settings.module.css";

export function AccountSettings() {
  const user = useSignedInUser();
  const trpc = useTRPC();
  const toast = useToast();
  // Remounting the form clears the password fields after a successful change.
  const [formGeneration, setFormGeneration] = useState(0);
  const changePassword = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setFormGeneration((n) => n + 1);
        toast({
          title: "Password changed",
          description: "Your other sessions were signed out.",
          tone: "success",
        });
      },
    }),
  );
  const problem = changePassword.error ? describeError(changePassword.error) : undefined;

  return (
    <div className={styles.stack}>
      <Card title="Your account">
        <dl className={styles.facts}>
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>
            <Badge tone="accent">{user.role}</Badge>
          </dd>
        </dl>
      </Card>
      <Card title="Change password" description="Changing it signs you out everywhere else.">
        <Form
          key={formGeneration}
          className={styles.narrowForm}
          problem={problem}
          onSubmit={(data) =>
            changePassword.mutate({
              currentPassword: formText(data, "currentPassword"),
              newPassword: formText(data, "newPassword"),
            })
          }
        >
          <FormError problem={problem} />
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={problem?.fieldErrors.currentPassword}
          />
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            description={PASSWORD_RULE_HINT}
            error={problem?.fieldErrors.newPassword}
          />
          <FormActions>
            <Button type="submit" variant="primary" loading={changePassword.isPending}>
              Change password
            </Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

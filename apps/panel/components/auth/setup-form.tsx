"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { Form, FormError, formText } from "@/components/ui/form";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import { PASSWORD_RULE_HINT } from "./password-rule";

export function SetupForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const setup = useQuery(trpc.setup.state.queryOptions());

  useEffect(() => {
    if (setup.data?.needsSetup === false) router.replace("/login");
  }, [setup.data, router]);

  const complete = useMutation(
    trpc.setup.complete.mutationOptions({
      onSuccess: async () => {
        queryClient.setQueryData(trpc.setup.state.queryKey(), { needsSetup: false });
        await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        router.replace("/");
      },
    }),
  );
  const problem = complete.error ? describeError(complete.error) : undefined;

  return (
    <Card
      headingLevel={1}
      title="Set up Stratum"
      description="Create the owner account of this installation. The owner can then invite everyone else."
    >
      <Form
        problem={problem}
        onSubmit={(data) =>
          complete.mutate({
            code: formText(data, "code"),
            email: formText(data, "email"),
            name: formText(data, "name"),
            password: formText(data, "password"),
          })
        }
      >
        <FormError problem={problem} />
        <TextField
          label="Setup code"
          name="code"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          placeholder="XXXX-XXXX-XXXX"
          description="Printed in the panel's log when it started. It proves you run this server."
          error={problem?.fieldErrors.code}
        />
        <TextField label="Your name" name="name" autoComplete="name" error={problem?.fieldErrors.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          error={problem?.fieldErrors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          description={PASSWORD_RULE_HINT}
          error={problem?.fieldErrors.password}
        />
        <Button type="submit" variant="primary" loading={complete.isPending}>
          Create owner account
        </Button>
      </Form>
    </Card>
  );
}

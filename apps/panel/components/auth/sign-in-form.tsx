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

export function SignInForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const setup = useQuery(trpc.setup.state.queryOptions());
  const me = useQuery(trpc.auth.me.queryOptions());

  useEffect(() => {
    if (setup.data?.needsSetup) router.replace("/setup");
    else if (me.data) router.replace("/");
  }, [setup.data, me.data, router]);

  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        router.replace("/");
      },
    }),
  );
  const problem = signIn.error ? describeError(signIn.error) : undefined;

  return (
    <Card headingLevel={1} title="Sign in" description="Use the account an owner or admin created for you.">
      <Form
        problem={problem}
        onSubmit={(data) =>
          signIn.mutate({ email: formText(data, "email"), password: formText(data, "password") })
        }
      >
        <FormError problem={problem} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          error={problem?.fieldErrors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          error={problem?.fieldErrors.password}
        />
        <Button type="submit" variant="primary" loading={signIn.isPending}>
          Sign in
        </Button>
      </Form>
    </Card>
  );
}

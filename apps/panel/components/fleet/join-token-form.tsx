"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { Form, FormActions, FormError, formText } from "@/components/ui/form";
import { type JoinTokenFormInput, MAX_TOKEN_HOURS, parseJoinTokenForm } from "@/lib/join-token-form";
import { useTRPC } from "@/lib/trpc";
import { describeError, type Problem } from "@/lib/trpc-errors";
import type { TCreatedJoinToken } from "./enroll-nodes";
import styles from "./fleet.module.css";

const MODE_OPTIONS = [
  { value: "compute", label: "compute — runs workloads" },
  { value: "gateway", label: "gateway — routes traffic in and out" },
];

export function JoinTokenForm({ onCreated }: { onCreated: (created: TCreatedJoinToken) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [localProblem, setLocalProblem] = useState<Problem>();
  // Remounting the form clears it once the token it made is on screen.
  const [generation, setGeneration] = useState(0);
  const create = useMutation(
    trpc.joinTokens.create.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.joinTokens.list.queryKey() });
        onCreated(created);
        setGeneration((n) => n + 1);
      },
    }),
  );
  const problem = localProblem ?? (create.error ? describeError(create.error) : undefined);

  const submit = (data: FormData) => {
    const fields: JoinTokenFormInput = {
      description: formText(data, "description"),
      mode: formText(data, "mode"),
      labels: formText(data, "labels"),
      maxUses: formText(data, "maxUses"),
      expiresInHours: formText(data, "expiresInHours"),
    };
    const result = parseJoinTokenForm(fields);
    if (!result.ok) {
      create.reset();
      setLocalProblem({
        message: "Check the highlighted fields.",
        fieldErrors: result.fieldErrors,
        appCode: undefined,
      });
      return;
    }
    setLocalProblem(undefined);
    create.mutate(result.request);
  };

  return (
    <Form key={generation} problem={problem} onSubmit={submit} aria-label="New join token">
      <FormError problem={problem} />
      <TextField
        label="Description"
        name="description"
        placeholder="Rack 12, batch of May"
        autoComplete="off"
        error={problem?.fieldErrors.description}
      />
      <SelectField
        label="Mode"
        name="mode"
        options={MODE_OPTIONS}
        defaultValue="compute"
        error={problem?.fieldErrors.mode}
      />
      <TextAreaField
        label="Labels"
        name="labels"
        rows={3}
        placeholder={"rack=r12\nzone=eu-1"}
        description="One key=value per line; every node enrolled with this token carries them."
        error={problem?.fieldErrors.labels}
      />
      <div className={styles.fieldRow}>
        <TextField
          label="Maximum uses"
          name="maxUses"
          type="number"
          inputMode="numeric"
          min={1}
          defaultValue={1}
          description="How many servers may enroll with it."
          error={problem?.fieldErrors.maxUses}
        />
        <TextField
          label="Expires after (hours)"
          name="expiresInHours"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_TOKEN_HOURS}
          defaultValue={24}
          description={`At most ${MAX_TOKEN_HOURS} hours (30 days).`}
          error={problem?.fieldErrors.expiresInHours}
        />
      </div>
      <FormActions>
        <Button type="submit" variant="primary" loading={create.isPending}>
          Create join token
        </Button>
      </FormActions>
    </Form>
  );
}

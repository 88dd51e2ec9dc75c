"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ConfirmDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";

interface RevokeNodeDialogProps {
  node: { id: string; name: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function RevokeNodeDialog({ node, open, onOpenChange }: RevokeNodeDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [reason, setReason] = useState("");
  const revoke = useMutation(
    trpc.nodes.revoke.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.nodes.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.fleet.pathKey() }),
        ]);
        onOpenChange(false);
        toast({
          title: "Node revoked",
          description: `${node.name} was disconnected and its key no longer works.`,
          tone: "success",
        });
      },
    }),
  );
  const { reset } = revoke;
  useEffect(() => {
    if (open) {
      setReason("");
      reset();
    }
  }, [open, reset]);
  const problem = revoke.error ? describeError(revoke.error) : undefined;

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Revoke node"
      description={`${node.name} is disconnected at once and its key stops working. To bring the server back, enroll it again with a new join token.`}
      confirmLabel="Revoke node"
      tone="danger"
      pending={revoke.isPending}
      problem={problem}
      onConfirm={() => revoke.mutate({ id: node.id, reason })}
    >
      <TextField
        label="Reason"
        placeholder="Decommissioned, disk replaced, key may be compromised…"
        description="Kept in the node's history and the audit log."
        value={reason}
        maxLength={500}
        error={problem?.fieldErrors.reason}
        onChange={(event) => setReason(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !revoke.isPending) revoke.mutate({ id: node.id, reason });
        }}
      />
    </ConfirmDialog>
  );
}

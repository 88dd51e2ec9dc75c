"use client";

import type { AppRouter } from "@stratum/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form";
import { type Column, Table } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./fleet.module.css";
import { DemoBadge, LabelList } from "./node-badges";
import { RelativeTime } from "./relative-time";

type TJoinToken = inferRouterOutputs<AppRouter>["joinTokens"]["list"][number];

const STATE_TONES: Record<TJoinToken["state"], BadgeTone> = {
  active: "success",
  expired: "neutral",
  used: "neutral",
  revoked: "danger",
};

export function JoinTokenList() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.joinTokens.list.queryOptions());
  const [revoking, setRevoking] = useState<{ token: TJoinToken; open: boolean }>();

  const columns: Column<TJoinToken>[] = [
    {
      id: "description",
      header: "Description",
      sortValue: (t) => t.description,
      cell: (t) => (
        <span className={styles.nodeName}>
          {t.description}
          {t.demo ? <DemoBadge /> : null}
        </span>
      ),
    },
    { id: "mode", header: "Mode", sortValue: (t) => t.mode, cell: (t) => t.mode },
    { id: "labels", header: "Labels", cell: (t) => <LabelList labels={t.labels} /> },
    {
      id: "uses",
      header: "Uses",
      align: "end",
      sortValue: (t) => t.uses,
      cell: (t) => `${t.uses} / ${t.maxUses}`,
    },
    {
      id: "state",
      header: "State",
      sortValue: (t) => t.state,
      cell: (t) => <Badge tone={STATE_TONES[t.state]}>{t.state}</Badge>,
    },
    {
      id: "expiresAt",
      header: "Expires",
      sortValue: (t) => t.expiresAt,
      cell: (t) => <RelativeTime iso={t.expiresAt} />,
    },
    {
      id: "actions",
      header: "Actions",
      hideHeader: true,
      align: "end",
      cell: (t) =>
        t.state === "active" ? (
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Revoke join token ${t.description}`}
            onClick={() => setRevoking({ token: t, open: true })}
          >
            Revoke
          </Button>
        ) : null,
    },
  ];

  if (tokens.error) return <FormError problem={describeError(tokens.error)} />;
  return (
    <>
      <Table
        label="Join tokens"
        columns={columns}
        rows={tokens.data ?? []}
        rowKey={(t) => t.id}
        pageSize={20}
        empty={tokens.isPending ? "Loading join tokens…" : "No join tokens yet."}
      />
      <RevokeTokenDialog
        token={revoking?.token}
        open={revoking?.open ?? false}
        onClose={() => setRevoking((current) => current && { ...current, open: false })}
      />
    </>
  );
}

function RevokeTokenDialog({
  token,
  open,
  onClose,
}: {
  token: TJoinToken | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation(
    trpc.joinTokens.revoke.mutationOptions({
      onSuccess: async (revoked) => {
        await queryClient.invalidateQueries({ queryKey: trpc.joinTokens.list.queryKey() });
        onClose();
        toast({
          title: "Join token revoked",
          description: `“${revoked.description}” can no longer enroll nodes.`,
          tone: "success",
        });
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        if (next) return;
        revoke.reset();
        onClose();
      }}
      title="Revoke join token"
      description={
        token
          ? `“${token.description}” will stop enrolling servers. The ${token.uses} node${token.uses === 1 ? "" : "s"} already enrolled with it stay enrolled.`
          : ""
      }
      confirmLabel="Revoke token"
      tone="danger"
      pending={revoke.isPending}
      problem={revoke.error ? describeError(revoke.error) : undefined}
      onConfirm={() => token && revoke.mutate({ id: token.id })}
    />
  );
}

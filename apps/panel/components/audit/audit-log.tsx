"use client";

import type { AppRouter } from "@stratum/api";
import { roleAtLeast } from "@stratum/api/roles";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { AdminRequired } from "@/components/shell/admin-required";
import { useSignedInUser } from "@/components/shell/session";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { type Column, Table } from "@/components/ui/table";
import type { AuditFilter } from "@/lib/audit-filter";
import { summaryEntries } from "@/lib/audit-summary";
import { formatDate, formatTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./audit.module.css";
import { AuditFilters } from "./audit-filters";

type TAuditEvent = inferRouterOutputs<AppRouter>["audit"]["list"]["items"][number];

const PAGE_SIZE = 50;

const COLUMNS: Column<TAuditEvent>[] = [
  {
    id: "at",
    header: "Time",
    cell: (e) => (
      <time dateTime={e.at} className={styles.when}>
        <span>{formatTime(e.at)}</span>
        <span className={styles.muted}>{formatDate(e.at)}</span>
      </time>
    ),
  },
  { id: "actor", header: "Actor", cell: (e) => e.actorEmail ?? <span className={styles.muted}>system</span> },
  { id: "action", header: "Action", cell: (e) => <code className={styles.action}>{e.action}</code> },
  {
    id: "target",
    header: "Target",
    cell: (e) => (
      <span className={styles.target}>
        {e.targetType}
        {e.targetId ? (
          <code className={styles.targetId} title={e.targetId}>
            {e.targetId}
          </code>
        ) : null}
      </span>
    ),
  },
  { id: "source", header: "Source", cell: (e) => e.sourceIp ?? <span className={styles.muted}>—</span> },
  { id: "summary", header: "Details", cell: (e) => <Summary summary={e.summary} /> },
];

export function AuditLog() {
  const me = useSignedInUser();
  const isAdmin = roleAtLeast(me.role, "admin");
  return (
    <>
      <PageHeader
        title="Audit"
        description="Every change made through the panel: who did it, from where, when, and what changed. Events are never edited or removed."
        actions={isAdmin ? <LiveStatus /> : undefined}
      />
      {isAdmin ? <AuditEvents /> : <AdminRequired role={me.role} what="The audit log" />}
    </>
  );
}

function AuditEvents() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<AuditFilter>({});
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...filter, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(filter).length > 0;

  return (
    <div className={styles.stack}>
      <AuditFilters onApply={setFilter} />
      {events.error ? (
        <FormError problem={describeError(events.error)} />
      ) : (
        <Table
          label="Audit events"
          columns={COLUMNS}
          rows={rows}
          rowKey={(e) => e.id}
          empty={
            events.isPending
              ? "Loading events…"
              : filtered
                ? "No events match these filters."
                : "No events recorded yet."
          }
          footer={
            rows.length > 0 ? (
              <>
                <span className={styles.count}>
                  {rows.length} event{rows.length === 1 ? "" : "s"}, newest first
                </span>
                {events.hasNextPage ? (
                  <Button
                    size="sm"
                    loading={events.isFetchingNextPage}
                    onClick={() => void events.fetchNextPage()}
                  >
                    Load more
                  </Button>
                ) : (
                  <span className={styles.muted}>That is all of them.</span>
                )}
              </>
            ) : undefined
          }
        />
      )}
    </div>
  );
}

/** Keeps every loaded page current: each new event re-reads the list with the current filters. */
function LiveStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useSubscription(
    trpc.audit.live.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() }),
    }),
  );
  if (live.status === "pending") return <Badge tone="success">Live</Badge>;
  if (live.status === "error") return <Badge tone="danger">Live updates stopped; reload the page</Badge>;
  return <Badge tone="warning">Connecting…</Badge>;
}

function Summary({ summary }: { summary: Record<string, unknown> }) {
  const entries = summaryEntries(summary);
  if (entries.length === 0) return <span className={styles.muted}>—</span>;
  return (
    <dl className={styles.summary}>
      {entries.map(({ key, value }) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

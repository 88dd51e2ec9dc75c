"use client";

import type { AppRouter } from "@stratum/api";
import { roleAtLeast } from "@stratum/api/roles";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { ChevronLeft, ChevronRight, Plus } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useSignedInUser } from "@/components/shell/session";
import { Button, ButtonLink } from "@/components/ui/button";
import { FormError } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { type Column, Table } from "@/components/ui/table";
import {
  NODE_SORTS,
  type NodeListQuery,
  readNodeListQuery,
  updateNodeListQuery,
  writeNodeListQuery,
} from "@/lib/node-list-query";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./fleet.module.css";
import { FleetLiveStatus } from "./fleet-live";
import { DemoBadge, LabelList, NodeStateBadge } from "./node-badges";
import { NodeFilters } from "./node-filters";
import { RelativeTime } from "./relative-time";

type TNodeRow = inferRouterOutputs<AppRouter>["nodes"]["list"]["items"][number];

const PAGE_SIZE = 50;
const count = new Intl.NumberFormat();

/** In server mode the table only needs to know which columns sort; the API does the ordering. */
const sortable = () => undefined;

const COLUMNS: Column<TNodeRow>[] = [
  {
    id: "name",
    header: "Name",
    sortValue: sortable,
    cell: (n) => (
      <span className={styles.nodeName}>
        <Link href={`/nodes/${n.id}`}>{n.name}</Link>
        {n.demo ? <DemoBadge /> : null}
      </span>
    ),
  },
  { id: "mode", header: "Mode", sortValue: sortable, cell: (n) => n.mode },
  { id: "state", header: "State", cell: (n) => <NodeStateBadge state={n.state} /> },
  {
    id: "agentVersion",
    header: "Agent version",
    sortValue: sortable,
    cell: (n) => n.agentVersion ?? <span className={styles.muted}>unknown</span>,
  },
  {
    id: "lastSeenAt",
    header: "Last seen",
    sortValue: sortable,
    cell: (n) => <RelativeTime iso={n.lastSeenAt} />,
  },
  {
    id: "generationLag",
    header: "Generation lag",
    align: "end",
    cell: (n) => (
      <span
        className={n.generationLag > 0 ? styles.lagging : styles.muted}
        title={`desired ${n.desiredGeneration}, observed ${n.observedGeneration}`}
      >
        {n.generationLag}
      </span>
    ),
  },
  { id: "labels", header: "Labels", cell: (n) => <LabelList labels={n.labels} /> },
  {
    id: "enrolledAt",
    header: "Enrolled",
    sortValue: sortable,
    cell: (n) => <RelativeTime iso={n.enrolledAt} />,
  },
];

export function NodeList() {
  const me = useSignedInUser();
  return (
    <>
      <PageHeader
        title="Nodes"
        description="The servers in your fleet and the agents running on them."
        actions={
          <>
            <FleetLiveStatus />
            {roleAtLeast(me.role, "admin") ? (
              <ButtonLink href="/nodes/enroll" variant="primary" icon={<Plus size={15} aria-hidden />}>
                Enroll nodes
              </ButtonLink>
            ) : null}
          </>
        }
      />
      <NodeTable />
    </>
  );
}

function NodeTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const query = readNodeListQuery(useSearchParams());
  const nodes = useQuery({
    ...trpc.nodes.list.queryOptions({
      page: query.page,
      pageSize: PAGE_SIZE,
      sort: query.sort,
      direction: query.direction,
      ...(query.search ? { search: query.search } : {}),
      ...(query.mode ? { mode: query.mode } : {}),
      ...(query.state ? { state: query.state } : {}),
      ...(query.label ? { label: query.label } : {}),
    }),
    // The previous page stays on screen while the next loads, so paging does not flash empty.
    placeholderData: keepPreviousData,
  });

  /** Typing replaces the history entry; deliberate changes (page, sort, a select) add one. */
  const navigate = (change: Partial<NodeListQuery>, history: "push" | "replace" = "push") => {
    const next = `${pathname}${writeNodeListQuery(updateNodeListQuery(query, change))}`;
    if (history === "push") router.push(next, { scroll: false });
    else router.replace(next, { scroll: false });
  };

  const filtered = Boolean(query.search || query.mode || query.state || query.label);
  const total = nodes.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = (query.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(query.page * PAGE_SIZE, total);

  return (
    <div className={styles.stack}>
      <NodeFilters query={query} onChange={navigate} />
      {nodes.error ? (
        <FormError problem={describeError(nodes.error)} />
      ) : (
        <Table
          label="Nodes"
          columns={COLUMNS}
          rows={nodes.data?.items ?? []}
          rowKey={(n) => n.id}
          sort={{ columnId: query.sort, direction: query.direction }}
          onSortChange={(sort) => {
            const field = NODE_SORTS.find((s) => s === sort.columnId);
            if (field) navigate({ sort: field, direction: sort.direction });
          }}
          empty={
            nodes.isPending
              ? "Loading nodes…"
              : total > 0
                ? "This page is past the last node."
                : filtered
                  ? "No nodes match these filters."
                  : "No nodes enrolled yet."
          }
          footer={
            total > 0 ? (
              <nav className={styles.pager} aria-label="Node list pages">
                <span className={styles.pagerCount}>
                  {first <= last ? `${count.format(first)}–${count.format(last)} of ` : ""}
                  {count.format(total)} node{total === 1 ? "" : "s"}
                  {nodes.isPlaceholderData ? " · loading…" : ""}
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<ChevronLeft size={15} aria-hidden />}
                  disabled={query.page <= 1}
                  onClick={() => navigate({ page: Math.min(query.page - 1, pageCount) })}
                >
                  Previous
                </Button>
                <span>
                  Page {count.format(query.page)} of {count.format(pageCount)}
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={query.page >= pageCount}
                  onClick={() => navigate({ page: query.page + 1 })}
                >
                  Next
                  <ChevronRight size={15} aria-hidden />
                </Button>
              </nav>
            ) : undefined
          }
        />
      )}
    </div>
  );
}

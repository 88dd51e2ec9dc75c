"use client";

import type { AppRouter } from "@stratum/api";
import { roleAtLeast } from "@stratum/api/roles";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { ArrowLeft, Ban, OctagonAlert, ServerOff } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { type ReactNode, useState } from "react";
import { useSignedInUser } from "@/components/shell/session";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { type Column, Table } from "@/components/ui/table";
import { formatBytes, formatDate, formatTime } from "@/lib/format";
import { describeNodeEvent } from "@/lib/node-events";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./fleet.module.css";
import { FleetLiveStatus } from "./fleet-live";
import { DemoBadge, LabelList, NodeStateBadge } from "./node-badges";
import { RelativeTime } from "./relative-time";
import { RevokeNodeDialog } from "./revoke-node-dialog";

type TNodeDetail = inferRouterOutputs<AppRouter>["nodes"]["get"];
type TCondition = TNodeDetail["conditions"][number];
type TInterface = NonNullable<TNodeDetail["facts"]["interfaces"]>[number];
type TNodeEvent = TNodeDetail["events"][number];

const CONDITION_TONES = { True: "success", False: "danger", Unknown: "warning" } as const;

function Timestamp({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} className={styles.when}>
      <span>{formatTime(iso)}</span>
      <span className={styles.muted}>{formatDate(iso)}</span>
    </time>
  );
}

const CONDITION_COLUMNS: Column<TCondition>[] = [
  { id: "type", header: "Condition", sortValue: (c) => c.type, cell: (c) => <code>{c.type}</code> },
  {
    id: "status",
    header: "Status",
    sortValue: (c) => c.status,
    cell: (c) => <Badge tone={CONDITION_TONES[c.status]}>{c.status}</Badge>,
  },
  { id: "reason", header: "Reason", cell: (c) => c.reason || <span className={styles.muted}>—</span> },
  { id: "message", header: "Message", cell: (c) => c.message || <span className={styles.muted}>—</span> },
  {
    id: "lastTransition",
    header: "Since",
    sortValue: (c) => c.lastTransition,
    cell: (c) => <RelativeTime iso={c.lastTransition} />,
  },
];

const INTERFACE_COLUMNS: Column<TInterface>[] = [
  { id: "name", header: "Interface", sortValue: (i) => i.name, cell: (i) => <code>{i.name}</code> },
  { id: "mac", header: "MAC", cell: (i) => <code>{i.mac}</code> },
  {
    id: "addresses",
    header: "Addresses",
    cell: (i) =>
      i.addresses.length > 0 ? (
        <span className={styles.addresses}>
          {i.addresses.map((a) => (
            <code key={a}>{a}</code>
          ))}
        </span>
      ) : (
        <span className={styles.muted}>none</span>
      ),
  },
];

const EVENT_COLUMNS: Column<TNodeEvent>[] = [
  { id: "at", header: "Time", cell: (e) => <Timestamp iso={e.at} /> },
  {
    id: "kind",
    header: "Event",
    cell: (e) => {
      const text = describeNodeEvent(e.kind, e.detail);
      return <Badge tone={text.tone}>{text.title}</Badge>;
    },
  },
  {
    id: "detail",
    header: "Details",
    cell: (e) => describeNodeEvent(e.kind, e.detail).detail ?? <span className={styles.muted}>—</span>,
  },
];

export function NodeDetail() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const node = useQuery(trpc.nodes.get.queryOptions({ id }));
  const backLink = (
    <Link href="/nodes" className={styles.backLink}>
      <ArrowLeft size={14} aria-hidden />
      All nodes
    </Link>
  );

  if (node.error) {
    const problem = describeError(node.error);
    if (problem.appCode === "NOT_FOUND" || problem.appCode === "BAD_INPUT") {
      return (
        <EmptyState
          headingLevel={1}
          icon={<ServerOff size={22} />}
          title="No such node"
          action={<ButtonLink href="/nodes">Go to the node list</ButtonLink>}
        >
          <p>This link does not point at an enrolled node. It may have been mistyped or the node removed.</p>
        </EmptyState>
      );
    }
    return (
      <>
        {backLink}
        <FormError problem={problem} />
      </>
    );
  }
  if (!node.data) return <p className={styles.muted}>Loading the node…</p>;
  return (
    <>
      {backLink}
      <NodeView node={node.data} />
    </>
  );
}

function NodeView({ node }: { node: TNodeDetail }) {
  const me = useSignedInUser();
  const [revoking, setRevoking] = useState(false);
  const canRevoke = roleAtLeast(me.role, "admin");

  return (
    <>
      <PageHeader
        title={node.name}
        description={
          <span className={styles.headerBadges}>
            <NodeStateBadge state={node.state} />
            {node.demo ? <DemoBadge /> : null}
            <span>
              {node.mode} node on {node.hostname}
            </span>
          </span>
        }
        actions={
          <>
            <FleetLiveStatus />
            {node.state === "revoked" ? null : (
              <RevokeAction canRevoke={canRevoke} role={me.role} onRevoke={() => setRevoking(true)} />
            )}
          </>
        }
      />
      <div className={styles.stack}>
        {node.revokedAt ? (
          <p role="status" className={`${styles.notice} ${styles.danger}`}>
            <Ban size={16} aria-hidden />
            <span>
              Revoked <RelativeTime iso={node.revokedAt} />. The hub refuses this node's key; enroll the
              server again with a new join token to bring it back.
            </span>
          </p>
        ) : null}
        {node.lastRejection ? (
          <div role="alert" className={`${styles.notice} ${styles.danger}`}>
            <OctagonAlert size={16} aria-hidden />
            <span>
              <strong>The hub last refused this node:</strong> {node.lastRejection}
            </span>
          </div>
        ) : null}
        <div className={styles.detailGrid}>
          <Card title="Connection">
            <Facts
              entries={[
                ["State", <NodeStateBadge key="state" state={node.state} />],
                ["Last seen", <RelativeTime key="seen" iso={node.lastSeenAt} />],
                ["Connected", node.connectedAt ? <RelativeTime iso={node.connectedAt} /> : "not connected"],
                ["Disconnected", node.disconnectedAt ? <RelativeTime iso={node.disconnectedAt} /> : "—"],
                ["Agent version", node.agentVersion ?? "unknown"],
                ["Health", node.health ?? "not reported"],
                ["Cluster role", node.clusterRole ?? "not reported"],
              ]}
            />
          </Card>
          <Card title="Facts" description="What the agent reported when it enrolled.">
            <Facts
              entries={[
                ["Hostname", node.hostname],
                ["Mode", node.mode],
                ["CPUs", node.facts.cpus ?? "unknown"],
                [
                  "Memory",
                  node.facts.memoryBytes === undefined ? "unknown" : formatBytes(node.facts.memoryBytes),
                ],
                ["Kernel", node.facts.kernel ? <code>{node.facts.kernel}</code> : "unknown"],
                ["Enrolled", <Timestamp key="enrolled" iso={node.enrolledAt} />],
                ["Labels", <LabelList key="labels" labels={node.labels} />],
              ]}
            />
          </Card>
          <Card
            title="Generations"
            description="Desired state the panel pushed, and what the agent converged to."
          >
            <Facts
              entries={[
                ["Desired", node.desiredGeneration],
                ["Observed", node.observedGeneration],
                [
                  "Lag",
                  <span key="lag" className={node.generationLag > 0 ? styles.lagging : undefined}>
                    {node.generationLag === 0 ? "0 — up to date" : node.generationLag}
                  </span>,
                ],
              ]}
            />
          </Card>
          <Card title="Capacity" description="From the agent's last status report.">
            {node.capacity ? (
              <Facts entries={Object.entries(node.capacity).map(capacityEntry)} />
            ) : (
              <p className={styles.muted}>Not reported yet.</p>
            )}
          </Card>
        </div>
        <Card
          title="Conditions"
          description="Each subsystem's state; True is the healthy state for every condition."
        >
          <Table
            label="Conditions"
            columns={CONDITION_COLUMNS}
            rows={node.conditions}
            rowKey={(c) => c.type}
            empty="The agent has not reported conditions yet."
          />
        </Card>
        <Card title="Network interfaces">
          <Table
            label="Network interfaces"
            columns={INTERFACE_COLUMNS}
            rows={node.facts.interfaces ?? []}
            rowKey={(i) => i.name}
            empty="The agent reported no interfaces."
          />
        </Card>
        <Card title="Connection history" description="The last 50 events, newest first.">
          <Table
            label="Connection history"
            columns={EVENT_COLUMNS}
            rows={node.events}
            rowKey={(e) => e.id}
            empty="No events yet."
          />
        </Card>
      </div>
      <RevokeNodeDialog node={node} open={revoking} onOpenChange={setRevoking} />
    </>
  );
}

function RevokeAction({
  canRevoke,
  role,
  onRevoke,
}: {
  canRevoke: boolean;
  role: string;
  onRevoke: () => void;
}) {
  if (canRevoke)
    return (
      <Button variant="danger" icon={<Ban size={15} aria-hidden />} onClick={onRevoke}>
        Revoke
      </Button>
    );
  return (
    <span className={styles.disabledAction}>
      <Button variant="danger" disabled aria-describedby="revoke-needs-admin">
        Revoke
      </Button>
      <span id="revoke-needs-admin" className={styles.muted}>
        Revoking needs the admin role; you are {role}.
      </span>
    </span>
  );
}

const CAPACITY_NAMES: Partial<Record<string, string>> = {
  cpus: "CPUs",
  memoryBytes: "Memory",
  memoryAvailableBytes: "Memory available",
  endpoints: "Endpoints",
};

/** Byte counts are named …Bytes by the agent; everything else is a plain count. */
function capacityEntry([key, value]: [string, number]): [string, string] {
  const text = key.endsWith("Bytes") ? formatBytes(value) : new Intl.NumberFormat().format(value);
  return [CAPACITY_NAMES[key] ?? key, text];
}

function Facts({ entries }: { entries: [string, ReactNode][] }) {
  return (
    <dl className={styles.facts}>
      {entries.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

"use client";

import type { AppRouter } from "@stratum/api";
import { roleAtLeast } from "@stratum/api/roles";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Info, Server } from "lucide-react";
import Link from "next/link";
import { useSignedInUser } from "@/components/shell/session";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { describeNodeEvent } from "@/lib/node-events";
import {
  DEFAULT_NODE_LIST_QUERY,
  NODE_STATES,
  type NodeListQuery,
  writeNodeListQuery,
} from "@/lib/node-list-query";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./fleet.module.css";
import { FleetLiveStatus } from "./fleet-live";
import { RelativeTime } from "./relative-time";
import { VersionChart } from "./version-chart";

type TFleetSummary = inferRouterOutputs<AppRouter>["fleet"]["summary"];
type TModeCounts = TFleetSummary["byMode"][number];

function nodesLink(filter: Partial<NodeListQuery>): string {
  return `/nodes${writeNodeListQuery({ ...DEFAULT_NODE_LIST_QUERY, ...filter })}`;
}

export function Dashboard() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.fleet.summary.queryOptions());
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Your fleet at a glance: which nodes are connected, which agent versions run, and what changed last."
        actions={<FleetLiveStatus />}
      />
      {summary.error ? (
        <FormError problem={describeError(summary.error)} />
      ) : summary.data ? (
        <FleetOverview summary={summary.data} />
      ) : (
        <p className={styles.muted}>Loading the fleet…</p>
      )}
    </>
  );
}

function FleetOverview({ summary }: { summary: TFleetSummary }) {
  const isAdmin = roleAtLeast(useSignedInUser().role, "admin");
  const totalNodes = summary.byMode.reduce((sum, m) => sum + m.online + m.offline + m.revoked, 0);
  if (totalNodes === 0) {
    return (
      <EmptyState
        icon={<Server size={22} />}
        title="No nodes yet"
        action={
          isAdmin ? (
            <ButtonLink href="/nodes/enroll" variant="primary">
              Enroll your first node
            </ButtonLink>
          ) : undefined
        }
      >
        <p>
          No servers have joined this panel yet. Create a join token, then run the install command it gives on
          each server.
        </p>
        {isAdmin ? null : <p>Creating join tokens needs the admin role; ask an owner or admin.</p>}
      </EmptyState>
    );
  }
  return (
    <div className={styles.stack}>
      {summary.demoNodes > 0 ? (
        <p className={styles.notice}>
          <Info size={16} aria-hidden />
          <span>
            {summary.demoNodes} demo node{summary.demoNodes === 1 ? "" : "s"} from npm start — simulated
            agents that run the real agent code with a fake data plane. Set STRATUM_DEMO_AGENTS=0 to start
            without them.
          </span>
        </p>
      ) : null}
      <div className={styles.modeGrid}>
        {summary.byMode.map((counts) => (
          <ModeCard key={counts.mode} counts={counts} />
        ))}
      </div>
      <div className={styles.twoColumns}>
        <Card
          title="Agent versions"
          description="Nodes not revoked, by the agent version they last reported."
        >
          <VersionChart versions={summary.versions} />
        </Card>
        <Card
          title="Recent fleet events"
          description="Enrollments, connections and rejections, newest first."
        >
          <RecentEvents events={summary.recentEvents} />
        </Card>
      </div>
    </div>
  );
}

function ModeCard({ counts }: { counts: TModeCounts }) {
  const title = counts.mode === "compute" ? "Compute nodes" : "Gateway nodes";
  return (
    <Card title={title}>
      <dl className={styles.counts}>
        {NODE_STATES.map((state) => (
          <div key={state} className={styles[state]}>
            <dt>{state}</dt>
            <dd>
              <Link
                href={nodesLink({ mode: counts.mode, state })}
                aria-label={`${counts[state]} ${state} ${counts.mode} nodes`}
              >
                {counts[state]}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function RecentEvents({ events }: { events: TFleetSummary["recentEvents"] }) {
  if (events.length === 0) return <p className={styles.muted}>No events yet.</p>;
  return (
    <ol className={styles.events} aria-label="Recent fleet events">
      {events.map((event) => {
        const text = describeNodeEvent(event.kind, event.detail);
        return (
          <li key={event.id}>
            <span className={styles.eventKind}>
              <Badge tone={text.tone}>{text.title}</Badge>
            </span>
            <span className={styles.eventText}>
              <Link href={`/nodes/${event.nodeId}`}>{event.nodeName}</Link>
              {text.detail ? <span className={styles.muted}> {text.detail}</span> : null}
            </span>
            <span className={styles.eventTime}>
              <RelativeTime iso={event.at} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}

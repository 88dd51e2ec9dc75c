import type { TClusterStatus, TNodeInfo } from "../local-api/local-api-schemas.ts";

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}

export function formatNodeInfo(info: TNodeInfo): string {
  const hub = info.hub;
  const lastClose =
    hub.lastClose === null
      ? "-"
      : `${hub.lastClose.name} (${hub.lastClose.code}) ${hub.lastClose.reason} at ${hub.lastClose.at}`;
  return table([
    ["Node", `${info.name} (${info.nodeId})`],
    ["Mode", info.mode + (info.simulate ? " [simulate]" : "")],
    ["Hostname", info.hostname],
    ["Agent version", info.agentVersion],
    ["Started", info.startedAt],
    ["Key thumbprint", info.publicKeyThumbprint],
    ["Panel", info.panelUrl],
    ["Hub session", hub.state + (hub.connectedSince === null ? "" : ` since ${hub.connectedSince}`)],
    ["Next attempt", hub.nextAttemptAt ?? "-"],
    ["Last close", lastClose],
  ]);
}

export function formatClusterStatus(status: TClusterStatus): string {
  const summary = table([
    ["Cluster role", status.clusterRole],
    ["Health", status.health],
    ["Generation", `observed ${status.observedGeneration} / desired ${status.desiredGeneration ?? "-"}`],
    ["Last reconcile", status.lastReconciledAt ?? "-"],
    ["Hub session", status.hubState],
  ]);
  const conditions =
    status.conditions.length === 0
      ? "  (none yet)"
      : status.conditions
          .map((c) => `  ${c.type.padEnd(18)} ${c.status.padEnd(7)} ${c.reason.padEnd(16)} ${c.message}`)
          .join("\n");
  const tasks = status.tasks.map(
    (t) => `  ${t.taskId.padEnd(18)} ${t.state.padEnd(9)} ${String(t.percent).padStart(3)}%  ${t.message}`,
  );
  return [summary, "", "Conditions:", conditions, ...(tasks.length > 0 ? ["", "Tasks:", ...tasks] : [])].join(
    "\n",
  );
}

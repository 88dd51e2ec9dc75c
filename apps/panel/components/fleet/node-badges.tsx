import { Badge, type BadgeTone } from "@/components/ui/badge";
import { labelPairs } from "@/lib/labels";
import styles from "./fleet.module.css";

const STATE_TONES: Record<string, BadgeTone> = { online: "success", offline: "warning", revoked: "danger" };

export function NodeStateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONES[state] ?? "neutral"}>{state}</Badge>;
}

export function DemoBadge() {
  return (
    <span title="A simulated agent started by npm start">
      <Badge tone="accent">demo</Badge>
    </span>
  );
}

export function LabelList({ labels }: { labels: Record<string, string> }) {
  const pairs = labelPairs(labels);
  if (pairs.length === 0) return <span className={styles.muted}>—</span>;
  return (
    <ul className={styles.labels}>
      {pairs.map((pair) => (
        <li key={pair}>
          <code>{pair}</code>
        </li>
      ))}
    </ul>
  );
}

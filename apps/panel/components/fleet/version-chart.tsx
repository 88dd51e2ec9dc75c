"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import styles from "./fleet.module.css";

export interface VersionCount {
  version: string;
  nodes: number;
}

const BAR_HEIGHT = 28;

/** A bar per agent version; the same numbers sit in a hidden table for screen readers. */
export function VersionChart({ versions }: { versions: readonly VersionCount[] }) {
  if (versions.length === 0) return <p className={styles.muted}>No active nodes.</p>;
  return (
    <figure className={styles.chart}>
      <div aria-hidden style={{ height: Math.max(120, versions.length * BAR_HEIGHT + 48) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={[...versions]} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid horizontal={false} stroke="var(--border)" />
            <XAxis
              type="number"
              allowDecimals={false}
              tick={{ fill: "var(--text-muted)", fontSize: 12 }}
              stroke="var(--border-strong)"
            />
            <YAxis
              type="category"
              dataKey="version"
              width={96}
              tick={{ fill: "var(--text)", fontSize: 12 }}
              stroke="var(--border-strong)"
            />
            <Tooltip
              cursor={{ fill: "var(--surface-hover)" }}
              contentStyle={{
                background: "var(--surface)",
                border: "1px solid var(--border)",
                borderRadius: 6,
                color: "var(--text)",
              }}
              formatter={(value) => [value, "nodes"]}
            />
            <Bar dataKey="nodes" fill="var(--accent)" radius={[0, 4, 4, 0]} maxBarSize={20} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>Nodes by agent version</caption>
        <thead>
          <tr>
            <th scope="col">Agent version</th>
            <th scope="col">Nodes</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.nodes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

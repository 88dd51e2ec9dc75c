"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { isLabelFilter } from "@/lib/labels";
import { DEFAULT_NODE_LIST_QUERY, NODE_MODES, NODE_STATES, type NodeListQuery } from "@/lib/node-list-query";
import styles from "./fleet.module.css";

const TYPING_PAUSE_MS = 300;

const MODE_OPTIONS = [{ value: "", label: "All modes" }, ...NODE_MODES.map((m) => ({ value: m, label: m }))];
const STATE_OPTIONS = [
  { value: "", label: "All states" },
  ...NODE_STATES.map((s) => ({ value: s, label: s })),
];

interface NodeFiltersProps {
  query: NodeListQuery;
  onChange: (change: Partial<NodeListQuery>, history?: "push" | "replace") => void;
}

/**
 * Text follows what is typed, but the URL (and so the query) only after a pause, so 10,000 nodes are
 * not searched once per keystroke. Back and forward still move the text, through the URL.
 */
function useDebouncedText(value: string, apply: (text: string) => void) {
  const [text, setText] = useState(value);
  // Live updates re-render the page every second; the pause must not restart with each of them.
  const applyRef = useRef(apply);
  applyRef.current = apply;
  useEffect(() => setText((current) => (current.trim() === value ? current : value)), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => applyRef.current(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, value]);
  return [text, setText] as const;
}

export function NodeFilters({ query, onChange }: NodeFiltersProps) {
  const [search, setSearch] = useDebouncedText(query.search, (text) => onChange({ search: text }, "replace"));
  const [label, setLabel] = useDebouncedText(query.label, (text) => {
    if (text === "" || isLabelFilter(text)) onChange({ label: text }, "replace");
  });
  const labelError =
    label.trim() !== "" && !isLabelFilter(label)
      ? "Filter by one label as key=value, e.g. rack=r12."
      : undefined;
  const filtered = Boolean(query.search || query.mode || query.state || query.label);

  return (
    <search className={styles.filters} aria-label="Filter nodes">
      <TextField
        label="Search"
        type="search"
        placeholder="Name or hostname"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <SelectField
        label="Mode"
        options={MODE_OPTIONS}
        value={query.mode ?? ""}
        onChange={(event) => onChange({ mode: NODE_MODES.find((m) => m === event.target.value) })}
      />
      <SelectField
        label="State"
        options={STATE_OPTIONS}
        value={query.state ?? ""}
        onChange={(event) => onChange({ state: NODE_STATES.find((s) => s === event.target.value) })}
      />
      <TextField
        label="Label"
        placeholder="key=value"
        value={label}
        error={labelError}
        onChange={(event) => setLabel(event.target.value)}
      />
      <div className={styles.filterActions}>
        <Button
          disabled={!filtered}
          onClick={() => {
            const { sort, direction } = query;
            onChange({ ...DEFAULT_NODE_LIST_QUERY, sort, direction });
          }}
        >
          Clear filters
        </Button>
      </div>
    </search>
  );
}

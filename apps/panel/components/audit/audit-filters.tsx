"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Form, formText } from "@/components/ui/form";
import { type AuditFilter, type AuditFilterInput, parseAuditFilter } from "@/lib/audit-filter";
import styles from "./audit.module.css";

export function AuditFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof AuditFilterInput, string>>>({});
  // Remounting clears every field at once when the filters are reset.
  const [generation, setGeneration] = useState(0);

  const apply = (data: FormData) => {
    const result = parseAuditFilter({
      action: formText(data, "action"),
      actor: formText(data, "actor"),
      targetType: formText(data, "targetType"),
      from: formText(data, "from"),
      to: formText(data, "to"),
    });
    if (!result.ok) return setFieldErrors(result.fieldErrors);
    setFieldErrors({});
    onApply(result.filter);
  };

  const reset = () => {
    setFieldErrors({});
    setGeneration((n) => n + 1);
    onApply({});
  };

  return (
    <Form key={generation} className={styles.filters} onSubmit={apply} aria-label="Filter audit events">
      <TextField label="Action starts with" name="action" placeholder="user." error={fieldErrors.action} />
      <TextField
        label="Actor email contains"
        name="actor"
        placeholder="name@example.com"
        error={fieldErrors.actor}
      />
      <TextField label="Target type" name="targetType" placeholder="user" error={fieldErrors.targetType} />
      <TextField label="From" name="from" type="datetime-local" step={1} error={fieldErrors.from} />
      <TextField label="To" name="to" type="datetime-local" step={1} error={fieldErrors.to} />
      <div className={styles.filterActions}>
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button onClick={reset}>Reset</Button>
      </div>
    </Form>
  );
}

"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import styles from "./fleet.module.css";

/** A read-only value with a copy button; where the clipboard is blocked the text is selected instead. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      // The clipboard API exists only in secure contexts (HTTPS or localhost).
      if (!navigator.clipboard) throw new Error("clipboard unavailable");
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      ref.current?.select();
      toast({
        title: "Copying is blocked here",
        description: "The text is selected; copy it with Ctrl+C or ⌘C.",
        tone: "danger",
      });
    }
  };

  return (
    <div className={styles.copyField}>
      <label htmlFor={id} className={styles.copyLabel}>
        {label}
      </label>
      <div className={styles.copyRow}>
        <textarea
          ref={ref}
          id={id}
          readOnly
          rows={value.length > 80 ? 2 : 1}
          value={value}
          spellCheck={false}
          className={styles.copyValue}
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          onClick={() => void copy()}
          icon={copied ? <Check size={15} aria-hidden /> : <Copy size={15} aria-hidden />}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}

"use client";

import { CircleAlert } from "lucide-react";
import { type ComponentProps, type FormEvent, type ReactNode, useEffect, useRef } from "react";
import type { Problem } from "@/lib/trpc-errors";
import styles from "./form.module.css";

export interface FormProps extends Omit<ComponentProps<"form">, "onSubmit"> {
  onSubmit: (data: FormData) => void;
  /** The last failure; when it names fields, focus moves to the first of them. */
  problem?: Problem | undefined;
}

/**
 * The server validates every input and its messages are the ones shown, so the browser's own
 * validation bubbles are turned off to keep one voice.
 */
export function Form({ onSubmit, problem, className, children, ...rest }: FormProps) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (problem && Object.keys(problem.fieldErrors).length > 0) {
      ref.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
    }
  }, [problem]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(new FormData(event.currentTarget));
  };
  return (
    <form
      ref={ref}
      noValidate
      className={[styles.form, className].filter(Boolean).join(" ")}
      onSubmit={submit}
      {...rest}
    >
      {children}
    </form>
  );
}

export function FormError({ problem }: { problem: Problem | undefined }) {
  if (!problem) return null;
  return (
    <div role="alert" className={styles.alert}>
      <CircleAlert size={16} aria-hidden />
      <span>{problem.message}</span>
    </div>
  );
}

export function FormActions({ children }: { children: ReactNode }) {
  return <div className={styles.actions}>{children}</div>;
}

/** Reads a text entry from submitted form data; absent entries read as empty. */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}

import { type ComponentProps, type ReactNode, useId } from "react";
import styles from "./field.module.css";

interface FieldFrameProps {
  label: string;
  description?: ReactNode;
  error?: string | undefined;
  children: (control: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** Label, description and inline error wired to one control through ids, as screen readers expect. */
function FieldFrame({ label, description, error, children }: FieldFrameProps) {
  const id = useId();
  const descriptionId = description ? `${id}-description` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, descriptionId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={styles.field}>
      <label className={styles.label} htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error ? (
        <p id={errorId} className={styles.error}>
          {error}
        </p>
      ) : null}
      {description ? (
        <p id={descriptionId} className={styles.description}>
          {description}
        </p>
      ) : null}
    </div>
  );
}

export interface TextFieldProps extends Omit<ComponentProps<"input">, "id"> {
  label: string;
  description?: ReactNode;
  error?: string | undefined;
}

export function TextField({ label, description, error, className, ...input }: TextFieldProps) {
  return (
    <FieldFrame label={label} description={description} error={error}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          className={[styles.control, className].filter(Boolean).join(" ")}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          {...input}
        />
      )}
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectFieldProps extends Omit<ComponentProps<"select">, "id" | "children"> {
  label: string;
  options: readonly SelectOption[];
  description?: ReactNode;
  error?: string | undefined;
}

/** A native select: the platform gives it keyboard, touch and screen-reader behaviour for free. */
export function SelectField({ label, options, description, error, className, ...select }: SelectFieldProps) {
  return (
    <FieldFrame label={label} description={description} error={error}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          className={[styles.control, styles.select, className].filter(Boolean).join(" ")}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          {...select}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export interface TextAreaFieldProps extends Omit<ComponentProps<"textarea">, "id"> {
  label: string;
  description?: ReactNode;
  error?: string | undefined;
}

export function TextAreaField({ label, description, error, className, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame label={label} description={description} error={error}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          className={[styles.control, styles.textarea, className].filter(Boolean).join(" ")}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          {...textarea}
        />
      )}
    </FieldFrame>
  );
}

import { Layers } from "lucide-react";
import { Button } from "@/components/ui/button";
import styles from "./console-shell.module.css";

/** What the console shows before it knows who is signed in, or when it cannot find out. */
export function ShellStatus({
  title,
  message,
  onRetry,
}: {
  title: string;
  message?: string;
  onRetry?: () => void;
}) {
  return (
    <div className={styles.status} role={message ? "alert" : "status"}>
      <Layers size={28} aria-hidden />
      <p className={styles.statusTitle}>{title}</p>
      {message ? <p className={styles.statusMessage}>{message}</p> : null}
      {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
    </div>
  );
}

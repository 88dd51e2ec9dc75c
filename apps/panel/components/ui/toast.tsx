"use client";

import { CircleAlert, CircleCheck, X } from "lucide-react";
import { Toast } from "radix-ui";
import { createContext, type ReactNode, useCallback, useContext, useState } from "react";
import styles from "./toast.module.css";

export interface ToastMessage {
  title: string;
  description?: string;
  tone?: "success" | "danger";
}

interface ToastEntry extends ToastMessage {
  id: number;
}

const ToastContext = createContext<((message: ToastMessage) => void) | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const notify = useCallback((message: ToastMessage) => {
    setToasts((current) => [...current, { ...message, id: Date.now() + Math.random() }]);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((t) => t.id !== id)), []);
  return (
    <ToastContext.Provider value={notify}>
      <Toast.Provider swipeDirection="right" duration={6000}>
        {children}
        {toasts.map((toast) => (
          <Toast.Root
            key={toast.id}
            className={`${styles.toast} ${toast.tone === "danger" ? styles.danger : styles.success}`}
            type={toast.tone === "danger" ? "foreground" : "background"}
            onOpenChange={(open) => !open && dismiss(toast.id)}
          >
            {toast.tone === "danger" ? (
              <CircleAlert size={18} aria-hidden className={styles.icon} />
            ) : (
              <CircleCheck size={18} aria-hidden className={styles.icon} />
            )}
            <div className={styles.text}>
              <Toast.Title className={styles.title}>{toast.title}</Toast.Title>
              {toast.description ? (
                <Toast.Description className={styles.description}>{toast.description}</Toast.Description>
              ) : null}
            </div>
            <Toast.Close className={styles.close} aria-label="Dismiss notification">
              <X size={15} aria-hidden />
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className={styles.viewport} />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): (message: ToastMessage) => void {
  const notify = useContext(ToastContext);
  if (!notify) throw new Error("useToast needs a ToastProvider above it.");
  return notify;
}

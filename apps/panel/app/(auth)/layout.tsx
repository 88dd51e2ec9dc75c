import { Layers } from "lucide-react";
import type { ReactNode } from "react";
import styles from "./auth.module.css";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.page}>
      <main className={styles.panel}>
        <div className={styles.brand}>
          <Layers size={22} aria-hidden />
          <span>Stratum</span>
        </div>
        {children}
      </main>
    </div>
  );
}

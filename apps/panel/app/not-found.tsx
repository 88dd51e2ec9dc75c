import { Compass } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import styles from "./not-found.module.css";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className={styles.page}>
      <EmptyState
        icon={<Compass size={22} />}
        headingLevel={1}
        title="There is no page at this address"
        action={<Link href="/">Go to the dashboard</Link>}
      >
        <p>Check the address and try again.</p>
      </EmptyState>
    </main>
  );
}

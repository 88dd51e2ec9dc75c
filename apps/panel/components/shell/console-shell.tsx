"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Layers, LogOut } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { describeError } from "@/lib/trpc-errors";
import styles from "./console-shell.module.css";
import { isActive, NAV_ITEMS } from "./nav-items";
import { SessionContext, type TSignedInUser } from "./session";
import { ShellStatus } from "./shell-status";

export function ConsoleShell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const setup = useQuery(trpc.setup.state.queryOptions());
  const me = useQuery(trpc.auth.me.queryOptions());
  const needsSetup = setup.data?.needsSetup === true;
  const signedOut = setup.data?.needsSetup === false && me.data === null;

  useEffect(() => {
    if (needsSetup) router.replace("/setup");
    else if (signedOut) router.replace("/login");
  }, [needsSetup, signedOut, router]);

  // A session can end under an open page (expiry, password change elsewhere, account disabled):
  // any call refused as unauthenticated re-checks who is signed in, which leads to /login.
  useEffect(() => {
    const meKey = trpc.auth.me.queryKey();
    return queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== "updated" || event.action.type !== "error") return;
      if (describeError(event.action.error).appCode === "UNAUTHENTICATED") {
        void queryClient.invalidateQueries({ queryKey: meKey });
      }
    });
  }, [queryClient, trpc]);

  const failure = setup.error ?? me.error;
  if (failure) {
    return (
      <ShellStatus
        title="The panel could not be reached"
        message={describeError(failure).message}
        onRetry={() => {
          void setup.refetch();
          void me.refetch();
        }}
      />
    );
  }
  if (!me.data || needsSetup) return <ShellStatus title="Loading Stratum…" />;

  return (
    <SessionContext.Provider value={me.data}>
      <div className={styles.shell}>
        <a href="#main" className={styles.skipLink}>
          Skip to content
        </a>
        <Sidebar user={me.data} />
        <main id="main" className={styles.main} tabIndex={-1}>
          {children}
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function Sidebar({ user }: { user: TSignedInUser }) {
  const pathname = usePathname();
  return (
    <aside className={styles.sidebar}>
      <Link href="/" className={styles.brand}>
        <Layers size={20} aria-hidden />
        <span>Stratum</span>
      </Link>
      <nav aria-label="Main" className={styles.nav}>
        <ul>
          {NAV_ITEMS.map(({ href, label, Icon }) => {
            const active = isActive(href, pathname);
            return (
              <li key={href}>
                <Link
                  href={href}
                  className={active ? `${styles.navLink} ${styles.active}` : styles.navLink}
                  aria-current={active ? "page" : undefined}
                >
                  <Icon size={16} aria-hidden />
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <UserPanel user={user} />
    </aside>
  );
}

function UserPanel({ user }: { user: TSignedInUser }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        // Nothing the previous user could see may linger in the cache for the next one.
        queryClient.clear();
        router.replace("/login");
      },
      onError: (error) =>
        toast({ title: "Sign-out failed", description: describeError(error).message, tone: "danger" }),
    }),
  );
  return (
    <section className={styles.user} aria-label="Signed-in user">
      <div className={styles.userText}>
        <span className={styles.userName}>{user.name}</span>
        <span className={styles.userEmail}>{user.email}</span>
        <Badge tone={user.role === "owner" || user.role === "admin" ? "accent" : "neutral"}>
          {user.role}
        </Badge>
      </div>
      <div className={styles.userActions}>
        <ThemeToggle />
        <Button
          size="sm"
          variant="ghost"
          icon={<LogOut size={15} aria-hidden />}
          loading={signOut.isPending}
          onClick={() => signOut.mutate()}
        >
          Sign out
        </Button>
      </div>
    </section>
  );
}

"use client";

import type { AppRouter } from "@stratum/api";
import { roleAtLeast } from "@stratum/api/roles";
import type { inferRouterOutputs } from "@trpc/server";
import { ArrowLeft, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { AdminRequired } from "@/components/shell/admin-required";
import { useSignedInUser } from "@/components/shell/session";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CopyField } from "./copy-field";
import styles from "./fleet.module.css";
import { JoinTokenForm } from "./join-token-form";
import { JoinTokenList } from "./join-token-list";

export type TCreatedJoinToken = inferRouterOutputs<AppRouter>["joinTokens"]["create"];

export function EnrollNodes() {
  const me = useSignedInUser();
  const [created, setCreated] = useState<TCreatedJoinToken>();
  return (
    <>
      <Link href="/nodes" className={styles.backLink}>
        <ArrowLeft size={14} aria-hidden />
        All nodes
      </Link>
      <PageHeader
        title="Enroll nodes"
        description="Create a join token, then run the install command on each server. The agent enrolls, connects to this panel and shows up under Nodes."
      />
      {roleAtLeast(me.role, "admin") ? (
        <div className={styles.stack}>
          {created ? <CreatedToken created={created} onDone={() => setCreated(undefined)} /> : null}
          <div className={styles.enrollForm}>
            <Card title="New join token" description="Nodes enrolled with it get its mode and labels.">
              <JoinTokenForm onCreated={setCreated} />
            </Card>
          </div>
          <Card
            title="Join tokens"
            description="Revoking a token stops new enrollments; nodes already enrolled stay."
          >
            <JoinTokenList />
          </Card>
        </div>
      ) : (
        <AdminRequired role={me.role} what="Enrolling nodes" />
      )}
    </>
  );
}

function CreatedToken({ created, onDone }: { created: TCreatedJoinToken; onDone: () => void }) {
  return (
    <section className={styles.createdToken} aria-labelledby="created-token-title">
      <h2 id="created-token-title" className={styles.createdTitle}>
        Join token “{created.joinToken.description}” created
      </h2>
      <p className={styles.onceWarning}>
        <TriangleAlert size={16} aria-hidden className={styles.onceWarningIcon} />
        <span>
          Copy the token now: it is shown only this once and will not be shown again. The panel keeps only a
          hash of it.
        </span>
      </p>
      <CopyField label="Join token" value={created.token} />
      <CopyField label="Install command" value={created.installCommand} />
      <p className={styles.muted}>
        Run the install command as root on each server. It allows {created.joinToken.maxUses} enrollment
        {created.joinToken.maxUses === 1 ? "" : "s"} as {created.joinToken.mode} node
        {created.joinToken.maxUses === 1 ? "" : "s"}.
      </p>
      <div>
        <Button onClick={onDone}>I have copied it</Button>
      </div>
    </section>
  );
}

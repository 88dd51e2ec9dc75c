import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export interface FeaturePendingProps {
  title: string;
  /** One line under the page title: what the page is for. */
  summary: string;
  icon: ReactNode;
  /** What the finished page will show, in an operator's words. */
  willShow: string;
}

/** The honest page for a feature that later work delivers: what it will show, and that it is not here yet. */
export function FeaturePending({ title, summary, icon, willShow }: FeaturePendingProps) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <EmptyState
        icon={icon}
        title={`${title} is not available in this build yet`}
        action={<Badge>Planned</Badge>}
      >
        <p>{willShow}</p>
        <p>Nothing here is simulated: this page stays empty until the feature ships.</p>
      </EmptyState>
    </>
  );
}

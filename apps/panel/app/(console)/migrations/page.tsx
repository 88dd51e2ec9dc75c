import { ArrowRightLeft } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Migrations" };

export default function MigrationsPage() {
  return (
    <FeaturePending
      title="Migrations"
      summary="Moving workloads between nodes."
      icon={<ArrowRightLeft size={22} />}
      willShow="Endpoint, live, block and cold migrations with their progress and checklist, and node maintenance that drains a node."
    />
  );
}

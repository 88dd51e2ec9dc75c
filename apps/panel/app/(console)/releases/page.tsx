import { Rocket } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Releases" };

export default function ReleasesPage() {
  return (
    <FeaturePending
      title="Releases"
      summary="Agent releases and the fleet-wide rolling update."
      icon={<Rocket size={22} />}
      willShow="Available signed agent releases and the progress of each rolling update across the fleet, node by node."
    />
  );
}

import { LayoutDashboard } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <FeaturePending
      title="Dashboard"
      summary="An overview of your fleet at a glance."
      icon={<LayoutDashboard size={22} />}
      willShow="Fleet health at a glance: nodes by state, data-plane traffic and drops, and the rolling updates and migrations in progress."
    />
  );
}

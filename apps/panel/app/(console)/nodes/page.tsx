import { Server } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Nodes" };

export default function NodesPage() {
  return (
    <FeaturePending
      title="Nodes"
      summary="The servers in your fleet and the agents running on them."
      icon={<Server size={22} />}
      willShow="Every enrolled node with its mode (compute or gateway), agent version, connection state and reported status, and enrollment of new servers."
    />
  );
}

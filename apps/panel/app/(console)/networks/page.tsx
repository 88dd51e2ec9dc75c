import { Network } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Networks" };

export default function NetworksPage() {
  return (
    <FeaturePending
      title="Networks"
      summary="Networks and the endpoints attached to them."
      icon={<Network size={22} />}
      willShow="Each network with its endpoints (IP, MAC and the node hosting them), as the fleet's replicated state records them."
    />
  );
}

import { FileCog } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Configs" };

export default function ConfigsPage() {
  return (
    <FeaturePending
      title="Configs"
      summary="Signed node configurations."
      icon={<FileCog size={22} />}
      willShow="The signed config each node should run, its version and expiry, whether the node has applied it, and the signing keys."
    />
  );
}

import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { FeaturePending } from "@/components/shell/feature-pending";

export const metadata: Metadata = { title: "Licensing" };

export default function LicensingPage() {
  return (
    <FeaturePending
      title="Licensing"
      summary="Your Stratum licence."
      icon={<KeyRound size={22} />}
      willShow="The activated licence, the features and seats it grants, its expiry and grace period. Licensing problems never stop traffic."
    />
  );
}

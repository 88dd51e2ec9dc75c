import type { Metadata } from "next";
import { EnrollNodes } from "@/components/fleet/enroll-nodes";

export const metadata: Metadata = { title: "Enroll nodes" };

export default function EnrollPage() {
  return <EnrollNodes />;
}

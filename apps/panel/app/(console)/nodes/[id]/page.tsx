import type { Metadata } from "next";
import { NodeDetail } from "@/components/fleet/node-detail";

export const metadata: Metadata = { title: "Node" };

export default function NodePage() {
  return <NodeDetail />;
}

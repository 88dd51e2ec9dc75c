import type { Metadata } from "next";
import { Suspense } from "react";
import { NodeList } from "@/components/fleet/node-list";

export const metadata: Metadata = { title: "Nodes" };

export default function NodesPage() {
  // The list reads its page, sort and filters from the URL, which is only known in the browser.
  return (
    <Suspense>
      <NodeList />
    </Suspense>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

export default function Home() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  return <main>Stratum {info.data?.version}</main>;
}

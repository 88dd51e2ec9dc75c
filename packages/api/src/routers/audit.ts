import { z } from "zod";
import { listAuditEvents, ZAuditFilter, ZAuditPage } from "../audit/list-audit-events.ts";
import { zAsyncIterable } from "../live/async-iterable-schema.ts";
import { roleProcedure, router } from "../trpc.ts";

const auditProcedure = roleProcedure("admin");

export const auditRouter = router({
  list: auditProcedure
    .input(ZAuditFilter)
    .output(ZAuditPage)
    .query(({ ctx, input }) => listAuditEvents(ctx, input)),
  /** Tells open Audit pages that new events exist, across every panel replica. */
  live: auditProcedure
    .input(z.void())
    .output(zAsyncIterable(z.object({ id: z.string().nullable() })))
    .subscription(async function* ({ ctx, signal }) {
      for await (const event of ctx.deps.live.subscribe("audit", signal)) yield { id: event.id ?? null };
    }),
});

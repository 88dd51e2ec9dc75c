import { z } from "zod";
import { publicProcedure, router } from "../trpc.ts";

export const systemRouter = router({
  info: publicProcedure
    .input(z.void())
    .output(z.object({ version: z.string(), database: z.enum(["pglite", "postgres"]) }))
    .query(({ ctx }) => ({ version: ctx.deps.version, database: ctx.deps.db.kind })),
});

import { z } from "zod";
import { completeSetup } from "../operators/complete-setup.ts";
import { ZCompleteSetupInput } from "../operators/schemas.ts";
import { needsSetup } from "../operators/setup-code.ts";
import { publicProcedure, router } from "../trpc.ts";

export const setupRouter = router({
  state: publicProcedure
    .input(z.void())
    .output(z.object({ needsSetup: z.boolean() }))
    .query(async ({ ctx }) => ({ needsSetup: await needsSetup(ctx.deps.db) })),
  complete: publicProcedure
    .input(ZCompleteSetupInput)
    .output(z.object({ userId: z.string() }))
    .mutation(({ ctx, input }) => completeSetup(ctx, input)),
});

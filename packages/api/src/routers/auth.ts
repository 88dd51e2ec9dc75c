import { z } from "zod";
import { changePassword } from "../operators/change-password.ts";
import { ZChangePasswordInput, ZSignInInput } from "../operators/schemas.ts";
import { signIn } from "../operators/sign-in.ts";
import { signOut } from "../operators/sign-out.ts";
import { ZRole } from "../roles.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const ZMe = z.object({ id: z.string(), email: z.string(), name: z.string(), role: ZRole }).nullable();

export const authRouter = router({
  me: publicProcedure
    .input(z.void())
    .output(ZMe)
    .query(({ ctx }) => ctx.session?.user ?? null),
  signIn: publicProcedure
    .input(ZSignInInput)
    .output(z.object({ userId: z.string() }))
    .mutation(({ ctx, input }) => signIn(ctx, input)),
  signOut: authedProcedure
    .input(z.void())
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await signOut(ctx, ctx.session);
      return { ok: true as const };
    }),
  changePassword: authedProcedure
    .input(ZChangePasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx, ctx.session, input);
      return { ok: true as const };
    }),
});

import { z } from "zod";
import { createUser, listUsers, updateUser } from "../operators/manage-users.ts";
import { ZCreateUserInput, ZUpdateUserInput, ZUser } from "../operators/schemas.ts";
import { roleProcedure, router } from "../trpc.ts";

const adminProcedure = roleProcedure("admin");

export const usersRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(z.array(ZUser))
    .query(({ ctx }) => listUsers(ctx)),
  create: adminProcedure
    .input(ZCreateUserInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => createUser(ctx, ctx.session, input)),
  update: adminProcedure
    .input(ZUpdateUserInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => updateUser(ctx, ctx.session, input)),
});

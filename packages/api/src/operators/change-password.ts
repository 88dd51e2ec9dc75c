import type { z } from "zod";
import { hashPassword, passwordProblem, verifyPassword } from "../auth/password.ts";
import { type ActiveSession, createSession, sessionCookie } from "../auth/session-store.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import type { ZChangePasswordInput } from "./schemas.ts";

/** Changes the signed-in user's password and ends every session of theirs, this one included. */
export async function changePassword(
  ctx: Context,
  session: ActiveSession,
  input: z.infer<typeof ZChangePasswordInput>,
): Promise<void> {
  const { db } = ctx.deps;
  const user = await db.prisma.user.findUniqueOrThrow({ where: { id: session.user.id } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("BAD_INPUT", "Your current password is not correct.", { field: "currentPassword" });
  }
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) throw new AppError("BAD_INPUT", problem, { field: "newPassword" });
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.audited(
    {
      action: "user.password_change",
      targetType: "user",
      targetId: user.id,
      summary: { endedSessions: "all" },
    },
    async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: ctx.now() } });
      await tx.session.deleteMany({ where: { userId: user.id } });
    },
  );
  const token = await createSession(db, user.id, ctx.meta, ctx.now());
  ctx.setCookie(sessionCookie(token, ctx.meta.secure));
}

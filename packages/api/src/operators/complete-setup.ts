import type { z } from "zod";
import { hashPassword, passwordProblem } from "../auth/password.ts";
import { createSession, sessionCookie } from "../auth/session-store.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import type { ZCompleteSetupInput } from "./schemas.ts";
import { needsSetup, SETUP_CODE_SETTING, setupCodeMatches } from "./setup-code.ts";

/** Creates the first owner on a fresh installation, proven by the setup code from the server log. */
export async function completeSetup(
  ctx: Context,
  input: z.infer<typeof ZCompleteSetupInput>,
): Promise<{ userId: string }> {
  const { db } = ctx.deps;
  if (!(await needsSetup(db)))
    throw new AppError("CONFLICT", "This installation is already set up. Sign in instead.");
  if (!(await setupCodeMatches(db, input.code))) {
    throw new AppError(
      "BAD_INPUT",
      "The setup code is not correct. Use the code printed in the panel's log at its most recent start.",
      {
        field: "code",
      },
    );
  }
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw new AppError("BAD_INPUT", problem, { field: "password" });
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.audited(
    (u: { id: string; email: string }) => ({
      action: "setup.complete",
      targetType: "user",
      targetId: u.id,
      actor: u,
      summary: { email: u.email, role: "owner" },
    }),
    async (tx) => {
      // Re-checked inside the transaction: two racing setups cannot both create an owner.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7243001)`;
      if ((await tx.user.count({ where: { role: "owner" } })) > 0) {
        throw new AppError("CONFLICT", "This installation is already set up. Sign in instead.");
      }
      const created = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, role: "owner" },
        select: { id: true, email: true },
      });
      await tx.setting.delete({ where: { key: SETUP_CODE_SETTING } });
      return created;
    },
  );
  const token = await createSession(db, user.id, ctx.meta, ctx.now());
  ctx.setCookie(sessionCookie(token, ctx.meta.secure));
  return { userId: user.id };
}

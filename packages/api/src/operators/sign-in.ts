import type { z } from "zod";
import { clearFailures, lockedUntil, recordFailure, throttleKeys } from "../auth/login-throttle.ts";
import { burnVerification, verifyPassword } from "../auth/password.ts";
import { createSession, sessionCookie } from "../auth/session-store.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import type { ZSignInInput } from "./schemas.ts";

const GENERIC_FAILURE = "Email or password is not correct.";

export async function signIn(ctx: Context, input: z.infer<typeof ZSignInInput>): Promise<{ userId: string }> {
  const { db } = ctx.deps;
  const now = ctx.now();
  const keys = throttleKeys(input.email, ctx.meta.sourceIp);
  const locked = await lockedUntil(db, keys, now);
  if (locked) {
    const minutes = Math.max(1, Math.ceil((locked.getTime() - now.getTime()) / 60_000));
    throw new AppError(
      "RATE_LIMITED",
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or ask an admin to check your account.`,
    );
  }
  const user = await db.prisma.user.findUnique({ where: { email: input.email } });
  let valid = false;
  if (user) valid = await verifyPassword(user.passwordHash, input.password);
  else await burnVerification(input.password);
  if (!user || !valid || user.disabledAt) {
    await recordFailure(db, keys, now);
    await ctx.audited(
      {
        action: "auth.login_failed",
        targetType: "user",
        targetId: user?.id ?? null,
        summary: {
          email: input.email,
          reason: !user ? "unknown account" : !valid ? "wrong password" : "account disabled",
        },
      },
      async () => undefined,
    );
    throw new AppError("UNAUTHENTICATED", GENERIC_FAILURE);
  }
  await clearFailures(db, input.email);
  const token = await createSession(db, user.id, ctx.meta, now);
  await ctx.audited(
    {
      action: "auth.login",
      targetType: "user",
      targetId: user.id,
      actor: { id: user.id, email: user.email },
    },
    async () => undefined,
  );
  ctx.setCookie(sessionCookie(token, ctx.meta.secure));
  return { userId: user.id };
}

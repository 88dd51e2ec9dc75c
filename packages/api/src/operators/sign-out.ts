import type { ActiveSession } from "../auth/session-store.ts";
import { clearedSessionCookie } from "../auth/session-store.ts";
import type { Context } from "../context.ts";

export async function signOut(ctx: Context, session: ActiveSession): Promise<void> {
  await ctx.audited({ action: "auth.logout", targetType: "user", targetId: session.user.id }, async (tx) => {
    await tx.session.deleteMany({ where: { id: session.id } });
  });
  ctx.setCookie(clearedSessionCookie(ctx.meta.secure));
}

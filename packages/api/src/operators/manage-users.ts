import type { z } from "zod";
import { hashPassword, passwordProblem } from "../auth/password.ts";
import type { ActiveSession } from "../auth/session-store.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import { canManageRole } from "../roles.ts";
import { type TUser, toUser, type ZCreateUserInput, type ZUpdateUserInput } from "./schemas.ts";

export async function listUsers(ctx: Context): Promise<TUser[]> {
  const rows = await ctx.deps.db.prisma.user.findMany({ orderBy: [{ role: "desc" }, { email: "asc" }] });
  return rows.map(toUser);
}

export async function createUser(
  ctx: Context,
  session: ActiveSession,
  input: z.infer<typeof ZCreateUserInput>,
): Promise<TUser> {
  if (!canManageRole(session.user.role, input.role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${session.user.role}) cannot create ${input.role} accounts. Ask an owner.`,
    );
  }
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw new AppError("BAD_INPUT", problem, { field: "password" });
  const passwordHash = await hashPassword(input.password);
  const row = await ctx.audited(
    (u: { id: string }) => ({
      action: "user.create",
      targetType: "user",
      targetId: u.id,
      summary: { email: input.email, name: input.name, role: input.role },
    }),
    async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw new AppError(
          "CONFLICT",
          `An account for ${input.email} already exists. Change that account instead.`,
          { field: "email" },
        );
      }
      return tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash },
      });
    },
  );
  return toUser(row);
}

export async function updateUser(
  ctx: Context,
  session: ActiveSession,
  input: z.infer<typeof ZUpdateUserInput>,
): Promise<TUser> {
  const row = await ctx.audited(
    (change: { id: string; summary: Record<string, unknown> }) => ({
      action: "user.update",
      targetType: "user",
      targetId: change.id,
      summary: change.summary,
    }),
    async (tx) => {
      const target = await tx.user.findUnique({ where: { id: input.id } });
      if (!target) throw new AppError("NOT_FOUND", "That account does not exist any more. Reload the list.");
      const actor = session.user;
      if (target.id !== actor.id && !canManageRole(actor.role, target.role)) {
        throw new AppError(
          "FORBIDDEN",
          `Your role (${actor.role}) cannot change ${target.role} accounts. Ask an owner.`,
        );
      }
      if (input.role && input.role !== target.role && !canManageRole(actor.role, input.role)) {
        throw new AppError(
          "FORBIDDEN",
          `Your role (${actor.role}) cannot grant the ${input.role} role. Ask an owner.`,
        );
      }
      if (target.id === actor.id && (input.disabled || (input.role && input.role !== target.role))) {
        throw new AppError(
          "FORBIDDEN",
          "You cannot disable your own account or change your own role. Ask another owner or admin.",
        );
      }
      const losesOwner =
        target.role === "owner" &&
        !target.disabledAt &&
        (input.disabled || (input.role && input.role !== "owner"));
      if (losesOwner) {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(7243001)`;
        const owners = await tx.user.count({ where: { role: "owner", disabledAt: null } });
        if (owners <= 1)
          throw new AppError(
            "PRECONDITION_FAILED",
            "This is the last active owner. Make another account owner first.",
          );
      }
      const summary: Record<string, unknown> = { email: target.email };
      const data: { role?: typeof target.role; name?: string; disabledAt?: Date | null } = {};
      if (input.role && input.role !== target.role) {
        data.role = input.role;
        summary.role = { from: target.role, to: input.role };
      }
      if (input.name && input.name !== target.name) {
        data.name = input.name;
        summary.name = { from: target.name, to: input.name };
      }
      if (input.disabled !== undefined && input.disabled !== (target.disabledAt !== null)) {
        data.disabledAt = input.disabled ? ctx.now() : null;
        summary.disabled = { from: target.disabledAt !== null, to: input.disabled };
      }
      const updated = await tx.user.update({ where: { id: target.id }, data });
      // A disabled account, or one whose role changed, signs in again with its new rights.
      if (data.disabledAt || data.role) await tx.session.deleteMany({ where: { userId: target.id } });
      return { id: target.id, summary, updated };
    },
  );
  return toUser(row.updated);
}

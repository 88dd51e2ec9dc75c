import { initTRPC } from "@trpc/server";
import { ZodError, z } from "zod";
import type { Context } from "./context.ts";
import { AppError, appCodeOf, toTRPCError } from "./errors.ts";
import { roleAtLeast, type TRole } from "./roles.ts";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const zodError = error.cause instanceof ZodError ? error.cause : undefined;
    return {
      ...shape,
      message: zodError ? "Some fields are not valid; see the messages next to them." : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: zodError ? "BAD_INPUT" : appCodeOf(error),
        fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : undefined,
        // The form field a domain error is about, so the UI can show it inline.
        field:
          error.cause instanceof AppError && typeof error.cause.details?.field === "string"
            ? error.cause.details.field
            : undefined,
        ...(ctx?.deps.production ? {} : { stack: shape.data.stack }),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain errors to their tRPC codes and logs what nobody expected. */
const errors = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) throw toTRPCError(cause);
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.deps.logger.error({ err: cause ?? result.error, path, type }, "procedure failed");
    }
  }
  return result;
});

/** Browsers send Origin on every cross-site POST: a mutation from a foreign origin is refused. */
const csrf = t.middleware(({ ctx, next, type }) => {
  if (
    type === "mutation" &&
    ctx.meta.origin !== undefined &&
    !ctx.meta.allowedOrigins.includes(ctx.meta.origin)
  ) {
    throw toTRPCError(
      new AppError(
        "FORBIDDEN",
        `Request refused: it came from ${ctx.meta.origin}, not from this panel. Open the panel at its own address and try again.`,
      ),
    );
  }
  return next();
});

/** Every successful mutation must leave an audit event. */
const auditGuard = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (type === "mutation" && result.ok && ctx.auditCount() === 0) {
    ctx.deps.logger.error({ path }, "mutation completed without an audit event");
    if (!ctx.deps.production)
      throw toTRPCError(new AppError("INTERNAL", `Mutation ${path} did not record an audit event.`));
  }
  return result;
});

export const publicProcedure = t.procedure.use(errors).use(csrf).use(auditGuard);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session)
    throw toTRPCError(
      new AppError("UNAUTHENTICATED", "You are not signed in, or your session has ended. Sign in again."),
    );
  return next({ ctx: { ...ctx, session: ctx.session } });
});

export function roleProcedure(minimum: TRole) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roleAtLeast(ctx.session.user.role, minimum)) {
      throw toTRPCError(
        new AppError(
          "FORBIDDEN",
          `This needs the ${minimum} role or higher; you are ${ctx.session.user.role}. Ask an owner or admin.`,
        ),
      );
    }
    return next();
  });
}

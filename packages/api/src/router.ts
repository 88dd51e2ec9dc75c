import { auditRouter } from "./routers/audit.ts";
import { authRouter } from "./routers/auth.ts";
import { fleetRouter, joinTokensRouter, nodesRouter } from "./routers/fleet.ts";
import { setupRouter } from "./routers/setup.ts";
import { systemRouter } from "./routers/system.ts";
import { usersRouter } from "./routers/users.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  system: systemRouter,
  setup: setupRouter,
  auth: authRouter,
  users: usersRouter,
  audit: auditRouter,
  fleet: fleetRouter,
  nodes: nodesRouter,
  joinTokens: joinTokensRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

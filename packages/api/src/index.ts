export { PASSWORD_RULE } from "./auth/password.ts";
export type { ApiDeps, Context, RequestMeta } from "./context.ts";
export { AppError, type AppErrorCode } from "./errors.ts";
export { createTrpcHandler, MAX_BODY_BYTES, TRPC_BASE_PATH } from "./http.ts";
export { createLiveFeed, type LiveFeed } from "./live/live-feed.ts";
export { issueSetupCode, needsSetup } from "./operators/setup-code.ts";
export { ROLES, type TRole } from "./roles.ts";
export { type AppRouter, appRouter, createCaller } from "./router.ts";

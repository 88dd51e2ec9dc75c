export * from "./outbound-queue.ts";
export * from "./replay-cache.ts";
export * from "./session-errors.ts";
export * from "./token-bucket.ts";
export * from "./verify-session-token.ts";

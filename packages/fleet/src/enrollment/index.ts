export * from "./enroll-http-handler.ts";
export * from "./enroll-node.ts";
export * from "./join-tokens.ts";

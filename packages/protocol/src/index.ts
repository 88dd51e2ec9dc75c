export * from "./close-codes.ts";
export * from "./enrollment.ts";
export * from "./messages.ts";
export * from "./parse-frame.ts";
export * from "./session-token.ts";
export * from "./version.ts";

export * from "./enrollment/index.ts";
export * from "./hub/index.ts";
export * from "./nodes/index.ts";
export * from "./session/index.ts";

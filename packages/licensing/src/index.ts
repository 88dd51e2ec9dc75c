export * from "./activation.ts";
export * from "./activation-client.ts";
export * from "./clock-guard.ts";
export * from "./evaluate-license.ts";
export * from "./license-error.ts";
export * from "./license-token.ts";
export * from "./plans.ts";
export * from "./vendor-keys.ts";

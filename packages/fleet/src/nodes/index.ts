export * from "./fleet-summary.ts";
export * from "./get-node.ts";
export * from "./list-nodes.ts";
export * from "./node-changes.ts";
export * from "./node-views.ts";
export * from "./revoke-node.ts";

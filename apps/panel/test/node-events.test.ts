import { describe, expect, it } from "vitest";
import { describeNodeEvent } from "../lib/node-events.ts";

describe("describeNodeEvent", () => {
  it("words the hub's connection events", () => {
    expect(describeNodeEvent("disconnected", { code: 1001, reason: "panel shutting down" })).toEqual({
      title: "Disconnected",
      detail: "close code 1001 · panel shutting down",
      tone: "warning",
    });
    expect(describeNodeEvent("revoked", { reason: "disk replaced" })).toEqual({
      title: "Revoked",
      detail: "disk replaced",
      tone: "danger",
    });
    expect(
      describeNodeEvent("connected", { agentVersion: "0.1.0", protocol: 1, remote: "10.0.0.7" }).detail,
    ).toBe("agent 0.1.0 · protocol 1 · from 10.0.0.7");
  });

  it("leaves out what an event does not carry", () => {
    expect(describeNodeEvent("rejected", {}).detail).toBeUndefined();
    expect(describeNodeEvent("enrolled", { hostname: "edge-1" }).detail).toBe("host edge-1");
  });

  it("still shows unknown kinds with their details", () => {
    expect(describeNodeEvent("drained", { by: "ops", nodes: 3 })).toEqual({
      title: "drained",
      detail: "by: ops · nodes: 3",
      tone: "neutral",
    });
  });
});

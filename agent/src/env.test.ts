import { describe, expect, it } from "vitest";
import { AgentConfigError, agentPaths, loadAgentEnv } from "./env.ts";

describe("loadAgentEnv", () => {
  it("defaults to the FHS paths with the socket in the run directory", () => {
    const env = loadAgentEnv({});
    expect(env).toEqual({
      configDir: "/etc/cenvero-str",
      stateDir: "/var/lib/cenvero-str",
      logDir: "/var/log/cenvero-str",
      runDir: "/run/cenvero-str",
      socketPath: "/run/cenvero-str/agent.sock",
      logLevel: "info",
    });
    expect(agentPaths(env).nodeKey).toBe("/var/lib/cenvero-str/node-key.jwk");
  });

  it("lets environment variables override defaults and flags override both", () => {
    const variables = {
      CENVERO_STR_RUN_DIR: "/tmp/r",
      CENVERO_STR_STATE_DIR: "/tmp/s",
      CENVERO_STR_LOG_LEVEL: "debug",
    };
    const env = loadAgentEnv(variables, { stateDir: "/tmp/flag-state" });
    expect(env.runDir).toBe("/tmp/r");
    expect(env.socketPath).toBe("/tmp/r/agent.sock");
    expect(env.stateDir).toBe("/tmp/flag-state");
    expect(env.logLevel).toBe("debug");
    expect(loadAgentEnv(variables, { socketPath: "/tmp/x.sock" }).socketPath).toBe("/tmp/x.sock");
  });

  it("resolves relative paths and ignores empty values", () => {
    const env = loadAgentEnv({ CENVERO_STR_STATE_DIR: "state", CENVERO_STR_LOG_DIR: "" });
    expect(env.stateDir).toBe(`${process.cwd()}/state`);
    expect(env.logDir).toBe("/var/log/cenvero-str");
  });

  it("names the variable when a value is invalid", () => {
    expect(() => loadAgentEnv({ CENVERO_STR_LOG_LEVEL: "loud" })).toThrow(AgentConfigError);
    expect(() => loadAgentEnv({ CENVERO_STR_LOG_LEVEL: "loud" })).toThrow(/CENVERO_STR_LOG_LEVEL/);
  });
});

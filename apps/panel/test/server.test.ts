import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@stratum/db";
import { readMigrationFiles } from "@stratum/db/migrate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPanelEnv } from "../server/env.ts";
import { checkHealth } from "../server/health.ts";
import { type RunningPanel, startPanel } from "../server/start-panel.ts";

let panel: RunningPanel;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stratum-panel-test-"));
  const env = readPanelEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    STRATUM_SETUP_CODE_FILE: join(dir, "setup-code"),
  });
  panel = await startPanel({ env, ui: false, dataDir: join(dir, "data"), databaseUrl: "" });
});
afterAll(async () => {
  await panel?.close();
  rmSync(dir, { recursive: true, force: true });
});

function raw(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        `${panel.url}${path}`,
        // A fresh connection per request: a kept-alive socket may be closed by the server between tests.
        { method: init.method ?? "GET", headers: init.headers, agent: false },
        (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on("error", reject);
      req.end(init.body);
    },
  );
}

describe("panel server", () => {
  it("reports health once the embedded database is migrated", async () => {
    const res = await raw("/api/health");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      status: "ok",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      database: { kind: "pglite", migrations: "current" },
    });
  });

  it("reports 503 while migrations are pending", async () => {
    const db = await openDatabase({ inMemory: true });
    try {
      const report = await checkHealth(db, "1.0.0", readMigrationFiles());
      expect(report).toMatchObject({ status: "unavailable", database: { migrations: "pending" } });
    } finally {
      await db.close();
    }
  });

  it("writes the one-time setup code to the requested file, matching the log", () => {
    expect(panel.setupCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(readFileSync(join(dir, "setup-code"), "utf8").trim()).toBe(panel.setupCode);
  });

  it("answers unknown tRPC paths with 404 and a message", async () => {
    const res = await raw("/api/trpc/nope.nothing");
    expect(res.status).toBe(404);
    expect(res.body).toMatch(/No procedure found/);
  });

  it("refuses oversized request bodies with 413 and changes nothing", async () => {
    const body = JSON.stringify({
      email: "a@b.test",
      name: "x".repeat(2 * 1024 * 1024),
      role: "viewer",
      password: "long enough secret",
    });
    const res = await raw("/api/trpc/users.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(413);
    expect(await panel.db.prisma.user.count()).toBe(0);
  });

  it("sets HttpOnly session cookies through the HTTP adapter and refuses foreign origins", async () => {
    const code = readFileSync(join(dir, "setup-code"), "utf8").trim();
    const payload = JSON.stringify({
      code,
      email: "owner@stratum.test",
      name: "Owner",
      password: "correct horse battery",
    });
    const foreign = await raw("/api/trpc/setup.complete", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://attacker.test" },
      body: payload,
    });
    expect(foreign.status).toBe(403);
    expect(await panel.db.prisma.user.count()).toBe(0);
    const res = await raw("/api/trpc/setup.complete", {
      method: "POST",
      headers: { "content-type": "application/json", origin: panel.url.replace("localhost", "127.0.0.1") },
      body: payload,
    });
    expect(res.status).toBe(200);
    const cookie = String((res.headers["set-cookie"] as string[])[0]);
    expect(cookie).toMatch(/^stratum_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it("routes WebSocket upgrades by path and refuses unknown ones", async () => {
    const upgrade = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${panel.url}${path}`, {
          headers: {
            connection: "Upgrade",
            upgrade: "websocket",
            "sec-websocket-version": "13",
            "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          },
        });
        req.on("response", (res) => resolve(res.statusCode ?? 0));
        req.on("upgrade", () => resolve(101));
        req.on("error", reject);
        req.end();
      });
    expect(await upgrade("/somewhere")).toBe(404);
    expect(await upgrade("/_next/webpack-hmr")).toBe(404);
    // The fleet hub accepts the upgrade; authentication happens in the first frame.
    expect(await upgrade("/agent/v1")).toBe(101);
  });

  it("rejects an invalid configuration with the variable's name", () => {
    expect(() => readPanelEnv({ PORT: "ninety" })).toThrow(/PORT/);
    expect(() => readPanelEnv({ STRATUM_PUBLIC_URL: "not a url" })).toThrow(/STRATUM_PUBLIC_URL/);
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "./io.ts";
import { main } from "./main.ts";

const bin = join(import.meta.dirname, "../bin/stratum-admin.js");
let dataDir: string;
const saved = { ...process.env };

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "stratum-admin-test-"));
  process.env.STRATUM_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  delete process.env.INIT_CWD;
});
afterAll(() => {
  process.env = saved;
  rmSync(dataDir, { recursive: true, force: true });
});

function io(stdin = "") {
  let out = "";
  let err = "";
  const value: Io = { out: (s) => (out += s), err: (s) => (err += s), readStdin: async () => stdin };
  return { io: value, out: () => out, err: () => err };
}

describe("stratum-admin", () => {
  it("migrates the embedded database from the real executable, then reports it current", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "db", "migrate"], {
      env: { ...process.env, STRATUM_DATA_DIR: dataDir },
    });
    expect(stdout).toMatch(/applied \d{14}_init/);
    expect(stdout).toMatch(/the schema is current/);
    const status = io();
    expect(await main(["node", "stratum-admin", "db", "status", "--json"], status.io)).toBe(0);
    expect(JSON.parse(status.out())).toMatchObject({ database: "pglite", state: "current", pending: [] });
  });

  it("refuses a weak password and an unknown account without changing anything", async () => {
    const weak = io("short\n");
    expect(
      await main(["node", "stratum-admin", "users", "reset-password", "--email", "a@b.test"], weak.io),
    ).toBe(1);
    expect(weak.err()).toMatch(/at least 12 characters/);
    const unknown = io("a perfectly long secret\n");
    expect(
      await main(
        ["node", "stratum-admin", "users", "reset-password", "--email", "nobody@b.test"],
        unknown.io,
      ),
    ).toBe(1);
    expect(unknown.err()).toMatch(/No account with email nobody@b.test/);
  });

  it("resets a password, ends the account's sessions and audits it", async () => {
    const { openDatabase } = await import("@stratum/db");
    const { verifyPassword } = await import("@stratum/api/auth/password");
    let db = await openDatabase({ dataDir });
    const user = await db.prisma.user.create({
      data: { email: "lost@b.test", name: "Lost", role: "admin", passwordHash: "x" },
    });
    await db.prisma.session.create({
      data: { id: "s".repeat(64), userId: user.id, expiresAt: new Date(Date.now() + 60_000) },
    });
    await db.close();
    const run = io("a perfectly long secret\n");
    expect(
      await main(["node", "stratum-admin", "users", "reset-password", "--email", "LOST@b.test"], run.io),
    ).toBe(0);
    db = await openDatabase({ dataDir });
    try {
      const after = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(await verifyPassword(after.passwordHash, "a perfectly long secret")).toBe(true);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
      expect(
        await db.prisma.auditEvent.count({ where: { action: "user.password_reset", targetId: user.id } }),
      ).toBe(1);
    } finally {
      await db.close();
    }
  });

  it("exits 2 with usage help for an unknown command", async () => {
    const run = io();
    expect(await main(["node", "stratum-admin", "frobnicate"], run.io)).toBe(2);
    expect(run.err()).toMatch(/unknown command/);
  });
});

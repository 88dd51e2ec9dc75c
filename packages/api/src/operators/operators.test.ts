import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_IDLE_MS, SESSION_ROTATE_GRACE_MS, SESSION_ROTATE_MS } from "../auth/session-store.ts";
import { type ApiHarness, apiHarness } from "../testing/api-harness.ts";

const PASSWORD = "correct horse battery";

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

describe("first-run setup", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness();
  });
  afterAll(() => h.close());

  it("refuses a wrong setup code and a weak password, creating nothing", async () => {
    const code = (await h.issueSetupCode())!;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const { caller } = await h.as();
    const wrong = await rejection(
      caller.setup.complete({
        code: "AAAA-BBBB-CCCC",
        email: "o@stratum.test",
        name: "O",
        password: PASSWORD,
      }),
    );
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.message).toMatch(/setup code is not correct/);
    const short = await rejection(
      caller.setup.complete({ code, email: "o@stratum.test", name: "O", password: "short" }),
    );
    expect(short.code).toBe("BAD_REQUEST");
    const weak = await rejection(
      caller.setup.complete({
        code,
        email: "olivia@stratum.test",
        name: "O",
        password: "olivia-password-123",
      }),
    );
    expect(weak.message).toMatch(/at least 12 characters and must not contain your email/);
    expect(await h.db.prisma.user.count()).toBe(0);
    expect(await h.db.prisma.auditEvent.count()).toBe(0);
    expect((await caller.setup.state()).needsSetup).toBe(true);
  });

  it("creates the owner with a session, audits it, and cannot run twice", async () => {
    const code = (await h.issueSetupCode())!;
    const first = await h.as();
    await first.caller.setup.complete({
      code,
      email: "Owner@Stratum.test",
      name: "Owner",
      password: PASSWORD,
    });
    const token = first.issuedToken();
    expect(token).toBeDefined();
    expect(first.cookies[0]).toMatch(/HttpOnly; SameSite=Lax/);
    const me = await (await h.as({ token })).caller.auth.me();
    expect(me).toMatchObject({ email: "owner@stratum.test", role: "owner" });
    expect((await first.caller.setup.state()).needsSetup).toBe(false);
    const again = await rejection(
      (await h.as()).caller.setup.complete({ code, email: "x@stratum.test", name: "X", password: PASSWORD }),
    );
    expect(again.code).toBe("CONFLICT");
    const events = await h.db.prisma.auditEvent.findMany();
    expect(events.map((e) => [e.action, e.actorEmail])).toEqual([["setup.complete", "owner@stratum.test"]]);
    expect(JSON.stringify(events.map((e) => e.summary))).not.toContain(PASSWORD);
  });
});

describe("sign-in, sessions and rate limits", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness();
    await h.withOwner();
  });
  afterAll(() => h.close());

  it("gives the same error for an unknown account and a wrong password", async () => {
    const { caller } = await h.as({ ip: "127.0.0.20" });
    const unknown = await rejection(caller.auth.signIn({ email: "nobody@stratum.test", password: PASSWORD }));
    const wrong = await rejection(
      caller.auth.signIn({ email: "owner@stratum.test", password: "not the password" }),
    );
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.code).toBe("UNAUTHORIZED");
    const failures = await h.db.prisma.auditEvent.findMany({ where: { action: "auth.login_failed" } });
    expect(failures).toHaveLength(2);
  });

  it("locks an account after five failures, even for the right password", async () => {
    await h.db.prisma.user.create({
      data: {
        email: "victim@stratum.test",
        name: "V",
        role: "viewer",
        passwordHash: (await h.db.prisma.user.findFirstOrThrow()).passwordHash,
      },
    });
    for (let i = 0; i < 5; i++) {
      const { caller } = await h.as({ ip: `127.0.1.${i}` });
      await rejection(caller.auth.signIn({ email: "victim@stratum.test", password: "guess" }));
    }
    const { caller } = await h.as({ ip: "127.0.2.1" });
    const locked = await rejection(caller.auth.signIn({ email: "victim@stratum.test", password: PASSWORD }));
    expect(locked.code).toBe("TOO_MANY_REQUESTS");
    expect(locked.message).toMatch(/Try again in 15 minutes/);
    h.advance(15 * 60 * 1000 + 1000);
    await expect(
      caller.auth.signIn({ email: "victim@stratum.test", password: PASSWORD }),
    ).resolves.toMatchObject({ userId: expect.any(String) });
  });

  it("limits failures per source address across accounts", async () => {
    for (let i = 0; i < 20; i++) {
      const { caller } = await h.as({ ip: "127.0.3.3" });
      await rejection(caller.auth.signIn({ email: `spray${i}@stratum.test`, password: "guess" }));
    }
    const { caller } = await h.as({ ip: "127.0.3.3" });
    expect(
      (await rejection(caller.auth.signIn({ email: "owner@stratum.test", password: PASSWORD }))).code,
    ).toBe("TOO_MANY_REQUESTS");
    h.advance(16 * 60 * 1000);
  });

  it("treats a tampered or unknown cookie as signed out", async () => {
    const token = await h.signIn("owner@stratum.test", PASSWORD);
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(await (await h.as({ token: tampered })).caller.auth.me()).toBeNull();
    expect(await (await h.as({ token: "x".repeat(400) })).caller.auth.me()).toBeNull();
    const denied = await rejection((await h.as({ token: tampered })).caller.users.list());
    expect(denied.code).toBe("UNAUTHORIZED");
  });

  it("ends a session after the idle timeout", async () => {
    const token = await h.signIn("owner@stratum.test", PASSWORD);
    h.advance(SESSION_IDLE_MS + 1000);
    expect(await (await h.as({ token })).caller.auth.me()).toBeNull();
  });

  it("rotates the token, keeping the old one only for a short grace period", async () => {
    const token = await h.signIn("owner@stratum.test", PASSWORD);
    h.advance(SESSION_ROTATE_MS + 1000);
    const rotated = await h.as({ token });
    expect(await rotated.caller.auth.me()).not.toBeNull();
    const fresh = rotated.issuedToken();
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(token);
    expect(await (await h.as({ token })).caller.auth.me()).not.toBeNull();
    h.advance(SESSION_ROTATE_GRACE_MS + 1000);
    expect(await (await h.as({ token })).caller.auth.me()).toBeNull();
    expect(await (await h.as({ token: fresh })).caller.auth.me()).toMatchObject({
      email: "owner@stratum.test",
    });
  });

  it("signs out and ends password-changed sessions", async () => {
    const a = await h.signIn("owner@stratum.test", PASSWORD);
    const b = await h.signIn("owner@stratum.test", PASSWORD);
    const wrong = await rejection(
      (await h.as({ token: a })).caller.auth.changePassword({
        currentPassword: "nope",
        newPassword: "another long secret",
      }),
    );
    expect(wrong.message).toMatch(/current password is not correct/);
    const change = await h.as({ token: a });
    await change.caller.auth.changePassword({
      currentPassword: PASSWORD,
      newPassword: "another long secret",
    });
    expect(await (await h.as({ token: b })).caller.auth.me()).toBeNull();
    const c = change.issuedToken()!;
    const out = await h.as({ token: c });
    await out.caller.auth.signOut();
    expect(out.cookies.at(-1)).toMatch(/Max-Age=0/);
    expect(await (await h.as({ token: c })).caller.auth.me()).toBeNull();
    const actions = (await h.db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.password_change", "auth.logout", "auth.login"]));
  });
});

describe("user management and roles", () => {
  let h: ApiHarness;
  let owner: string;
  beforeAll(async () => {
    h = await apiHarness();
    owner = await h.withOwner();
  });
  afterAll(() => h.close());

  it("lets the owner create users and refuses duplicates without changing anything", async () => {
    const { caller } = await h.as({ token: owner });
    const op = await caller.users.create({
      email: "op@stratum.test",
      name: "Op",
      role: "operator",
      password: PASSWORD,
    });
    expect(op).toMatchObject({ email: "op@stratum.test", role: "operator", disabled: false });
    await caller.users.create({ email: "admin@stratum.test", name: "Ad", role: "admin", password: PASSWORD });
    const duplicate = await rejection(
      caller.users.create({ email: "OP@stratum.test", name: "Again", role: "viewer", password: PASSWORD }),
    );
    expect(duplicate.code).toBe("CONFLICT");
    expect(duplicate.message).toMatch(/already exists/);
    expect(await h.db.prisma.user.count()).toBe(3);
    expect(await h.db.prisma.auditEvent.count({ where: { action: "user.create" } })).toBe(2);
  });

  it("checks the role on every procedure", async () => {
    const operator = await h.as({ token: await h.signIn("op@stratum.test", PASSWORD) });
    expect((await rejection(operator.caller.users.list())).code).toBe("FORBIDDEN");
    expect((await rejection(operator.caller.audit.list({ limit: 10 }))).code).toBe("FORBIDDEN");
    const forbidden = await rejection(
      operator.caller.users.create({
        email: "x@stratum.test",
        name: "X",
        role: "viewer",
        password: PASSWORD,
      }),
    );
    expect(forbidden.message).toMatch(/needs the admin role/);
    const admin = await h.as({ token: await h.signIn("admin@stratum.test", PASSWORD) });
    const grant = await rejection(
      admin.caller.users.create({ email: "o2@stratum.test", name: "O2", role: "owner", password: PASSWORD }),
    );
    expect(grant.code).toBe("FORBIDDEN");
    const ownerRow = await h.db.prisma.user.findFirstOrThrow({ where: { role: "owner" } });
    expect((await rejection(admin.caller.users.update({ id: ownerRow.id, disabled: true }))).code).toBe(
      "FORBIDDEN",
    );
    expect(await h.db.prisma.user.count()).toBe(3);
  });

  it("ends a disabled user's live session at once", async () => {
    const token = await h.signIn("op@stratum.test", PASSWORD);
    const opRow = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "op@stratum.test" } });
    await (await h.as({ token: owner })).caller.users.update({ id: opRow.id, disabled: true });
    expect(await (await h.as({ token })).caller.auth.me()).toBeNull();
    const again = await rejection(
      (await h.as()).caller.auth.signIn({ email: "op@stratum.test", password: PASSWORD }),
    );
    expect(again.code).toBe("UNAUTHORIZED");
    const audit = await h.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user.update" },
      orderBy: { id: "desc" },
    });
    expect(audit.summary).toMatchObject({ disabled: { from: false, to: true } });
  });

  it("keeps the last owner and stops self-demotion", async () => {
    const { caller } = await h.as({ token: owner });
    const me = await caller.auth.me();
    const self = await rejection(caller.users.update({ id: me!.id, role: "admin" }));
    expect(self.code).toBe("FORBIDDEN");
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: me!.id } })).role).toBe("owner");
  });

  it("refuses mutations from a foreign origin and changes nothing", async () => {
    const { caller } = await h.as({ token: owner, origin: "http://evil.test" });
    const error = await rejection(
      caller.users.create({ email: "csrf@stratum.test", name: "C", role: "viewer", password: PASSWORD }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/came from http:\/\/evil.test/);
    expect(await h.db.prisma.user.findUnique({ where: { email: "csrf@stratum.test" } })).toBeNull();
    await expect(caller.auth.me()).resolves.not.toBeNull();
  });

  it("lists and filters the audit log, newest first, with a cursor", async () => {
    const { caller } = await h.as({ token: owner });
    const all = await caller.audit.list({ limit: 200 });
    expect(all.items.length).toBeGreaterThan(4);
    const ids = all.items.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const creates = await caller.audit.list({ action: "user.create", limit: 200 });
    expect(creates.items.every((e) => e.action === "user.create")).toBe(true);
    const page1 = await caller.audit.list({ limit: 2 });
    const page2 = await caller.audit.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.items[0]!.id).toBe(all.items[2]!.id);
    const byActor = await caller.audit.list({ actor: "ADMIN@", limit: 200 });
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((e) => e.actorEmail === "admin@stratum.test")).toBe(true);
  });
});

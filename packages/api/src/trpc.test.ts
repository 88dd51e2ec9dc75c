import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createContext } from "./context.ts";
import { type ApiHarness, apiHarness, PANEL_ORIGIN } from "./testing/api-harness.ts";
import { createCallerFactory, publicProcedure, router } from "./trpc.ts";

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness();
});
afterAll(() => h.close());

const testRouter = router({
  forgetful: publicProcedure
    .input(z.void())
    .output(z.number())
    .mutation(async ({ ctx }) => ctx.deps.db.prisma.setting.count()),
  careful: publicProcedure
    .input(z.void())
    .output(z.literal(true))
    .mutation(async ({ ctx }) => {
      await ctx.audited({ action: "test.careful", targetType: "test" }, async () => undefined);
      return true as const;
    }),
});

async function call() {
  const ctx = await createContext({
    deps: h.deps,
    meta: { allowedOrigins: [PANEL_ORIGIN], origin: PANEL_ORIGIN, secure: false },
    cookieHeader: undefined,
    setCookie: () => {},
  });
  return createCallerFactory(testRouter)(ctx);
}

describe("procedure guards", () => {
  it("fails a mutation that completes without recording an audit event", async () => {
    await expect((await call()).forgetful()).rejects.toThrow(/did not record an audit event/);
    await expect((await call()).careful()).resolves.toBe(true);
  });

  it("announces audit events to live subscribers on commit", async () => {
    const controller = new AbortController();
    const received = (async () => {
      for await (const event of h.deps.live.subscribe("audit", controller.signal)) return event;
    })();
    // Let the subscription's LISTEN land before the write.
    await new Promise((r) => setTimeout(r, 100));
    await (await call()).careful();
    const event = await received;
    controller.abort();
    const last = await h.db.prisma.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(event).toEqual({ topic: "audit", id: last.id.toString() });
  });
});

import {
  createJoinToken,
  fleetSummary,
  getNode,
  listJoinTokens,
  listNodes,
  revokeJoinToken,
  revokeNode,
  ZCreateJoinTokenInput,
  ZFleetSummary,
  ZJoinToken,
  ZListNodesInput,
  ZNodeDetail,
  ZNodePage,
} from "@stratum/fleet";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { zAsyncIterable } from "../live/async-iterable-schema.ts";
import { roleProcedure, router } from "../trpc.ts";

const viewerProcedure = roleProcedure("viewer");
const adminProcedure = roleProcedure("admin");

export const fleetRouter = router({
  summary: viewerProcedure
    .input(z.void())
    .output(ZFleetSummary)
    .query(({ ctx }) => fleetSummary(ctx.deps.db, ctx.now(), ctx.deps.offlineAfterMs)),
  /** Tells open fleet pages that nodes connected, disconnected or reported. */
  live: viewerProcedure
    .input(z.void())
    .output(zAsyncIterable(z.object({ at: z.iso.datetime() })))
    .subscription(async function* ({ ctx, signal }) {
      for await (const _ of ctx.deps.live.subscribe("fleet", signal)) yield { at: new Date().toISOString() };
    }),
});

export const nodesRouter = router({
  list: viewerProcedure
    .input(ZListNodesInput)
    .output(ZNodePage)
    .query(({ ctx, input }) => listNodes(ctx.deps.db, input, ctx.now(), ctx.deps.offlineAfterMs)),
  get: viewerProcedure
    .input(z.object({ id: z.uuid() }))
    .output(ZNodeDetail)
    .query(async ({ ctx, input }) => {
      const node = await getNode(ctx.deps.db, input.id, ctx.now(), ctx.deps.offlineAfterMs);
      if (!node)
        throw new AppError("NOT_FOUND", "No such node. It may have been removed; go back to the node list.");
      return node;
    }),
  revoke: adminProcedure
    .input(
      z.object({ id: z.uuid(), reason: z.string().trim().min(1, "Say why the node is revoked.").max(500) }),
    )
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.audited(
        (r: { name: string }) => ({
          action: "node.revoke",
          targetType: "node",
          targetId: input.id,
          summary: { name: r.name, reason: input.reason },
        }),
        async (tx) => {
          const result = await revokeNode(tx, input.id, input.reason, ctx.now());
          if (!result) throw new AppError("NOT_FOUND", "No such node. Reload the node list.");
          if (result.alreadyRevoked) throw new AppError("CONFLICT", `${result.name} is already revoked.`);
          return result;
        },
      );
      return { ok: true as const };
    }),
});

const ZCreatedJoinToken = z.object({ token: z.string(), joinToken: ZJoinToken, installCommand: z.string() });

export const joinTokensRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(z.array(ZJoinToken))
    .query(({ ctx }) => listJoinTokens(ctx.deps.db, ctx.now())),
  create: adminProcedure
    .input(ZCreateJoinTokenInput)
    .output(ZCreatedJoinToken)
    .mutation(async ({ ctx, input }) => {
      const created = await ctx.audited(
        (r: Awaited<ReturnType<typeof createJoinToken>>) => ({
          action: "join_token.create",
          targetType: "join_token",
          targetId: r.joinToken.id,
          summary: {
            description: input.description,
            mode: input.mode,
            maxUses: input.maxUses,
            expiresAt: r.joinToken.expiresAt,
            labels: input.labels,
          },
        }),
        (tx) => createJoinToken(tx, { ...input, createdById: ctx.session.user.id }, ctx.now()),
      );
      const panel = ctx.meta.panelOrigin ?? "https://PANEL";
      return {
        ...created,
        installCommand: `cenvero-str-agent enroll --panel ${panel} --token ${created.token} && systemctl enable --now cenvero-str-agent`,
      };
    }),
  revoke: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .output(ZJoinToken)
    .mutation(async ({ ctx, input }) =>
      ctx.audited(
        (t: z.infer<typeof ZJoinToken>) => ({
          action: "join_token.revoke",
          targetType: "join_token",
          targetId: t.id,
          summary: { description: t.description, uses: t.uses },
        }),
        async (tx) => {
          const token = await revokeJoinToken(tx, input.id, ctx.now());
          if (!token) throw new AppError("NOT_FOUND", "No such join token. Reload the list.");
          return token;
        },
      ),
    ),
});

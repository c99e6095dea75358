import {
  clearOverrideSchema,
  createFlagSchema,
  flagKeyInputSchema,
  listFlagsSchema,
  setOverrideSchema,
  updateFlagSchema,
} from "@/lib/schemas/flags";
import { FeatureFlagService } from "@/server/flags/flags.admin";
import { adminProcedure, createTRPCRouter } from "../trpc";
import type { Context } from "../context";
import type { SessionUser } from "@/server/core/session";

const flags = (ctx: Context & { session: SessionUser }) =>
  new FeatureFlagService({ userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);

/** Feature flags in the admin console (`admin.flags.*`); the evaluation is server/flags/feature-flags.ts. */
export const adminFlagsRouter = createTRPCRouter({
  list: adminProcedure.input(listFlagsSchema).query(({ ctx, input }) => flags(ctx).list(input)),
  get: adminProcedure.input(flagKeyInputSchema).query(({ ctx, input }) => flags(ctx).get(input.key)),
  create: adminProcedure.input(createFlagSchema).mutation(({ ctx, input }) => flags(ctx).create(input)),
  update: adminProcedure.input(updateFlagSchema).mutation(({ ctx, input }) => flags(ctx).update(input)),
  delete: adminProcedure.input(flagKeyInputSchema).mutation(({ ctx, input }) => flags(ctx).delete(input.key)),
  setOverride: adminProcedure
    .input(setOverrideSchema)
    .mutation(({ ctx, input }) => flags(ctx).setOverride(input.key, input.tenant, input.enabled)),
  clearOverride: adminProcedure.input(clearOverrideSchema).mutation(({ ctx, input }) => flags(ctx).clearOverride(input.key, input.tenant)),
});

import { previewTemplateSchema, saveTemplateSchema, templateRefSchema } from "@/lib/schemas/templates";
import { TemplateAdminService } from "@/server/notifications/templates.admin";
import { adminProcedure, createTRPCRouter } from "../trpc";
import type { Context } from "../context";
import type { SessionUser } from "@/server/core/session";

const templates = (ctx: Context & { session: SessionUser }) =>
  new TemplateAdminService({ userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);

/** The global message templates in the admin console. */
export const adminTemplatesRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => templates(ctx).list()),
  get: adminProcedure.input(templateRefSchema).query(({ ctx, input }) => templates(ctx).get(input.key, input.locale)),
  save: adminProcedure.input(saveTemplateSchema).mutation(({ ctx, input }) => templates(ctx).save(input)),
  reset: adminProcedure.input(templateRefSchema).mutation(({ ctx, input }) => templates(ctx).reset(input.key, input.locale)),
  preview: adminProcedure.input(previewTemplateSchema).query(({ ctx, input }) => templates(ctx).preview(input)),
});

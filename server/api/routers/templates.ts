import { previewTemplateSchema, saveTemplateSchema, templateRefSchema } from "@/lib/schemas/templates";
import { TemplateService } from "@/server/notifications/template-service";
import { createTRPCRouter, withPermission } from "../trpc";

/** The workspace's message templates (overrides of the global ones; saving needs the plan feature). */
export const templatesRouter = createTRPCRouter({
  list: withPermission("templates.manage").query(({ ctx }) => new TemplateService(ctx.tenant).list()),
  get: withPermission("templates.manage")
    .input(templateRefSchema)
    .query(({ ctx, input }) => new TemplateService(ctx.tenant).get(input.key, input.locale)),
  save: withPermission("templates.manage")
    .input(saveTemplateSchema)
    .mutation(({ ctx, input }) => new TemplateService(ctx.tenant).save(input)),
  reset: withPermission("templates.manage")
    .input(templateRefSchema)
    .mutation(({ ctx, input }) => new TemplateService(ctx.tenant).reset(input.key, input.locale)),
  preview: withPermission("templates.manage")
    .input(previewTemplateSchema)
    .query(({ ctx, input }) => new TemplateService(ctx.tenant).preview(input)),
});

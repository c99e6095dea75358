import { createTRPCRouter, withPermission } from "../trpc";

export const workspaceRouter = createTRPCRouter({
  /** The signed-in member's view of this workspace; the UI derives what to show from it. */
  current: withPermission("workspace.view").query(({ ctx }) => ({
    tenant: { slug: ctx.tenant.tenant.slug, name: ctx.tenant.tenant.name, locale: ctx.tenant.tenant.locale },
    me: { userId: ctx.session.userId, name: ctx.session.name, email: ctx.session.email, role: ctx.tenant.roleKey },
    permissions: [...ctx.tenant.permissions],
  })),
});

import { closeWorkspaceSchema } from "@/lib/schemas/data-lifecycle";
import { AppError } from "@/server/core/errors";
import { buildTenantContext } from "@/server/core/tenant-context";
import { assertTenantAccess } from "@/server/core/tenant-resolver";
import { WorkspaceDeletionService } from "@/server/workspaces/deletion.admin";
import { createTRPCRouter, publicProcedure, withPermission } from "../trpc";

/**
 * A member of this workspace even while it is closed for deletion (the resolver refuses a closed
 * workspace everywhere else): the host's workspace, a session for this host, an active membership.
 * Only the closed page's own calls (status, restore) use it.
 */
const memberEvenIfClosed = publicProcedure.meta({ scope: "tenant", permission: "workspace.view" }).use(async ({ ctx, next }) => {
  const scope = await ctx.resolver.scope();
  if (scope?.kind !== "tenant") throw new AppError("NOT_FOUND", "errors.notFound");
  if (scope.tenant.status === "suspended") throw new AppError("FORBIDDEN", "errors.workspaceSuspended");
  const session = await ctx.resolver.session();
  if (!session) throw new AppError("UNAUTHORIZED", "errors.unauthorized");
  const tenant = await buildTenantContext(scope.tenant, session, ctx.meta);
  if (!tenant) throw new AppError("NOT_FOUND", "errors.notFound");
  // the permission its meta declares, checked as withPermission does
  assertTenantAccess(tenant, { permission: "workspace.view", allowWhenReadOnly: true });
  return next({ ctx: { ...ctx, session, tenant } });
});

// Workspace deletion (Danger zone on /settings, the closed page). Owner-only rules are the service's.
export const workspaceDeletionRouter = createTRPCRouter({
  status: memberEvenIfClosed.query(({ ctx }) => new WorkspaceDeletionService().status(ctx.tenant)),
  // an unpaid (read-only) workspace can still be deleted
  close: withPermission("workspace.settings", { allowWhenReadOnly: true })
    .input(closeWorkspaceSchema)
    .mutation(({ ctx, input }) => new WorkspaceDeletionService().close(ctx.tenant, input)),
  restore: memberEvenIfClosed.mutation(({ ctx }) => new WorkspaceDeletionService().restoreByOwner(ctx.tenant)),
});

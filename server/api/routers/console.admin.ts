import {
  impersonateSchema,
  listTenantsSchema,
  listUsersSchema,
  runJobSchema,
  suspendTenantSchema,
  tenantIdSchema,
  userIdSchema,
} from "@/lib/schemas/admin";
import { AppError } from "@/server/core/errors";
import { TenantAdminService } from "@/server/workspaces/tenants.admin";
import { WorkspaceDeletionService } from "@/server/workspaces/deletion.admin";
import { UserAdminService } from "@/server/team/users.admin";
import { ImpersonationService } from "@/server/team/impersonation.admin";
import { isJobId, jobsOverview, runJobAsAdmin } from "@/server/ops/jobs.admin";
import { adminProcedure, createTRPCRouter } from "../trpc";
import { adminAuditRouter } from "./audit.admin";
import { adminFlagsRouter } from "./flags.admin";

export const adminRouter = createTRPCRouter({
  audit: adminAuditRouter,
  flags: adminFlagsRouter,
  tenants: adminProcedure.input(listTenantsSchema).query(({ ctx, input }) => new TenantAdminService(ctx.meta).list(input)),
  tenant: adminProcedure.input(tenantIdSchema).query(({ ctx, input }) => new TenantAdminService(ctx.meta).get(input.tenantId)),
  suspendTenant: adminProcedure
    .input(suspendTenantSchema)
    .mutation(({ ctx, input }) => new TenantAdminService(ctx.meta).suspend(ctx.session, input)),
  reactivateTenant: adminProcedure
    .input(tenantIdSchema)
    .mutation(({ ctx, input }) => new TenantAdminService(ctx.meta).reactivate(ctx.session, input.tenantId)),
  // a workspace closed by its owner, within its grace period (server/workspaces/deletion.admin.ts)
  restoreClosedTenant: adminProcedure
    .input(tenantIdSchema)
    .mutation(({ ctx, input }) => new WorkspaceDeletionService().restoreByAdmin(ctx.session, input.tenantId, ctx.meta)),
  impersonate: adminProcedure
    .input(impersonateSchema)
    .mutation(({ ctx, input }) => new ImpersonationService(ctx.meta).start(ctx.session, input.tenantId, input.membershipId)),
  users: adminProcedure.input(listUsersSchema).query(({ ctx, input }) => new UserAdminService(ctx.meta).list(input)),
  lockUser: adminProcedure.input(userIdSchema).mutation(({ ctx, input }) => new UserAdminService(ctx.meta).lock(ctx.session, input.userId)),
  unlockUser: adminProcedure
    .input(userIdSchema)
    .mutation(({ ctx, input }) => new UserAdminService(ctx.meta).unlock(ctx.session, input.userId)),
  forcePasswordReset: adminProcedure
    .input(userIdSchema)
    .mutation(({ ctx, input }) => new UserAdminService(ctx.meta).forcePasswordReset(ctx.session, input.userId)),
  jobs: adminProcedure.query(() => jobsOverview()),
  runJob: adminProcedure.input(runJobSchema).mutation(async ({ ctx, input }) => {
    if (!isJobId(input.id)) throw new AppError("NOT_FOUND", "errors.notFound");
    const result = await runJobAsAdmin(input.id, { userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);
    return { id: input.id, result: JSON.parse(JSON.stringify(result)) as unknown };
  }),
});

import { listTenantsSchema, runJobSchema } from "@/lib/schemas/admin";
import { AppError } from "@/server/errors";
import { TenantAdminService } from "@/server/services/platform/tenant-admin-service";
import { JOBS, isJobId, runJobAsAdmin } from "@/server/services/platform/jobs";
import { adminProcedure, createTRPCRouter } from "../trpc";
import { adminAuditRouter } from "./admin-audit";
import { adminFlagsRouter } from "./admin-flags";

export const adminRouter = createTRPCRouter({
  audit: adminAuditRouter,
  flags: adminFlagsRouter,
  tenants: adminProcedure.input(listTenantsSchema).query(({ input }) => new TenantAdminService().list(input)),
  jobs: adminProcedure.query(() => Object.entries(JOBS).map(([id, job]) => ({ id, schedule: job.schedule, titleKey: job.titleKey }))),
  runJob: adminProcedure.input(runJobSchema).mutation(async ({ ctx, input }) => {
    if (!isJobId(input.id)) throw new AppError("NOT_FOUND", "errors.notFound");
    const result = await runJobAsAdmin(input.id, { userId: ctx.session.userId, email: ctx.session.email }, ctx.meta);
    return { id: input.id, result: JSON.parse(JSON.stringify(result)) as unknown };
  }),
});

import { adminListAuditSchema } from "@/lib/schemas/audit";
import { AdminAuditService } from "@/server/audit/audit.admin";
import { adminProcedure, createTRPCRouter } from "../trpc";

// The CSV export is a route handler (app/(app)/admin/audit/export/route.ts).
export const adminAuditRouter = createTRPCRouter({
  list: adminProcedure.input(adminListAuditSchema).query(({ ctx, input }) => new AdminAuditService(ctx.meta).list(input)),
});

import { listAuditSchema } from "@/lib/schemas/audit";
import { AuditService } from "@/server/audit/audit-service";
import { createTRPCRouter, withPermission } from "../trpc";

// The CSV export is a route handler (app/(app)/t/[tenant]/(workspace)/audit/export/route.ts): a
// streamed file download does not fit a tRPC response.
export const auditRouter = createTRPCRouter({
  list: withPermission("audit.view")
    .input(listAuditSchema)
    .query(({ ctx, input }) => new AuditService(ctx.tenant).list(input)),
});

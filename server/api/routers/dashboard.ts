import { DashboardService } from "@/server/dashboard/dashboard-service";
import { createTRPCRouter, withPermission } from "../trpc";

export const dashboardRouter = createTRPCRouter({
  /** Occupancy, rent due/collected/overdue per currency, contracts ending soon and the 12-month chart. */
  summary: withPermission("reports.view").query(({ ctx }) => new DashboardService(ctx.tenant).summary()),
});

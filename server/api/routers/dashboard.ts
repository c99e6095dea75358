import { DashboardService } from "@/server/dashboard/dashboard-service";
import { OnboardingChecklistService } from "@/server/dashboard/onboarding-checklist";
import { createTRPCRouter, withPermission } from "../trpc";

export const dashboardRouter = createTRPCRouter({
  /** Occupancy, rent due/collected/overdue per currency, contracts ending soon and the 12-month chart. */
  summary: withPermission("reports.view").query(({ ctx }) => new DashboardService(ctx.tenant).summary()),
  /** The first-run checklist: each step ticked off from the workspace's rows (one statement of EXISTS). */
  checklist: withPermission("workspace.view").query(({ ctx }) => new OnboardingChecklistService(ctx.tenant).get()),
  /** Hides the checklist for the whole workspace (owner or admin: workspace.settings). */
  dismissChecklist: withPermission("workspace.settings").mutation(({ ctx }) => new OnboardingChecklistService(ctx.tenant).dismiss()),
});

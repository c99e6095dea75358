import "server-only";
import { FLAGS } from "@/lib/schemas/flags";
import { hasPermission } from "@/lib/permissions";
import { enabledFlags } from "@/server/flags/feature-flags";
import type { TenantContext } from "@/server/core/tenant-context";
import { DashboardService, type DashboardSummary } from "./dashboard-service";
import { OnboardingChecklistService } from "./onboarding-checklist";
import type { OnboardingChecklist } from "@/lib/onboarding";

// What the workspace layout and its home page read, beyond the request context (issue 13: one
// SSR request of the home page stays within 10 statements). The context is resolved once per
// request (page-context.ts); on top of it the layout and the page together send one statement for
// the feature flags (shared by the layout's FlagsProvider and the page's "what's new" card) and
// one for the dashboard figures (dashboard-service.ts).

/** One flag read per request: the request's TenantContext is one object, shared by its layout and page. */
const flagsByContext = new WeakMap<TenantContext, Promise<string[]>>();

/** The keys of the flags that are on for this request's workspace (read once per request). */
export function workspaceFlags(ctx: TenantContext): Promise<string[]> {
  let flags = flagsByContext.get(ctx);
  if (!flags) {
    flags = enabledFlags(ctx.tenantId);
    flagsByContext.set(ctx, flags);
    // a failed read is not kept: the next render asks again
    flags.catch(() => flagsByContext.delete(ctx));
  }
  return flags;
}

export interface WorkspaceHome {
  showWhatsNew: boolean;
  /** null for members without reports.view (custom roles): they see the welcome card only */
  summary: DashboardSummary | null;
  /** the first-run checklist (one statement of EXISTS; hidden in the UI once done or dismissed) */
  checklist: OnboardingChecklist;
}

const homeByContext = new WeakMap<TenantContext, Promise<WorkspaceHome>>();

/**
 * The home page's own data: the "what's new" flag and, with reports.view, the dashboard figures (in
 * parallel). Read once per request: the home's layout starts it beside the shell's reads, the page
 * awaits the same promise.
 */
export function workspaceHome(ctx: TenantContext): Promise<WorkspaceHome> {
  let home = homeByContext.get(ctx);
  if (!home) {
    home = Promise.all([
      workspaceFlags(ctx),
      hasPermission(ctx.permissions, "reports.view") ? new DashboardService(ctx).summary() : null,
      new OnboardingChecklistService(ctx).get(),
    ]).then(([flags, summary, checklist]) => ({ showWhatsNew: flags.includes(FLAGS.dashboardWhatsNew), summary, checklist }));
    homeByContext.set(ctx, home);
    home.catch(() => homeByContext.delete(ctx));
  }
  return home;
}

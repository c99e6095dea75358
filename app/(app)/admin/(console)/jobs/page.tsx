import { JobsPanel } from "@/components/admin/jobs-panel";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";
import { ADMIN_TIMEZONE } from "@/server/audit/audit.admin";

export default async function AdminJobsPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("admin.jobsTitle")}</h1>
      <p className="text-sm text-slate-600">{t("admin.jobsHelp")}</p>
      <JobsPanel timeZone={ADMIN_TIMEZONE} />
    </div>
  );
}

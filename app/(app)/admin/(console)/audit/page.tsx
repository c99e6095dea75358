import { AdminAuditLog } from "@/components/audit/audit-log";
import { getLocale, getT, requirePlatformAdmin } from "@/server/core/page-context";
import { timeZoneLabel } from "@/lib/time-zone-label";
import { ADMIN_TIMEZONE } from "@/server/audit/audit.admin";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function queryOf(params: Record<string, string | string[] | undefined>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (typeof v === "string") out.set(k, v);
  return out.toString();
}

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("audit.adminTitle")}</h1>
        <p className="text-sm text-slate-600">{t("audit.adminIntro", { timezone: timeZoneLabel(ADMIN_TIMEZONE, await getLocale()) })}</p>
      </div>
      <AdminAuditLog timezone={ADMIN_TIMEZONE} initialQuery={queryOf(await searchParams)} />
    </div>
  );
}

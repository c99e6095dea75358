import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { WorkspaceAuditLog } from "@/components/audit/audit-log";
import { getLocale, getT, requireTenantMember } from "@/server/core/page-context";
import { timeZoneLabel } from "@/lib/time-zone-label";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function queryOf(params: Record<string, string | string[] | undefined>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (typeof v === "string") out.set(k, v);
  return out.toString();
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "audit.view")) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("audit.title")}</h1>
        <p className="text-sm text-slate-600">{t("audit.intro", { timezone: timeZoneLabel(ctx.tenant.timezone, await getLocale()) })}</p>
      </div>
      <WorkspaceAuditLog timezone={ctx.tenant.timezone} initialQuery={queryOf(await searchParams)} />
    </div>
  );
}

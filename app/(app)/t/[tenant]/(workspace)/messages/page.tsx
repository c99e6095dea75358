import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { MessageQuota } from "@/components/message-log/quota";
import { WorkspaceMessageLog } from "@/components/message-log/message-log";
import { SuppressionList } from "@/components/message-log/suppression-list";
import { getLocale, getT, requireTenantMember } from "@/server/core/page-context";
import { timeZoneLabel } from "@/lib/time-zone-label";

export default async function MessagesPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "messages.view")) notFound();
  const t = await getT();
  const timezone = ctx.tenant.timezone;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("messagesLog.title")}</h1>
        <p className="text-sm text-slate-600">{t("messagesLog.intro", { timezone: timeZoneLabel(timezone, await getLocale()) })}</p>
      </div>
      <MessageQuota timezone={timezone} />
      <WorkspaceMessageLog timezone={timezone} />
      <SuppressionList timezone={timezone} />
    </div>
  );
}

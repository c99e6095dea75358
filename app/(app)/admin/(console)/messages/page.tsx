import { AdminMessageLog } from "@/components/message-log/admin-message-log";
import { getLocale, getT, requirePlatformAdmin } from "@/server/core/page-context";
import { timeZoneLabel } from "@/lib/time-zone-label";
import { ADMIN_TIMEZONE } from "@/server/audit/audit.admin";

export default async function AdminMessagesPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("messagesLog.adminTitle")}</h1>
        <p className="text-sm text-slate-600">
          {t("messagesLog.adminIntro", { timezone: timeZoneLabel(ADMIN_TIMEZONE, await getLocale()) })}
        </p>
      </div>
      <AdminMessageLog timezone={ADMIN_TIMEZONE} />
    </div>
  );
}

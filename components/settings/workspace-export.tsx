"use client";
import { useI18n } from "@/lib/i18n/client";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";

/** "Export my data" on /settings: owners download the whole workspace as a zip (GET /settings/export, streamed). */
export function WorkspaceExport({ isOwner }: { isOwner: boolean }) {
  const { t } = useI18n();
  return (
    <Card title={t("workspaceExport.title")}>
      <div className="space-y-4" data-testid="workspace-export">
        <p className="text-sm text-slate-600">{t("workspaceExport.intro")}</p>
        {isOwner ? (
          <>
            <p className="text-sm text-amber-800">{t("workspaceExport.warning")}</p>
            <a
              href="/settings/export"
              download
              onClick={() => toast.success(t("workspaceExport.started"))}
              data-testid="workspace-export-download"
              className="inline-flex min-h-10 w-full items-center justify-center rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800 sm:w-auto"
            >
              {t("workspaceExport.download")}
            </a>
          </>
        ) : (
          <p className="text-sm text-slate-500">{t("workspaceExport.ownerOnly")}</p>
        )}
      </div>
    </Card>
  );
}

import type { HomeI18n } from "@/components/dashboard/format";
import { RestoreWorkspaceButton } from "./restore-workspace-button";

/**
 * The page every member of a workspace closed for deletion sees instead of the app; the owner can
 * restore it. A server component in the reader's language and digits: the restore button is its one
 * island, with its words as props (it is in the layout above the workspace home, whose JavaScript
 * carries no translator, tRPC client or react-query: issue 17).
 */
export function WorkspaceClosed({
  name,
  closedAt,
  deleteAfter,
  isOwner,
  i18n: { t, fmt },
}: {
  name: string;
  closedAt: Date | null;
  deleteAfter: Date | null;
  isOwner: boolean;
  i18n: HomeI18n;
}) {
  return (
    <main
      id="main"
      className="flex min-h-screen flex-col items-center justify-center gap-3 bg-slate-50 px-4 text-center"
      data-testid="workspace-closed"
    >
      <h1 className="text-2xl font-semibold">{t("workspaceDeletion.closedTitle")}</h1>
      <p className="max-w-md text-slate-600">
        {t("workspaceDeletion.closedBody", {
          workspace: name,
          closedAt: closedAt ? fmt.date(closedAt) : "—",
          date: deleteAfter ? fmt.date(deleteAfter) : "—",
        })}
      </p>
      <p className="max-w-md text-sm text-slate-500">
        {isOwner ? t("workspaceDeletion.closedOwner") : t("workspaceDeletion.closedMember")}
      </p>
      {isOwner && (
        <RestoreWorkspaceButton
          text={{
            label: t("workspaceDeletion.restore"),
            confirmTitle: t("workspaceDeletion.restoreConfirmTitle", { workspace: name }),
            confirmBody: t("workspaceDeletion.restoreConfirmBody"),
            cancel: t("workspaceDeletion.cancel"),
            restored: t("workspaceDeletion.restored"),
            networkError: t("errors.network"),
          }}
        />
      )}
    </main>
  );
}

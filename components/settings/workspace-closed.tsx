"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";

/** The page every member of a workspace closed for deletion sees instead of the app; the owner can restore it. */
export function WorkspaceClosed({
  name,
  closedAt,
  deleteAfter,
  isOwner,
}: {
  name: string;
  closedAt: string | null;
  deleteAfter: string | null;
  isOwner: boolean;
}) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const restore = useMutation(
    trpc.workspaceDeletion.restore.mutationOptions({
      onSuccess: () => {
        toast.success(t("workspaceDeletion.restored"));
        window.location.reload();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.network"))),
    }),
  );
  const onRestore = async () => {
    const ok = await confirmAction({
      title: t("workspaceDeletion.restoreConfirmTitle", { workspace: name }),
      text: t("workspaceDeletion.restoreConfirmBody"),
      confirmText: t("workspaceDeletion.restore"),
      cancelText: t("workspaceDeletion.cancel"),
    });
    if (ok) restore.mutate();
  };
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
          closedAt: closedAt ? formatDate(closedAt) : "—",
          date: deleteAfter ? formatDate(deleteAfter) : "—",
        })}
      </p>
      <p className="max-w-md text-sm text-slate-500">
        {isOwner ? t("workspaceDeletion.closedOwner") : t("workspaceDeletion.closedMember")}
      </p>
      {isOwner && (
        <button
          type="button"
          onClick={() => void onRestore()}
          disabled={restore.isPending}
          data-testid="restore-workspace"
          className="inline-flex min-h-10 items-center justify-center rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-60"
        >
          {t("workspaceDeletion.restore")}
        </button>
      )}
    </main>
  );
}

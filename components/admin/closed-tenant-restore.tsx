"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";

/** A workspace its owner closed for deletion: when it goes, and Restore (audited) within the grace period. */
export function ClosedTenantRestore({ tenantId, name, deleteAfter }: { tenantId: string; name: string; deleteAfter: Date | null }) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const restore = useMutation(
    trpc.admin.restoreClosedTenant.mutationOptions({
      onSuccess: () => {
        toast.success(t("workspaceDeletion.restored"));
        void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  return (
    <div className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-4" data-testid="closed-tenant">
      <p className="text-sm text-red-900">{t("workspaceDeletion.adminClosed", { date: deleteAfter ? formatDate(deleteAfter) : "—" })}</p>
      <Button
        disabled={restore.isPending}
        onClick={async () => {
          const ok = await confirmAction({
            title: t("workspaceDeletion.restoreConfirmTitle", { workspace: name }),
            text: t("workspaceDeletion.restoreConfirmBody"),
            confirmText: t("workspaceDeletion.adminRestore"),
            cancelText: t("workspaceDeletion.cancel"),
          });
          if (ok) restore.mutate({ tenantId });
        }}
      >
        {t("workspaceDeletion.adminRestore")}
      </Button>
    </div>
  );
}

"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";

/** Deleting a flag is irreversible (its overrides go too): the admin types the key to confirm. */
export function useDeleteFlag(onDeleted?: (key: string) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const mutation = useMutation(
    trpc.admin.flags.delete.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("flags.deleted", { key: r.key }));
        // the caller leaves the detail view first, so nothing refetches the deleted flag
        onDeleted?.(r.key);
        queryClient.removeQueries({ queryKey: trpc.admin.flags.get.queryKey({ key: r.key }) });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.flags.list.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  async function confirmAndDelete(flag: { key: string; overrides: number }) {
    const ok = await confirmAction({
      title: t("flags.confirmDeleteTitle", { key: flag.key }),
      text: t("flags.confirmDeleteText", { count: flag.overrides }),
      confirmText: t("flags.delete"),
      cancelText: t("common.cancel"),
      danger: true,
      typed: { word: flag.key, prompt: t("flags.typeKey", { key: flag.key }) },
    });
    if (ok) mutation.mutate({ key: flag.key });
  }

  return { confirmAndDelete, isPending: mutation.isPending };
}

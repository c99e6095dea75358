"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import { useCan } from "@/components/layout/permissions";

/**
 * The renter pay link of one invoice: copy it, replace it (the old one stops working) or turn it
 * off (the page then answers 404). Changing it needs invoices.manage; turning it off asks first.
 */
export function PayLinkActions({ invoiceId }: { invoiceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const { t } = useI18n();
  const link = useQuery(trpc.rentPayments.payLink.queryOptions({ invoiceId }));
  const canManage = can("invoices.manage");

  const onSuccess = (message: string) => (data: { url: string | null }) => {
    queryClient.setQueryData(trpc.rentPayments.payLink.queryKey({ invoiceId }), (old) => (old ? { ...old, url: data.url } : old));
    void queryClient.invalidateQueries({ queryKey: trpc.rentPayments.payLink.queryKey({ invoiceId }) });
    toast.success(message);
  };
  const onError = (e: unknown) => toast.error(errorMessage(e, t("rentPayments.payLink.failed")));
  const rotate = useMutation(trpc.rentPayments.rotatePayLink.mutationOptions({ onError }));
  const revoke = useMutation(trpc.rentPayments.revokePayLink.mutationOptions({ onError }));
  const pending = rotate.isPending || revoke.isPending;

  if (link.isPending) return <div className="h-20 animate-pulse rounded-xl bg-slate-100" aria-busy="true" />;
  if (link.isError) {
    return (
      <p role="alert" className="text-sm text-red-800">
        {errorMessage(link.error, t("rentPayments.payLink.failed"))}
      </p>
    );
  }
  const url = link.data.url;
  const closed = link.data.status === "void" || link.data.status === "draft";

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      toast.success(t("rentPayments.payLink.copied"));
    } catch {
      toast.error(t("rentPayments.payLink.copyFailed"));
    }
  }

  async function onRotate() {
    if (url) {
      const ok = await confirmAction({
        title: t("rentPayments.payLink.confirmRotateTitle"),
        text: t("rentPayments.payLink.confirmRotateText"),
        confirmText: t("rentPayments.payLink.confirmRotate"),
        cancelText: t("rentPayments.payLink.cancel"),
      });
      if (!ok) return;
    }
    rotate.mutate({ invoiceId }, { onSuccess: onSuccess(url ? t("rentPayments.payLink.rotated") : t("rentPayments.payLink.enabled")) });
  }

  async function onRevoke() {
    const ok = await confirmAction({
      title: t("rentPayments.payLink.confirmRevokeTitle"),
      text: t("rentPayments.payLink.confirmRevokeText"),
      confirmText: t("rentPayments.payLink.confirmRevoke"),
      cancelText: t("rentPayments.payLink.cancel"),
      danger: true,
    });
    if (!ok) return;
    revoke.mutate({ invoiceId }, { onSuccess: onSuccess(t("rentPayments.payLink.revoked")) });
  }

  return (
    <section className="space-y-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="pay-link">
      <div>
        <h2 className="text-base font-semibold text-slate-900">{t("rentPayments.payLink.title")}</h2>
        <p className="text-sm text-slate-600">{t("rentPayments.payLink.help")}</p>
      </div>
      {url ? (
        <input
          readOnly
          value={url}
          aria-label={t("rentPayments.payLink.label")}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full truncate rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800"
          data-testid="pay-link-url"
        />
      ) : (
        <p className="text-sm text-slate-500" data-testid="pay-link-off">
          {t("rentPayments.payLink.off")}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {url ? (
          <Button variant="secondary" onClick={() => void copy()} data-testid="pay-link-copy">
            {t("rentPayments.payLink.copy")}
          </Button>
        ) : null}
        {canManage && !closed ? (
          <Button variant="secondary" onClick={() => void onRotate()} disabled={pending} data-testid="pay-link-rotate">
            {url ? t("rentPayments.payLink.rotate") : t("rentPayments.payLink.enable")}
          </Button>
        ) : null}
        {canManage && url ? (
          <Button variant="danger" onClick={() => void onRevoke()} disabled={pending} data-testid="pay-link-revoke">
            {t("rentPayments.payLink.revoke")}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

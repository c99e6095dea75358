"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { formatCambodianPhone } from "@/lib/rentals/phone";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";

/** "Erase personal data" on a renter's page (renters.manage): the renter's phone typed to confirm (SweetAlert2). */
export function RenterErasure({ renterId, phone }: { renterId: string; phone: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const erase = useMutation(
    trpc.renters.erase.mutationOptions({
      onSuccess: () => {
        toast.success(t("renterErasure.erased"));
        void queryClient.invalidateQueries({ queryKey: trpc.renters.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const shown = phone ? formatCambodianPhone(phone) : "";
  const start = async () => {
    const { default: Swal } = await import("sweetalert2");
    const result = await Swal.fire({
      title: t("renterErasure.confirmTitle"),
      text: t("renterErasure.confirmBody", { phone: shown }),
      icon: "warning",
      input: "text",
      inputLabel: t("renterErasure.phoneLabel"),
      showCancelButton: true,
      focusCancel: true,
      confirmButtonText: t("renterErasure.confirmButton"),
      cancelButtonText: t("renterErasure.cancel"),
      confirmButtonColor: "#b91c1c",
      reverseButtons: true,
      inputValidator: (value: string) => (value.trim() ? null : t("renterErasure.errors.phoneMismatch")),
    });
    if (result.isConfirmed && typeof result.value === "string") erase.mutate({ renterId, phone: result.value });
  };
  if (!phone) return null; // already erased
  return (
    <Card title={t("renterErasure.title")}>
      <div className="space-y-3" data-testid="renter-erasure">
        <p className="text-sm text-slate-600">{t("renterErasure.intro")}</p>
        <button
          type="button"
          onClick={() => void start()}
          disabled={erase.isPending}
          className="inline-flex min-h-10 w-full items-center justify-center rounded-lg border border-red-300 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 sm:w-auto"
        >
          {t("renterErasure.button")}
        </button>
      </div>
    </Card>
  );
}

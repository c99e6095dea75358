"use client";
import { useMutation } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "Delete my account" on the account page: the e-mail and password typed in one SweetAlert2 dialog. */
export function AccountDeletion({ email, disabled }: { email: string; disabled: boolean }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const remove = useMutation(
    trpc.accountDeletion.delete.mutationOptions({
      onSuccess: (r) => {
        if (!r.deleted) {
          toast.error(t("accountDeletion.errors.ownsWorkspace", { workspaces: r.workspaces.join(", ") }));
          return;
        }
        toast.success(t("accountDeletion.deleted"));
        window.location.reload();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const start = async () => {
    const { default: Swal } = await import("sweetalert2");
    const result = await Swal.fire({
      title: t("accountDeletion.confirmTitle"),
      icon: "warning",
      html: `<p class="mb-3 text-sm">${escapeHtml(t("accountDeletion.confirmBody", { email }))}</p>
        <label class="block text-left text-sm font-medium" for="ad-email">${escapeHtml(t("accountDeletion.emailLabel"))}</label>
        <input id="ad-email" type="email" class="swal2-input !mx-0 !w-full" autocomplete="off" />
        <label class="mt-2 block text-left text-sm font-medium" for="ad-password">${escapeHtml(t("accountDeletion.passwordLabel"))}</label>
        <input id="ad-password" type="password" class="swal2-input !mx-0 !w-full" autocomplete="current-password" />`,
      showCancelButton: true,
      focusCancel: true,
      confirmButtonText: t("accountDeletion.confirmButton"),
      cancelButtonText: t("accountDeletion.cancel"),
      confirmButtonColor: "#b91c1c",
      reverseButtons: true,
      preConfirm: () => {
        const typed = (document.getElementById("ad-email") as HTMLInputElement).value.trim();
        const password = (document.getElementById("ad-password") as HTMLInputElement).value;
        if (typed.toLowerCase() !== email.toLowerCase() || !password) {
          Swal.showValidationMessage(t("accountDeletion.errors.emailMismatch"));
          return false;
        }
        return { email: typed, password };
      },
    });
    if (result.isConfirmed) remove.mutate(result.value as { email: string; password: string });
  };
  return (
    <Card title={t("accountDeletion.title")}>
      <div className="space-y-3" data-testid="account-deletion">
        <p className="text-sm text-slate-600">{t("accountDeletion.intro")}</p>
        <button
          type="button"
          onClick={() => void start()}
          disabled={disabled || remove.isPending}
          className="inline-flex min-h-10 w-full items-center justify-center rounded-lg bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60 sm:w-auto"
        >
          {t("accountDeletion.button")}
        </button>
      </div>
    </Card>
  );
}

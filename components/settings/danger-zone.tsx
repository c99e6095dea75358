"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";

/** Two typed fields in one SweetAlert2 dialog: the workspace address and the owner's password. */
async function askSlugAndPassword(opts: {
  title: string;
  text: string;
  slugLabel: string;
  passwordLabel: string;
  confirm: string;
  cancel: string;
  slug: string;
  mismatch: string;
}): Promise<{ slug: string; password: string } | null> {
  const { default: Swal } = await import("sweetalert2");
  const result = await Swal.fire({
    title: opts.title,
    text: opts.text,
    icon: "warning",
    html: `<p class="mb-3 text-sm">${escapeHtml(opts.text)}</p>
      <label class="block text-left text-sm font-medium" for="dz-slug">${escapeHtml(opts.slugLabel)}</label>
      <input id="dz-slug" class="swal2-input !mx-0 !w-full" autocomplete="off" data-testid="danger-slug" />
      <label class="mt-2 block text-left text-sm font-medium" for="dz-password">${escapeHtml(opts.passwordLabel)}</label>
      <input id="dz-password" type="password" class="swal2-input !mx-0 !w-full" autocomplete="current-password" data-testid="danger-password" />`,
    showCancelButton: true,
    focusCancel: true,
    confirmButtonText: opts.confirm,
    cancelButtonText: opts.cancel,
    confirmButtonColor: "#b91c1c",
    reverseButtons: true,
    preConfirm: () => {
      const slug = (document.getElementById("dz-slug") as HTMLInputElement).value.trim();
      const password = (document.getElementById("dz-password") as HTMLInputElement).value;
      if (slug.toLowerCase() !== opts.slug || !password) {
        Swal.showValidationMessage(opts.mismatch);
        return false;
      }
      return { slug, password };
    },
  });
  return result.isConfirmed ? (result.value as { slug: string; password: string }) : null;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "Danger zone" on /settings: an owner deletes the workspace (closed now, deleted after the grace period). */
export function DangerZone({ isOwner, slug, name, graceDays }: { isOwner: boolean; slug: string; name: string; graceDays: number }) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const close = useMutation(
    trpc.workspaceDeletion.close.mutationOptions({
      onSuccess: ({ deleteAfter }) => {
        toast.success(t("workspaceDeletion.closedToast", { date: formatDate(deleteAfter) }));
        window.location.reload();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.network"))),
    }),
  );
  const start = async () => {
    const answer = await askSlugAndPassword({
      title: t("workspaceDeletion.confirmTitle", { workspace: name }),
      text: t("workspaceDeletion.confirmBody", { slug }),
      slugLabel: t("workspaceDeletion.slugLabel"),
      passwordLabel: t("workspaceDeletion.passwordLabel"),
      confirm: t("workspaceDeletion.confirmButton"),
      cancel: t("workspaceDeletion.cancel"),
      slug,
      mismatch: t("workspaceDeletion.errors.slugMismatch"),
    });
    if (answer) close.mutate(answer);
  };
  return (
    <Card title={t("workspaceDeletion.title")}>
      <div className="space-y-4 rounded-lg border border-red-200 bg-red-50 p-4" data-testid="danger-zone">
        <p className="text-sm text-red-900">{t("workspaceDeletion.intro", { days: graceDays })}</p>
        {isOwner ? (
          <button
            type="button"
            onClick={() => void start()}
            disabled={close.isPending}
            data-testid="delete-workspace"
            className="inline-flex min-h-10 w-full items-center justify-center rounded-lg bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60 sm:w-auto"
          >
            {t("workspaceDeletion.deleteButton")}
          </button>
        ) : (
          <p className="text-sm text-slate-600">{t("workspaceDeletion.ownerOnly")}</p>
        )}
      </div>
    </Card>
  );
}

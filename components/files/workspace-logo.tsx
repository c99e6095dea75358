"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import { FileUpload } from "./file-upload";

/** The workspace logo (PNG/JPEG, public): upload → files.setTenantLogo; remove with a confirmation. */
export function WorkspaceLogo({ initial, workspace }: { initial: { logoFileId: string | null; url: string | null }; workspace: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const logo = useQuery({ ...trpc.files.tenantLogo.queryOptions(), initialData: initial });
  const set = useMutation(
    trpc.files.setTenantLogo.mutationOptions({
      onSuccess: (r) => {
        toast.success(t(r.logoFileId ? "files.logo.saved" : "files.logo.removed"));
        void logo.refetch();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  async function remove() {
    const ok = await confirmAction({
      title: t("files.logo.confirmRemoveTitle"),
      text: t("files.logo.confirmRemoveText"),
      confirmText: t("files.logo.remove"),
      cancelText: t("properties.cancel"),
      danger: true,
    });
    if (ok) set.mutate({ fileId: null });
  }

  const url = logo.data.url;
  return (
    <Card title={t("files.logo.title")}>
      <div className="space-y-4" data-testid="workspace-logo">
        <p className="text-sm text-slate-600">{t("files.logo.intro")}</p>
        {url ? (
          // eslint-disable-next-line @next/next/no-img-element -- our own immutable file route
          <img
            src={url}
            alt={t("files.logo.alt", { workspace })}
            className="h-20 w-auto max-w-60 rounded-md border border-slate-200 bg-white object-contain p-2"
          />
        ) : (
          <p className="text-sm text-slate-500">{t("files.logo.none")}</p>
        )}
        <div className="flex flex-wrap items-start gap-3">
          <FileUpload
            purpose="tenant_logo"
            quiet
            disabled={set.isPending}
            onUploaded={(f) =>
              set.mutateAsync({ fileId: f.id }).then(
                () => undefined,
                () => undefined,
              )
            }
          />
          {url ? (
            <Button type="button" variant="secondary" onClick={() => void remove()} disabled={set.isPending}>
              {t("files.logo.remove")}
            </Button>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

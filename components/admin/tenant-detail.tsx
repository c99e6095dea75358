"use client";
import { roleLabel } from "@/lib/i18n/role-label";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { suspendTenantSchema } from "@/lib/schemas/admin";
import { ClosedTenantRestore } from "./closed-tenant-restore";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** One tenant in the console: facts, members (with "act as"), suspend / reactivate. */
export function TenantDetail({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t, formatDate } = useI18n();
  const tenant = useQuery(trpc.admin.tenant.queryOptions({ tenantId }));
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.tenant.queryKey({ tenantId }) });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));

  const suspend = useMutation(
    trpc.admin.suspendTenant.mutationOptions({
      onSuccess: () => {
        toast.success(t("console.suspended", { workspace: tenant.data?.name ?? "" }));
        setReason("");
        void refresh();
      },
      onError,
    }),
  );
  const reactivate = useMutation(
    trpc.admin.reactivateTenant.mutationOptions({
      onSuccess: () => {
        toast.success(t("console.reactivated", { workspace: tenant.data?.name ?? "" }));
        void refresh();
      },
      onError,
    }),
  );
  const impersonate = useMutation(
    trpc.admin.impersonate.mutationOptions({
      onSuccess: (r) => {
        window.location.assign(r.url);
      },
      onError,
    }),
  );

  if (tenant.isError) return <p role="alert">{errorMessage(tenant.error, t("errors.errorBody"))}</p>;
  if (!tenant.data) return <p className="text-sm text-slate-500">{t("common.loading")}</p>;
  const d = tenant.data;

  async function onSuspend() {
    const parsed = suspendTenantSchema.safeParse({ tenantId, reason });
    if (!parsed.success) {
      setReasonError(t((parsed.error.issues[0]?.message ?? "validation.required") as MessageKey));
      return;
    }
    setReasonError(null);
    const ok = await confirmAction({
      title: t("console.suspendConfirmTitle", { workspace: d.name }),
      text: t("console.suspendConfirmText", { word: d.slug }),
      confirmText: t("console.suspend"),
      cancelText: t("common.cancel"),
      danger: true,
      typed: { word: d.slug, prompt: t("common.typeToConfirm", { word: d.slug }) },
    });
    if (ok) suspend.mutate(parsed.data);
  }

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="tenant-title">
        {t("console.tenantTitle", { name: d.name })}
      </h1>
      <Card>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">{t("console.address")}</dt>
            <dd>
              <code>{d.slug}</code>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("admin.status")}</dt>
            <dd data-testid="tenant-status">
              {d.status === "closed"
                ? t("workspaceDeletion.closedTitle")
                : t(d.status === "active" ? "admin.statusActive" : "admin.statusSuspended")}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("admin.created")}</dt>
            <dd>{formatDate(d.createdAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("console.timezone")}</dt>
            <dd>{d.timezone}</dd>
          </div>
        </dl>
        {d.status === "suspended" && d.suspendedAt ? (
          <p className="mt-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
            {t("console.suspendedSince", { date: formatDate(d.suspendedAt), reason: d.suspendedReason ?? "" })}
          </p>
        ) : null}
      </Card>

      <Card title={t("console.membersTitle")}>
        <ul className="divide-y divide-slate-100" data-testid="tenant-members">
          {d.memberList.map((m) => (
            <li key={m.membershipId} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
              <div className="min-w-0">
                <div className="truncate font-medium">{m.name}</div>
                <div className="truncate text-slate-500">
                  {m.email} · {roleLabel(t, m.role, m.roleName)} ·{" "}
                  {t(m.status === "active" ? "members.statusActive" : "members.statusDeactivated")}
                </div>
              </div>
              {m.status === "active" && !m.isPlatformAdmin && d.status === "active" ? (
                <Button
                  variant="secondary"
                  disabled={impersonate.isPending}
                  onClick={async () => {
                    const ok = await confirmAction({
                      title: t("console.impersonateTitle", { name: m.name }),
                      text: t("console.impersonateText", { workspace: d.name }),
                      confirmText: t("console.impersonate"),
                      cancelText: t("common.cancel"),
                    });
                    if (ok) impersonate.mutate({ tenantId, membershipId: m.membershipId });
                  }}
                >
                  {t("console.impersonate")}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>

      {d.status === "active" ? (
        <Card title={t("console.suspendTitle")}>
          <div className="space-y-2">
            <label htmlFor="suspend-reason" className="block text-sm font-medium">
              {t("console.suspendReason")}
            </label>
            <textarea
              id="suspend-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
              aria-invalid={reasonError ? true : undefined}
              className="block w-full rounded-lg border border-slate-300 px-3 py-2"
            />
            {reasonError ? (
              <p role="alert" className="text-sm text-red-700">
                {reasonError}
              </p>
            ) : null}
            <Button variant="danger" disabled={suspend.isPending} onClick={() => void onSuspend()}>
              {t("console.suspend")}
            </Button>
          </div>
        </Card>
      ) : d.status === "closed" ? (
        <ClosedTenantRestore tenantId={tenantId} name={d.name} deleteAfter={d.deleteAfter} />
      ) : (
        <Button
          disabled={reactivate.isPending}
          onClick={async () => {
            const ok = await confirmAction({
              title: t("console.reactivateConfirmTitle", { workspace: d.name }),
              text: t("console.reactivateConfirmText"),
              confirmText: t("console.reactivate"),
              cancelText: t("common.cancel"),
            });
            if (ok) reactivate.mutate({ tenantId });
          }}
        >
          {t("console.reactivate")}
        </Button>
      )}
    </div>
  );
}

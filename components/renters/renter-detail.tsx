"use client";
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { formatCambodianPhone } from "@/lib/rentals/phone";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { FileUpload } from "@/components/files/file-upload";
import type { RouterOutputs } from "@/lib/trpc/client";
import { RenterForm, type RenterFormValues } from "./renter-form";
import { RenterErasure } from "./renter-erasure";
import { RenterTelegram } from "./renter-telegram";

type Detail = RouterOutputs["renters"]["get"];

function formValues(r: Detail): RenterFormValues {
  return {
    nameKm: r.nameKm,
    nameLatin: r.nameLatin,
    phone: formatCambodianPhone(r.phone),
    email: r.email ?? "",
    telegram: r.telegram ?? "",
    emergencyName: r.emergencyName ?? "",
    emergencyPhone: r.emergencyPhone ? formatCambodianPhone(r.emergencyPhone) : "",
    notes: r.notes,
    locale: r.locale,
  };
}

/** One renter: contact details (editable), the private ID document, their contracts, archive/restore. */
export function RenterDetailView({ renterId }: { renterId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t, formatDate } = useI18n();
  const can = useCan();
  const canManage = can("renters.manage");
  const [editing, setEditing] = useState(false);
  const query = useQuery(trpc.renters.get.queryOptions({ renterId }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.renters.pathKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));

  const setDocument = useMutation(
    trpc.renters.setIdDocument.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.idDocumentFileId ? t("renters.idDocument.saved") : t("renters.idDocument.removed"));
        void invalidate();
      },
      onError,
    }),
  );
  const archive = useMutation(
    trpc.renters.archive.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("renters.archivedToast", { name: r.name }));
        void invalidate();
      },
      onError,
    }),
  );
  const restore = useMutation(
    trpc.renters.restore.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("renters.restoredToast", { name: r.name }));
        void invalidate();
      },
      onError,
    }),
  );

  if (query.status === "pending") return <p className="text-sm text-slate-500">{t("renters.loadingOne")}</p>;
  if (query.status === "error") {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        {errorMessage(query.error, t("renters.loadError"))}{" "}
        <button type="button" className="underline" onClick={() => void query.refetch()}>
          {t("renters.retry")}
        </button>
      </div>
    );
  }
  const r = query.data;
  const name = r.nameLatin || r.nameKm;
  const archived = Boolean(r.archivedAt);
  const busy = archive.isPending || restore.isPending;

  async function confirmArchive() {
    const ok = await confirmAction({
      title: t("renters.confirmArchiveTitle", { name }),
      text: t("renters.confirmArchiveText"),
      confirmText: t("renters.archive"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (ok) archive.mutate({ renterId });
  }

  async function confirmRemoveDocument() {
    const ok = await confirmAction({
      title: t("renters.idDocument.confirmRemoveTitle"),
      text: t("renters.idDocument.confirmRemoveText"),
      confirmText: t("renters.idDocument.remove"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (ok) setDocument.mutate({ renterId, fileId: null });
  }

  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-3">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{value}</dd>
    </div>
  );

  return (
    <div className="space-y-4" data-testid="renter-detail">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href="/renters" className="text-sm text-teal-800 hover:underline">
            {t("renters.back")}
          </Link>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">{name}</h1>
          {r.nameLatin && r.nameKm ? (
            <p lang="km" className="text-lg text-slate-700">
              {r.nameKm}
            </p>
          ) : null}
          {archived ? (
            <span className="mt-1 inline-block rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">
              {t("renters.archivedBadge")}
            </span>
          ) : null}
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            {!archived && !editing ? (
              <Button type="button" variant="secondary" onClick={() => setEditing(true)}>
                {t("renters.edit")}
              </Button>
            ) : null}
            {archived ? (
              <Button type="button" variant="secondary" disabled={busy} onClick={() => restore.mutate({ renterId })}>
                {t("renters.restore")}
              </Button>
            ) : (
              <Button type="button" variant="danger" disabled={busy} onClick={() => void confirmArchive()}>
                {t("renters.archive")}
              </Button>
            )}
          </div>
        ) : null}
      </div>

      {editing ? (
        <Card title={t("renters.editRenter")}>
          <RenterForm renterId={renterId} initial={formValues(r)} onCancel={() => setEditing(false)} onDone={() => setEditing(false)} />
        </Card>
      ) : (
        <Card title={t("renters.contactTitle")}>
          <dl className="divide-y divide-slate-100">
            {row(
              t("renters.phone"),
              <a href={`tel:${r.phone}`} className="text-teal-800 hover:underline">
                {formatCambodianPhone(r.phone)}
              </a>,
            )}
            {row(t("renters.email"), r.email ?? t("renters.none"))}
            {row(t("renters.telegram"), r.telegram ?? t("renters.none"))}
            {row(
              t("renters.emergency"),
              r.emergencyName || r.emergencyPhone
                ? [r.emergencyName, r.emergencyPhone ? formatCambodianPhone(r.emergencyPhone) : null].filter(Boolean).join(" · ")
                : t("renters.none"),
            )}
            {row(t("renters.locale"), t(`renters.locales.${r.locale}`))}
            {row(t("renters.notes"), r.notes ? <span className="whitespace-pre-wrap">{r.notes}</span> : t("renters.none"))}
            {row(t("renters.created"), formatDate(r.createdAt))}
          </dl>
        </Card>
      )}

      <Card title={t("renters.idDocument.title")}>
        <div className="space-y-3" data-testid="renter-id-document">
          {r.idDocument ? (
            r.idDocument.url ? (
              <div className="flex flex-wrap items-center gap-3">
                <a
                  href={r.idDocument.url}
                  target="_blank"
                  rel="noopener"
                  className="font-medium text-teal-800 hover:underline"
                  data-testid="renter-id-link"
                >
                  {t("renters.idDocument.open")}
                </a>
                <span className="text-sm text-slate-500">{r.idDocument.originalName}</span>
                {canManage && !archived ? (
                  <Button type="button" variant="ghost" disabled={setDocument.isPending} onClick={() => void confirmRemoveDocument()}>
                    {t("renters.idDocument.remove")}
                  </Button>
                ) : null}
              </div>
            ) : (
              <p className="text-sm text-slate-600">{t("renters.idDocument.noAccess")}</p>
            )
          ) : (
            <p className="text-sm text-slate-600">{t("renters.idDocument.none")}</p>
          )}
          <p className="text-xs text-slate-500">{t("renters.idDocument.privateNote")}</p>
          {canManage && !archived ? (
            <FileUpload
              purpose="renter_id"
              quiet
              disabled={setDocument.isPending}
              label={r.idDocument ? t("renters.idDocument.replace") : t("renters.idDocument.upload")}
              onUploaded={(f) =>
                // the mutation toasts its own result
                setDocument.mutateAsync({ renterId, fileId: f.id }).then(
                  () => undefined,
                  () => undefined,
                )
              }
            />
          ) : null}
        </div>
      </Card>

      <Card title={t("renters.contractsCard.title")}>
        {r.contracts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("renters.contractsCard.none")}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {r.contracts.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span className="font-medium text-slate-900">{[c.propertyName, c.unitCode].join(" · ")}</span>
                <span className="text-slate-600">
                  {t("renters.contractsCard.periodValue", {
                    start: formatDate(c.startDate),
                    end: c.endDate ? formatDate(c.endDate) : t("renters.contractsCard.openEnded"),
                  })}
                </span>
                <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                  {t(`renters.contractStatus.${c.status}`)}
                </span>
                <Link href={`/contracts/${c.id}`} className="text-teal-800 hover:underline">
                  {t("renters.contractsCard.open")}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {r.phone ? <RenterTelegram renterId={renterId} canManage={canManage} /> : null}
      {canManage ? <RenterErasure renterId={renterId} phone={r.phone} /> : null}
    </div>
  );
}

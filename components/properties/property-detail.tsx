"use client";
import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { PropertyForm } from "./property-form";
import { PropertyPhotos } from "./property-photos";
import { UnitsTable } from "./units-table";

type Detail = RouterOutputs["properties"]["get"];

/** One property: facts, edit, archive/restore, photos and its units. `initial` comes from the server render. */
export function PropertyDetail({ initial }: { initial: Detail }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const can = useCan();
  const canManage = can("properties.manage");
  const [editing, setEditing] = useState(false);
  const query = useQuery({ ...trpc.properties.get.queryOptions({ propertyId: initial.id }), initialData: initial });
  const p = query.data;
  const archived = Boolean(p.archivedAt);

  const archive = useMutation(
    trpc.properties.archive.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("properties.archived_toast", { name: r.name, count: r.unitsArchived }));
        void queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
        router.push("/properties");
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  // not destructive: no confirmation; the units archived with the property come back with it
  const restore = useMutation(
    trpc.properties.restore.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("properties.restored_toast", { name: r.name, count: r.unitsRestored }));
        void queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  async function confirmArchive() {
    const ok = await confirmAction({
      title: t("properties.confirmArchiveTitle", { name: p.name }),
      text: t("properties.confirmArchiveText"),
      confirmText: t("properties.archive"),
      cancelText: t("properties.cancel"),
      danger: true,
    });
    if (ok) archive.mutate({ propertyId: p.id });
  }

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/properties" className="text-sm text-teal-800 hover:underline">
          {t("properties.back")}
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-semibold" data-testid="property-name">
              {p.name}
            </h1>
            <p className="text-sm text-slate-600">
              {t(`properties.types.${p.type}`)}
              {p.address ? ` · ${p.address}` : ""}
            </p>
            {archived ? (
              <p className="mt-1 text-sm font-medium text-slate-500" data-testid="property-archived">
                {t("properties.archivedBadge")}
                {canManage ? <span className="block font-normal">{t("properties.restoreHint")}</span> : null}
              </p>
            ) : null}
          </div>
          {canManage && archived ? (
            <Button
              type="button"
              variant="secondary"
              onClick={() => restore.mutate({ propertyId: p.id })}
              disabled={restore.isPending}
              data-testid="restore-property"
            >
              {restore.isPending ? t("properties.restoring") : t("properties.restore")}
            </Button>
          ) : null}
          {canManage && !archived && !editing ? (
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="secondary" onClick={() => setEditing(true)}>
                {t("properties.edit")}
              </Button>
              <Button
                type="button"
                variant="danger"
                onClick={() => void confirmArchive()}
                disabled={archive.isPending}
                data-testid="archive-property"
              >
                {t("properties.archive")}
              </Button>
            </div>
          ) : null}
        </div>
        <ul className="flex flex-wrap gap-2 text-sm" aria-label={t("properties.units")}>
          {(["vacant", "occupied", "maintenance"] as const).map((s) => (
            <li key={s}>
              <Link
                href={`/units?status=${s}&propertyId=${p.id}`}
                className="rounded-full bg-slate-100 px-3 py-1 text-slate-700 hover:bg-slate-200"
              >
                {t(`properties.counts.${s}`, { count: p.units[s] })}
              </Link>
            </li>
          ))}
        </ul>
        {p.notes && !editing ? <p className="whitespace-pre-line text-sm text-slate-700">{p.notes}</p> : null}
      </div>

      {editing ? (
        <Card title={t("properties.editProperty")}>
          <PropertyForm
            propertyId={p.id}
            initial={{ name: p.name, address: p.address, type: p.type, notes: p.notes }}
            onCancel={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              router.refresh();
            }}
          />
        </Card>
      ) : null}

      <Card title={t("properties.photos.title")}>
        <PropertyPhotos propertyId={p.id} propertyName={p.name} photos={p.photos} canManage={canManage && !archived} />
      </Card>

      <Card title={t("properties.unit.title")}>
        <UnitsTable propertyId={p.id} canAdd={!archived} />
      </Card>
    </div>
  );
}

"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ExpiredBadge, StateBadge } from "./badges";
import { FlagForm } from "./flag-form";
import { OverridesEditor } from "./overrides-editor";
import { useDeleteFlag } from "./use-delete-flag";

/** One flag: its settings (editable, key fixed), its per-tenant overrides, and delete. */
export function FlagDetail({ flagKey }: { flagKey: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { t, formatDate } = useI18n();
  const [deleted, setDeleted] = useState(false);
  const query = useQuery({ ...trpc.admin.flags.get.queryOptions({ key: flagKey }), enabled: !deleted });
  const remove = useDeleteFlag(() => {
    setDeleted(true);
    router.push("/admin/flags");
  });

  const back = (
    <Link href="/admin/flags" className="text-sm text-teal-800 hover:underline">
      {t("flags.backToList")}
    </Link>
  );
  if (deleted) return back;
  if (query.status === "pending") return <p className="text-sm text-slate-500">{t("flags.loading")}</p>;
  if (query.status === "error") {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        {t("flags.loadError")}{" "}
        <button type="button" className="underline" onClick={() => void query.refetch()}>
          {t("flags.retry")}
        </button>
      </div>
    );
  }
  const flag = query.data;

  return (
    <div className="space-y-4">
      {back}
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-semibold" data-testid="flag-heading">
          {flag.key}
        </h1>
        <StateBadge on={flag.defaultEnabled} />
        {flag.isExpired ? <ExpiredBadge /> : null}
      </div>
      {flag.isExpired ? (
        <p role="status" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t("flags.expiredNotice", { date: formatDate(flag.expiresAt) })}
        </p>
      ) : null}
      <Card title={t("flags.editTitle")}>
        <FlagForm key={flag.updatedAt.toISOString()} initial={flag} />
        <p className="mt-4 text-xs text-slate-500">
          {t("flags.createdAt")} {formatDate(flag.createdAt)} · {t("flags.updatedAt")} {formatDate(flag.updatedAt)}
        </p>
      </Card>
      <Card title={t("flags.overridesTitle")}>
        <OverridesEditor flagKey={flag.key} defaultEnabled={flag.defaultEnabled} overrides={flag.overrideList} />
      </Card>
      <div>
        <Button variant="danger" disabled={remove.isPending} onClick={() => void remove.confirmAndDelete(flag)}>
          {t("flags.delete")}
        </Button>
      </div>
    </div>
  );
}

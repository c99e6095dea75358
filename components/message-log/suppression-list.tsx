"use client";
import { useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { suppressAddressSchema } from "@/lib/schemas/messages";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { SearchInput } from "@/components/ui/search-input";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { reasonKey } from "./message-drawer";
import { useLogFormat } from "./format";

type SuppressionRow = RouterOutputs["messages"]["suppressions"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, SuppressionRow>();
const EMPTY: SuppressionRow[] = [];

/** Addresses this workspace does not send to: lift one (confirm), or add one by hand. */
export function SuppressionList({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const f = useLogFormat(timezone);
  const canManage = useCan()("messages.manage");
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const form = useZodForm(suppressAddressSchema, { address: "" });

  const query = useInfiniteQuery(
    trpc.messages.suppressions.infiniteQueryOptions(
      { search: deferred || undefined, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  // the log's detail drawer shows whether an address is suppressed: refresh both
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.messages.pathKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));

  const lift = useMutation(
    trpc.messages.liftSuppression.mutationOptions({
      onSuccess: (s) => {
        toast.success(t("messagesLog.suppressions.lifted", { address: s.address }));
        void refresh();
      },
      onError,
    }),
  );
  const add = useFormMutation(null, trpc.messages.suppress.mutationOptions(), {
    successToast: (s) => t("messagesLog.suppressions.addedToast", { address: s.address }),
    onSuccess: () => {
      void refresh();
      form.reset();
    },
  });

  async function confirmLift(s: SuppressionRow) {
    const ok = await confirmAction({
      title: t("messagesLog.suppressions.liftTitle", { address: s.address }),
      text: t("messagesLog.suppressions.liftText"),
      confirmText: t("messagesLog.suppressions.lift"),
      cancelText: t("messagesLog.cancel"),
      danger: true,
    });
    if (ok) lift.mutate({ suppressionId: s.id });
  }

  const onSubmit = form.handleSubmit((data) => add.mutate(data));

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("address", {
          header: () => t("messagesLog.suppressions.address"),
          cell: (i) => (
            <span className="text-sm [overflow-wrap:anywhere]" data-testid="suppressed-address">
              {i.getValue()}
            </span>
          ),
        }),
        helper.accessor("reason", {
          header: () => t("messagesLog.suppressions.reason"),
          cell: (i) => <span className="text-sm">{t(`messagesLog.suppressions.reasons.${reasonKey(i.getValue())}`)}</span>,
        }),
        helper.accessor("createdAt", {
          id: "added",
          header: () => t("messagesLog.suppressions.added"),
          cell: (i) => <span className="whitespace-nowrap text-sm">{f.dateTime(i.getValue())}</span>,
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("messagesLog.columns.actions")}</span>,
          cell: (i) =>
            canManage ? (
              <div className="flex justify-end">
                <button
                  type="button"
                  disabled={lift.isPending}
                  onClick={() => void confirmLift(i.row.original)}
                  className="rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50"
                >
                  {t("messagesLog.suppressions.lift")}
                </button>
              </div>
            ) : null,
        }),
      ]),
    // confirmLift only starts a mutation on click
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, f, canManage, lift.isPending],
  );

  return (
    <section className="space-y-3" aria-labelledby="suppressions-title">
      <div>
        <h2 id="suppressions-title" className="text-lg font-semibold">
          {t("messagesLog.suppressions.title")}
        </h2>
        <p className="text-sm text-slate-600">{t("messagesLog.suppressions.intro")}</p>
      </div>
      {canManage ? (
        <form onSubmit={onSubmit} noValidate className="rounded-xl border border-slate-200 bg-white p-4" aria-busy={add.isPending}>
          <h3 className="mb-3 font-medium">{t("messagesLog.suppressions.addTitle")}</h3>
          <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
            <Field
              id="suppress-address"
              {...form.register("address")}
              type="email"
              autoComplete="off"
              label={t("messagesLog.suppressions.addLabel")}
              error={form.formState.errors.address?.message}
            />
            <Button type="submit" disabled={add.isPending} className="sm:mt-6">
              {t("messagesLog.suppressions.add")}
            </Button>
          </div>
        </form>
      ) : null}
      <SearchInput value={search} onChange={setSearch} label={t("messagesLog.suppressions.search")} />
      <DataTable
        columns={columns}
        data={data}
        testId="suppressions"
        {...pagingProps(query)}
        text={listText(t, "messagesLog.suppressions", { retry: "messagesLog.tryAgain", loadMore: "messagesLog.loadMore", columns: false })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                {cell("address")}
                <div className="text-xs text-slate-500">
                  {cell("reason")} · {f.dateTime(row.original.createdAt)}
                </div>
              </div>
              {cell("actions")}
            </div>
          </>
        )}
      />
    </section>
  );
}

"use client";
import { useMemo } from "react";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { setExchangeRateSchema, KHR_PER_USD_RANGE } from "@/lib/schemas/exchange-rates";
import { useTRPC, type RouterOutputs } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";

type RateRow = RouterOutputs["exchangeRates"]["list"]["rows"][number];
const helper = createColumnHelper<DataTableFeatures, RateRow>();
const EMPTY: RateRow[] = [];

/**
 * The workspace's riel-per-dollar history (docs/CURRENCY.md): newest day first (keyset pages), and
 * a form to set the rate of a day. Invoices show the other currency at the rate of their issue
 * day; renters pay in the other currency at the rate of the payment day.
 */
export function ExchangeRates({ today, canEdit }: { today: string; canEdit: boolean }) {
  const { t, fmt } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(
    trpc.exchangeRates.list.infiniteQueryOptions({ limit: 10 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.rows) ?? EMPTY, [query.data]);
  const form = useZodForm(setExchangeRateSchema, { effectiveDate: today, khrPerUsd: "" as unknown as number });
  const { errors } = form.formState;
  const save = useFormMutation(form, trpc.exchangeRates.set.mutationOptions(), {
    successToast: () => t("currency.rates.saved"),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.exchangeRates.list.pathKey() });
      form.reset({ effectiveDate: today, khrPerUsd: "" as unknown as number });
    },
  });
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("effectiveDate", { header: () => t("currency.rates.date"), cell: (i) => fmt.day(i.getValue()) }),
        helper.accessor("khrPerUsd", {
          header: () => t("currency.rates.rate"),
          cell: (i) => (
            <span className="font-medium tabular-nums">{t("currency.rates.perDollar", { rate: fmt.number(i.getValue()) })}</span>
          ),
        }),
        helper.accessor("source", { header: () => t("currency.rates.source"), cell: (i) => t(`currency.rates.sources.${i.getValue()}`) }),
      ]),
    [t, fmt],
  );
  return (
    <Card title={t("currency.rates.title")}>
      <div className="space-y-4" data-testid="exchange-rates">
        <p className="text-sm text-slate-600">{t("currency.rates.intro")}</p>
        {canEdit ? (
          <form
            onSubmit={form.handleSubmit((v) => save.mutate(v))}
            noValidate
            aria-busy={save.isPending}
            className="grid items-end gap-3 sm:grid-cols-[1fr_1fr_auto]"
            data-testid="exchange-rate-form"
          >
            <Field
              id="rate-date"
              type="date"
              label={t("currency.rates.date")}
              {...form.register("effectiveDate")}
              error={errors.effectiveDate?.message}
            />
            <Field
              id="rate-khr-per-usd"
              label={t("currency.rates.rate")}
              inputMode="numeric"
              min={KHR_PER_USD_RANGE.min}
              max={KHR_PER_USD_RANGE.max}
              placeholder="4100"
              {...form.register("khrPerUsd")}
              error={errors.khrPerUsd?.message}
            />
            <Button type="submit" disabled={save.isPending} data-testid="exchange-rate-save">
              {t("currency.rates.add")}
            </Button>
          </form>
        ) : null}
        <DataTable
          columns={columns}
          data={data}
          testId="exchange-rate-list"
          {...pagingProps(query)}
          text={listText(t, "currency.rates", { loadMore: "currency.rates.more", columns: false })}
          renderCard={(row, cell) => (
            <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <span>{cell("effectiveDate")}</span>
              {cell("khrPerUsd")}
              <span className="w-full text-slate-600">{cell("source")}</span>
            </div>
          )}
        />
      </div>
    </Card>
  );
}

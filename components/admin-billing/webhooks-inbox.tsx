"use client";
import { useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { WEBHOOK_PROVIDERS, WEBHOOK_STATUS_FILTERS } from "@/lib/schemas/billing";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { Badge, StatusBadge } from "./badges";
import { useBillingFormat } from "./format";
import { tableText } from "./table-text";

type AdminWebhookDetail = RouterOutputs["adminBilling"]["webhook"];
type AdminWebhookRow = RouterOutputs["adminBilling"]["webhooks"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, AdminWebhookRow>();
const EMPTY: AdminWebhookRow[] = [];
type Status = (typeof WEBHOOK_STATUS_FILTERS)[number];

function SignatureBadge({ valid }: { valid: boolean }) {
  const { t } = useI18n();
  return (
    <Badge tone={valid ? "green" : "red"} testId="signature">
      {t(valid ? "adminBilling.webhooks.signatureValid" : "adminBilling.webhooks.signatureInvalid")}
    </Badge>
  );
}

/** Replay with a confirmation, a toast with the outcome, and fresh lists afterwards. */
function useReplay() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const replay = useMutation(
    trpc.adminBilling.replayWebhook.mutationOptions({
      onSuccess: (r) => {
        const text = t("adminBilling.webhooks.replayed", { status: t(`adminBilling.webhookStatus.${r.status}`) });
        // processing ran but failed again: say so, not "done"
        if (r.httpStatus >= 500 || r.status === "failed") toast.error(text);
        else toast.success(text);
        void queryClient.invalidateQueries({ queryKey: trpc.adminBilling.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  async function run(webhookEventId: string) {
    const ok = await confirmAction({
      title: t("adminBilling.webhooks.replayTitle"),
      text: t("adminBilling.webhooks.replayText"),
      confirmText: t("adminBilling.webhooks.replay"),
      cancelText: t("adminBilling.common.cancel"),
    });
    if (ok) replay.mutate({ webhookEventId });
  }
  return { run, pending: replay.isPending };
}

/** The webhook inbox: newest first, with signature result, status, attempts, error and Replay. */
export function WebhooksInbox() {
  const trpc = useTRPC();
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const [status, setStatus] = useState<Status | "">("");
  const [provider, setProvider] = useState<string>("");
  const replay = useReplay();
  const query = useInfiniteQuery(
    trpc.adminBilling.webhooks.infiniteQueryOptions(
      { status: status || undefined, provider: provider || undefined, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("receivedAt", {
          header: () => t("adminBilling.webhooks.received"),
          cell: (i) => (
            <Link href={`/admin/billing/webhooks/${i.row.original.id}`} className="whitespace-nowrap text-sm text-teal-800 underline">
              {fmt.dateTime(i.getValue())}
            </Link>
          ),
        }),
        helper.accessor("idempotencyKey", {
          id: "event",
          header: () => t("adminBilling.webhooks.event"),
          cell: (i) => (
            <span className="block">
              <code className="block text-xs [overflow-wrap:anywhere]">{i.getValue()}</code>
              <span className="text-xs text-slate-600">
                {i.row.original.provider}
                {i.row.original.tenant ? ` · ${i.row.original.tenant.slug}` : ""}
              </span>
            </span>
          ),
        }),
        helper.accessor("signatureValid", {
          id: "signature",
          header: () => t("adminBilling.webhooks.signature"),
          cell: (i) => <SignatureBadge valid={i.getValue()} />,
        }),
        helper.accessor("status", {
          header: () => t("adminBilling.common.status"),
          cell: (i) => <StatusBadge kind="webhookStatus" status={i.getValue()} />,
        }),
        helper.accessor("attempts", {
          header: () => t("adminBilling.webhooks.attempts"),
          cell: (i) => <span data-testid="attempts">{i.getValue()}</span>,
        }),
        helper.accessor("lastError", {
          header: () => t("adminBilling.webhooks.error"),
          cell: (i) =>
            i.getValue() ? (
              <span className="block max-w-xs text-xs text-red-800 [overflow-wrap:anywhere]">{i.getValue()}</span>
            ) : (
              <span className="text-slate-400">{t("adminBilling.common.none")}</span>
            ),
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("adminBilling.common.actions")}</span>,
          cell: (i) => (
            <div className="flex flex-wrap justify-end gap-1">
              <Link
                href={`/admin/billing/webhooks/${i.row.original.id}`}
                className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
              >
                {t("adminBilling.webhooks.open")}
              </Link>
              {i.row.original.replayable ? (
                <button
                  type="button"
                  disabled={replay.pending}
                  onClick={() => void replay.run(i.row.original.id)}
                  className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-teal-800 hover:bg-teal-50 disabled:opacity-50"
                >
                  {t("adminBilling.webhooks.replay")}
                </button>
              ) : null}
            </div>
          ),
        }),
      ]),
    // replay.run only reads t, already listed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, fmt, replay.pending],
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row">
        <select
          aria-label={t("adminBilling.webhooks.provider")}
          value={provider}
          onChange={(e) => setProvider(e.target.value)}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
        >
          <option value="">{t("adminBilling.webhooks.allProviders")}</option>
          {WEBHOOK_PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select
          aria-label={t("adminBilling.common.status")}
          value={status}
          onChange={(e) => setStatus(e.target.value as Status | "")}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
        >
          <option value="">{t("adminBilling.common.allStatuses")}</option>
          {WEBHOOK_STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`adminBilling.webhookStatus.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="webhooks"
        {...pagingProps(query)}
        hideableColumns={["attempts", "lastError"]}
        columnLabels={{ attempts: t("adminBilling.webhooks.attempts"), lastError: t("adminBilling.webhooks.error") }}
        text={tableText(t, t("adminBilling.webhooks.empty"))}
        renderCard={(row, cell) => (
          <div className="space-y-2 text-sm">
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("event")}</div>
              {cell("status")}
            </div>
            <div className="flex flex-wrap items-center gap-2 text-xs">
              {cell("receivedAt")}
              {cell("signature")}
              <span>
                {t("adminBilling.webhooks.attempts")}
                {": "}
                {row.original.attempts}
              </span>
            </div>
            {row.original.lastError ? cell("lastError") : null}
            {cell("actions")}
          </div>
        )}
      />
    </div>
  );
}

/** A Resend event's message: the e-mail its `email_id` names (what the delivery report applied to). */
function WebhookMessage({ message }: { message: AdminWebhookDetail["message"] }) {
  const { t } = useI18n();
  const fmt = useBillingFormat();
  return (
    <Card title={t("adminBilling.webhooks.message")}>
      {message ? (
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="webhook-message">
          <div>
            <dt className="font-medium text-slate-600">{t("adminBilling.webhooks.messageKey")}</dt>
            <dd>
              <code className="text-xs" data-testid="webhook-message-key">
                {message.key}
              </code>
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">{t("adminBilling.webhooks.messageTo")}</dt>
            <dd className="[overflow-wrap:anywhere]" data-testid="webhook-message-to">
              {message.to}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">{t("adminBilling.common.status")}</dt>
            <dd data-testid="webhook-message-status">{t(`messagesLog.status.${message.status}`)}</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">{t("adminBilling.webhooks.messageSent")}</dt>
            <dd>{message.sentAt ? fmt.dateTime(message.sentAt) : t("adminBilling.common.none")}</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-600">{t("adminBilling.common.tenant")}</dt>
            <dd>{message.tenant ? `${message.tenant.name} (${message.tenant.slug})` : t("adminBilling.common.none")}</dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="font-medium text-slate-600">{t("adminBilling.webhooks.messageSubject")}</dt>
            <dd className="[overflow-wrap:anywhere]">{message.subject ?? t("adminBilling.common.none")}</dd>
          </div>
        </dl>
      ) : (
        <p className="text-sm text-slate-600" data-testid="webhook-no-message">
          {t("adminBilling.webhooks.noMessage")}
        </p>
      )}
    </Card>
  );
}

/** One stored event in full: headers, body, signature result, processing and its payment (Bakong) or message (Resend). */
export function WebhookDetail({ webhookEventId }: { webhookEventId: string }) {
  const trpc = useTRPC();
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const event = useQuery(trpc.adminBilling.webhook.queryOptions({ webhookEventId }));
  const replay = useReplay();
  if (event.isError) return <p role="alert">{errorMessage(event.error, t("errors.errorBody"))}</p>;
  if (!event.data) return <p className="text-sm text-slate-500">{t("adminBilling.common.loading")}</p>;
  const e = event.data;
  const facts: [string, string][] = [
    [t("adminBilling.webhooks.provider"), e.provider],
    [t("adminBilling.webhooks.key"), e.idempotencyKey],
    [t("adminBilling.webhooks.received"), fmt.dateTime(e.receivedAt)],
    [t("adminBilling.webhooks.processedAt"), e.processedAt ? fmt.dateTime(e.processedAt) : t("adminBilling.common.none")],
    [t("adminBilling.webhooks.attempts"), String(e.attempts)],
    [t("adminBilling.common.tenant"), e.tenant ? `${e.tenantName ?? ""} (${e.tenant.slug})` : t("adminBilling.common.none")],
  ];
  return (
    <div className="space-y-4" data-testid="webhook-detail">
      <Link href="/admin/billing/webhooks" className="text-sm text-teal-800 underline">
        {t("adminBilling.webhooks.back")}
      </Link>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge kind="webhookStatus" status={e.status} />
            <SignatureBadge valid={e.signatureValid} />
          </div>
          {e.replayable ? (
            <Button type="button" variant="secondary" disabled={replay.pending} onClick={() => void replay.run(e.id)}>
              {t("adminBilling.webhooks.replay")}
            </Button>
          ) : null}
        </div>
        <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="font-medium text-slate-600">{label}</dt>
              <dd className="text-slate-900 [overflow-wrap:anywhere]">{value}</dd>
            </div>
          ))}
        </dl>
        {e.lastError ? (
          <div role="note" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
            <p className="font-medium">{t("adminBilling.webhooks.error")}</p>
            <p className="[overflow-wrap:anywhere]">{e.lastError}</p>
          </div>
        ) : null}
      </Card>
      {e.provider === "telegram" ? null : e.provider === "resend" ? (
        <WebhookMessage message={e.message} />
      ) : (
        <Card title={t("adminBilling.webhooks.payment")}>
          {e.payment ? (
            <div className="space-y-1 text-sm">
              <p>
                {t("adminBilling.webhooks.paymentLine", {
                  amount: fmt.money(e.payment.amount, e.payment.currency),
                  method: t(`adminBilling.method.${e.payment.method}`),
                  status: t(`adminBilling.paymentStatus.${e.payment.status}`),
                })}
              </p>
              {e.payment.invoiceNumber ? <p>{t("adminBilling.webhooks.invoiceLine", { number: e.payment.invoiceNumber })}</p> : null}
              {e.payment.md5 ? <code className="block text-xs [overflow-wrap:anywhere]">{e.payment.md5}</code> : null}
              {e.payment.flagReason ? (
                <p className="rounded-lg border border-red-300 bg-red-50 p-2 text-xs text-red-900">{e.payment.flagReason}</p>
              ) : null}
            </div>
          ) : (
            <p className="text-sm text-slate-600">{t("adminBilling.webhooks.noPayment")}</p>
          )}
        </Card>
      )}
      <Card title={t("adminBilling.webhooks.headers")}>
        <dl className="space-y-1 text-xs">
          {Object.entries(e.headers).map(([name, value]) => (
            <div key={name} className="break-all">
              <dt className="inline font-mono font-medium">
                {name}
                {": "}
              </dt>
              <dd className="inline font-mono">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card title={e.bodyIsJson ? t("adminBilling.webhooks.body") : t("adminBilling.webhooks.rawBody")}>
        <pre
          className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 text-xs"
          data-testid="webhook-body"
        >
          {e.body}
        </pre>
      </Card>
    </div>
  );
}

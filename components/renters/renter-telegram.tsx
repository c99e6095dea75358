"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { RENTER_MESSAGE_CHANNEL_VALUES, type RenterMessageChannel } from "@/lib/enums";

/**
 * The renter's Telegram on their page (docs/TELEGRAM.md): whether the chat is linked (or the bot
 * blocked), where messages go (e-mail, Telegram or both), a one-time link with its QR code to share,
 * and unlinking. Staff never type chat ids: the renter opens the link.
 */
export function RenterTelegram({ renterId, canManage }: { renterId: string; canManage: boolean }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.telegram.status.queryOptions({ renterId }));
  const [link, setLink] = useState<{ url: string; expiresAt: Date; qr: string } | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.telegram.status.queryKey({ renterId }) });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const create = useMutation(trpc.telegram.createLink.mutationOptions({ onSuccess: (l) => setLink(l), onError }));
  const unlink = useMutation(
    trpc.telegram.unlink.mutationOptions({
      onSuccess: () => {
        toast.success(t("telegram.panel.unlinked"));
        refresh();
      },
      onError,
    }),
  );
  const setChannel = useMutation(
    trpc.telegram.setChannel.mutationOptions({
      onSuccess: () => {
        toast.success(t("telegram.panel.saved"));
        refresh();
      },
      onError,
    }),
  );
  const s = status.data;
  if (!s) return null;

  async function confirmUnlink() {
    const ok = await confirmAction({
      title: t("telegram.panel.unlink"),
      text: t("telegram.panel.unlinkConfirm"),
      confirmText: t("telegram.panel.unlink"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (ok) unlink.mutate({ renterId });
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      toast.success(t("telegram.panel.copied"));
    } catch {
      toast.error(t("errors.errorBody"));
    }
  }

  return (
    <Card title={t("telegram.panel.title")}>
      <div className="space-y-4 text-sm" data-testid="renter-telegram">
        {!s.enabled ? <p className="text-slate-600">{t("telegram.panel.off")}</p> : null}
        {s.enabled && s.blocked ? (
          <p className="rounded-lg bg-amber-50 p-3 text-amber-900" data-testid="telegram-blocked">
            {t("telegram.panel.blocked", { date: formatDate(s.blocked.at) })}
            {s.blocked.reason ? <span className="mt-1 block text-xs text-amber-800">{s.blocked.reason}</span> : null}
          </p>
        ) : null}
        {s.enabled ? (
          <div className="text-slate-700" data-testid="telegram-state">
            <p>
              {s.linked && s.linkedAt
                ? s.telegramName
                  ? t("telegram.panel.linkedAs", { date: formatDateTime(s.linkedAt), name: s.telegramName })
                  : t("telegram.panel.linked", { date: formatDate(s.linkedAt) })
                : t("telegram.panel.notLinked")}
            </p>
            {s.linked ? <p className="mt-1 text-xs text-slate-500">{t("telegram.panel.linkedAsHelp")}</p> : null}
          </div>
        ) : null}
        <label className="block">
          <span className="mb-1 block font-medium text-slate-800">{t("telegram.panel.channel")}</span>
          <select
            className="min-h-10 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 sm:w-auto"
            value={s.messageChannel}
            disabled={!canManage || setChannel.isPending}
            onChange={(e) => setChannel.mutate({ renterId, channel: e.target.value as RenterMessageChannel })}
            data-testid="telegram-channel"
          >
            {RENTER_MESSAGE_CHANNEL_VALUES.map((c) => (
              <option key={c} value={c}>
                {t(`telegram.panel.channels.${c}`)}
              </option>
            ))}
          </select>
          <span className="mt-1 block text-xs text-slate-500">{t("telegram.panel.channelHelp")}</span>
        </label>
        {s.enabled && canManage ? (
          <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
            {/* one chat per renter: a new link only while none is linked */}
            {!s.linked ? (
              <button
                type="button"
                onClick={() => create.mutate({ renterId })}
                disabled={create.isPending}
                className="inline-flex min-h-10 items-center justify-center rounded-lg bg-sky-600 px-4 py-2 font-medium text-white hover:bg-sky-700 disabled:opacity-60"
                data-testid="telegram-create-link"
              >
                {link ? t("telegram.panel.newLink") : t("telegram.panel.createLink")}
              </button>
            ) : null}
            {s.linked ? (
              <button
                type="button"
                onClick={() => void confirmUnlink()}
                disabled={unlink.isPending}
                className="inline-flex min-h-10 items-center justify-center rounded-lg border border-slate-300 px-4 py-2 font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60"
              >
                {t("telegram.panel.unlink")}
              </button>
            ) : null}
          </div>
        ) : null}
        {link && !s.linked ? (
          <div className="flex flex-col items-start gap-3 rounded-lg border border-slate-200 p-3 sm:flex-row" data-testid="telegram-link">
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made by the server */}
            <img src={link.qr} alt={t("telegram.panel.qrAlt")} width={160} height={160} className="rounded" />
            <div className="min-w-0 space-y-2">
              <a href={link.url} className="block break-all font-mono text-xs text-sky-700 underline" target="_blank" rel="noreferrer">
                {link.url}
              </a>
              <p className="text-xs text-slate-500">{t("telegram.panel.linkHelp", { date: formatDate(link.expiresAt) })}</p>
              <button
                type="button"
                onClick={() => void copy(link.url)}
                className="inline-flex min-h-10 items-center rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
              >
                {t("telegram.panel.copy")}
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </Card>
  );
}

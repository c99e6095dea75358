"use client";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage, type RouterOutputs } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";

type BotSettings = RouterOutputs["telegram"]["botSettings"];

/**
 * Settings > Telegram (docs/TELEGRAM.md, "A workspace's own bot"): the workspace's own bot, shown
 * as its @username and the token's last 4 characters; paste a token to set or replace it, or remove
 * it. A chat is tied to the bot it linked through, so staff see how many renters must link again.
 */
export function TelegramBotSettings({ initial }: { initial: BotSettings }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [settings, setSettings] = useState(initial);
  const [token, setToken] = useState("");
  const [editing, setEditing] = useState(initial.own === null);
  const [error, setError] = useState<string | undefined>();

  const done = (next: BotSettings) => {
    setSettings(next);
    setToken("");
    setError(undefined);
    setEditing(next.own === null);
    void queryClient.invalidateQueries({ queryKey: trpc.telegram.pathKey() });
  };
  const save = useMutation(
    trpc.telegram.saveBot.mutationOptions({
      onSuccess: (next) => {
        done(next);
        toast.success(t("telegram.botSettings.saved", { bot: next.own?.username ?? "" }));
      },
      onError: (e) => {
        const message = errorMessage(e, t("errors.network"));
        setError(message);
        toast.error(message);
      },
    }),
  );
  const remove = useMutation(
    trpc.telegram.removeBot.mutationOptions({
      onSuccess: (next) => {
        done(next);
        toast.success(t("telegram.botSettings.removed"));
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.network"))),
    }),
  );

  async function onSave(event: React.FormEvent) {
    event.preventDefault();
    if (!token.trim()) return;
    const ok = await confirmAction({
      title: t("telegram.botSettings.title"),
      text: t("telegram.botSettings.changeConfirm", { count: settings.linkedRenters }),
      confirmText: t("telegram.botSettings.save"),
      cancelText: t("telegram.botSettings.cancel"),
      danger: settings.linkedRenters > 0,
    });
    if (ok) save.mutate({ token: token.trim() });
  }

  async function onRemove() {
    const ok = await confirmAction({
      title: t("telegram.botSettings.remove"),
      text: t("telegram.botSettings.removeConfirm", { count: settings.linkedRenters }),
      confirmText: t("telegram.botSettings.remove"),
      cancelText: t("telegram.botSettings.cancel"),
      danger: true,
    });
    if (ok) remove.mutate();
  }

  return (
    <Card title={t("telegram.botSettings.title")}>
      <div className="space-y-3" data-testid="telegram-bot-settings">
        {settings.own ? (
          <div className="space-y-1 text-sm">
            <p className="font-medium text-slate-900">{t("telegram.botSettings.current", { bot: settings.own.username })}</p>
            <p className="font-mono break-all text-slate-600">
              {t("telegram.botSettings.tokenShown", { token: settings.own.tokenMasked })}
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            {settings.platformUsername
              ? t("telegram.botSettings.intro", { bot: settings.platformUsername })
              : t("telegram.botSettings.introOff")}
          </p>
        )}
        <p className="text-sm text-slate-600">{t("telegram.botSettings.linked", { count: settings.linkedRenters })}</p>
        {editing ? (
          <form onSubmit={(e) => void onSave(e)} className="space-y-3">
            <Field
              id="telegram-bot-token"
              name="token"
              label={t("telegram.botSettings.tokenLabel")}
              help={t("telegram.botSettings.tokenHelp")}
              error={error}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={200}
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={save.isPending || !token.trim()}>
                {t("telegram.botSettings.save")}
              </Button>
              {settings.own ? (
                <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
                  {t("telegram.botSettings.cancel")}
                </Button>
              ) : null}
            </div>
          </form>
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="secondary" onClick={() => setEditing(true)}>
              {t("telegram.botSettings.replace")}
            </Button>
            <Button type="button" variant="danger" disabled={remove.isPending} onClick={() => void onRemove()}>
              {t("telegram.botSettings.remove")}
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}

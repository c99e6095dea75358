"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";

type AccountSession = RouterOutputs["account"]["sessions"][number];

function leaveToLogin(): void {
  // a full load on purpose: it drops every cached query of the signed-out user
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.href = "/login?signedOut=1";
}

/** Every live session of the member, on all workspaces and the apex; other ones can be signed out. */
export function SessionsList({ disabled }: { disabled: boolean }) {
  const { t, fmt } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const when = { format: (d: Date | string) => fmt.dateTime(d, "Asia/Phnom_Penh") };

  const device = (s: AccountSession) =>
    t("account.sessions.device", {
      browser: s.browser ?? t("account.sessions.unknownBrowser"),
      os: s.os ?? t("account.sessions.unknownOs"),
    });

  const revoke = useMutation(
    trpc.account.revokeSession.mutationOptions({
      onSuccess: () => {
        toast.success(t("account.sessions.signedOut"));
        void queryClient.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() });
      },
      onError: (e) => {
        toast.error(errorMessage(e, t("errors.errorBody")));
        void queryClient.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() });
      },
    }),
  );

  const everywhere = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      onSuccess: async () => {
        toast.success(t("account.sessions.signedOutEverywhere"));
        // the session row is already revoked; this only drops the (now useless) cookie
        await fetch("/api/session/logout", { method: "POST", credentials: "same-origin" }).catch(() => undefined);
        leaveToLogin();
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  async function signOut(s: AccountSession) {
    const ok = await confirmAction({
      title: t("account.sessions.confirmSignOutTitle"),
      text: t("account.sessions.confirmSignOutText", { device: device(s), host: s.host }),
      confirmText: t("account.sessions.signOut"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (ok) revoke.mutate({ id: s.id });
  }

  async function signOutEverywhere() {
    const ok = await confirmAction({
      title: t("account.sessions.confirmEverywhereTitle"),
      text: t("account.sessions.confirmEverywhereText"),
      confirmText: t("account.sessions.signOutEverywhere"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (ok) everywhere.mutate();
  }

  return (
    <Card title={t("account.sessions.title")}>
      <p className="mb-4 text-sm text-slate-600">{t("account.sessions.help")}</p>
      {sessions.status === "pending" ? (
        <p className="text-sm text-slate-500" role="status">
          {t("account.sessions.loading")}
        </p>
      ) : sessions.status === "error" ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          {t("account.sessions.loadError")}{" "}
          <button type="button" className="underline" onClick={() => void sessions.refetch()}>
            {t("account.sessions.retry")}
          </button>
        </div>
      ) : sessions.data.length === 0 ? (
        <p className="text-sm text-slate-500">{t("account.sessions.empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-200" data-testid="sessions-list">
          {sessions.data.map((s) => (
            <li key={s.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="session-row">
              <div className="min-w-0 space-y-0.5">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-slate-900">{device(s)}</span>
                  {s.isCurrent ? (
                    <span className="rounded-full bg-teal-50 px-2 py-0.5 text-xs font-medium text-teal-800" data-testid="this-device">
                      {t("account.sessions.thisDevice")}
                    </span>
                  ) : null}
                  {s.isSupport ? (
                    <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800">
                      {t("account.sessions.support")}
                    </span>
                  ) : null}
                </div>
                <div className="truncate text-sm text-slate-700" data-testid="session-host">
                  {s.host}
                </div>
                <div className="text-xs text-slate-500">
                  {t("account.sessions.lastSeen", { time: when.format(new Date(s.lastSeenAt)) })}
                  {" · "}
                  {t("account.sessions.started", { time: when.format(new Date(s.createdAt)) })}
                  {s.ip ? (
                    <>
                      {" · "}
                      {t("account.sessions.ip", { ip: s.ip })}
                    </>
                  ) : null}
                </div>
              </div>
              {s.isCurrent ? null : (
                <Button
                  variant="secondary"
                  className="self-start sm:self-center"
                  disabled={disabled || revoke.isPending}
                  onClick={() => void signOut(s)}
                >
                  {t("account.sessions.signOut")}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="mt-4 flex flex-col gap-2 border-t border-slate-200 pt-4 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-slate-600">{t("account.sessions.everywhereHelp")}</p>
        <Button
          variant="danger"
          data-testid="sign-out-everywhere"
          disabled={disabled || everywhere.isPending}
          onClick={() => void signOutEverywhere()}
        >
          {t("account.sessions.signOutEverywhere")}
        </Button>
      </div>
    </Card>
  );
}

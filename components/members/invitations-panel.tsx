"use client";
import { UpgradeHint, atLimit, useEntitlements } from "@/components/billing/upgrade-hint";
import { roleLabel } from "@/lib/i18n/role-label";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { inviteMemberSchema } from "@/lib/schemas/members";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";

/** Invite form and the pending invitations (resend with a new link, revoke). */
export function InvitationsPanel({ isOwner }: { isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t, formatDate } = useI18n();
  const canManage = useCan()("members.manage");
  const roles = useQuery({ ...trpc.members.roles.queryOptions(), enabled: canManage });
  const invitations = useQuery(trpc.members.invitations.queryOptions());
  const entitlements = useEntitlements();
  const full = atLimit(entitlements, "members");
  const form = useZodForm(inviteMemberSchema, { email: "", roleId: "" });
  const fieldErrors = form.formState.errors;

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.billing.entitlements.queryKey() }),
    ]);
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const invite = useFormMutation(null, trpc.members.invite.mutationOptions(), {
    successToast: (inv) => t("team.invited", { email: inv.email }),
    onSuccess: () => {
      void refresh();
      form.reset();
    },
  });
  const resend = useMutation(
    trpc.members.resendInvitation.mutationOptions({
      onSuccess: (inv) => {
        toast.success(t("team.resent", { email: inv.email }));
        void refresh();
      },
      onError,
    }),
  );
  const revoke = useMutation(
    trpc.members.revokeInvitation.mutationOptions({
      onSuccess: () => {
        toast.success(t("team.revoked"));
        void refresh();
      },
      onError,
    }),
  );

  const onSubmit = form.handleSubmit((data) => invite.mutate(data));

  // only roles the caller may hand out (owner only by owners, nothing with a permission it lacks)
  const assignable = (roles.data ?? []).filter((r) => r.grantable && (isOwner || r.key !== "owner"));
  const pending = invitations.data ?? [];

  return (
    <div className="space-y-4">
      {canManage ? (
        <form onSubmit={onSubmit} noValidate className="rounded-xl border border-slate-200 bg-white p-4" aria-busy={invite.isPending}>
          <h2 className="mb-3 font-semibold">{t("team.inviteTitle")}</h2>
          <div className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
            <Field
              id="invite-email"
              {...form.register("email")}
              type="email"
              autoComplete="off"
              label={t("team.inviteEmail")}
              error={fieldErrors.email?.message}
            />
            <div className="space-y-1">
              <label htmlFor="invite-role" className="block text-sm font-medium text-slate-800">
                {t("team.inviteRole")}
              </label>
              <select
                id="invite-role"
                {...form.register("roleId")}
                className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2"
              >
                <option value="" disabled>
                  {t("team.inviteRole")}
                </option>
                {assignable.map((r) => (
                  <option key={r.id} value={r.id}>
                    {roleLabel(t, r.key, r.name)}
                  </option>
                ))}
              </select>
              {fieldErrors.roleId ? (
                <p role="alert" className="text-sm text-red-700">
                  {fieldErrors.roleId.message}
                </p>
              ) : null}
            </div>
            <Button type="submit" disabled={invite.isPending || full} className="sm:mt-6">
              {invite.isPending ? t("auth.working") : t("team.inviteSend")}
            </Button>
          </div>
          {full && entitlements ? (
            <div className="mt-3">
              <UpgradeHint entitlements={entitlements} limit="members" />
            </div>
          ) : null}
        </form>
      ) : null}
      <section aria-labelledby="invitations-heading" className="space-y-2">
        <h2 id="invitations-heading" className="font-semibold">
          {t("team.invitations")}
        </h2>
        {pending.length === 0 ? (
          <p className="text-sm text-slate-500">{t("team.noInvitations")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="invitations">
            {pending.map((inv) => (
              <li key={inv.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                <div className="min-w-0">
                  <div className="truncate font-medium">{inv.email}</div>
                  <div className="text-slate-500">
                    {roleLabel(t, inv.role.key, inv.role.name)} ·{" "}
                    {inv.isExpired ? (
                      <span className="text-red-700">{t("team.expired")}</span>
                    ) : (
                      t("team.expires", { date: formatDate(inv.expiresAt) })
                    )}{" "}
                    · {t("team.sentTimes", { count: inv.sendCount })}
                  </div>
                </div>
                {canManage ? (
                  <div className="flex gap-1">
                    <button
                      type="button"
                      className="rounded-md px-3 py-1.5 text-teal-800 hover:bg-teal-50"
                      disabled={resend.isPending}
                      onClick={() => resend.mutate({ invitationId: inv.id })}
                    >
                      {t("team.resend")}
                    </button>
                    <button
                      type="button"
                      className="rounded-md px-3 py-1.5 text-red-700 hover:bg-red-50"
                      disabled={revoke.isPending}
                      onClick={async () => {
                        const ok = await confirmAction({
                          title: t("team.confirmRevokeTitle", { email: inv.email }),
                          text: t("team.confirmRevokeText"),
                          confirmText: t("team.revoke"),
                          cancelText: t("common.cancel"),
                          danger: true,
                        });
                        if (ok) revoke.mutate({ invitationId: inv.id });
                      }}
                    >
                      {t("team.revoke")}
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

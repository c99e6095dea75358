"use client";
import { UpgradeHint, lacks, useEntitlements } from "@/components/billing/upgrade-hint";
import { roleLabel } from "@/lib/i18n/role-label";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { PERMISSIONS } from "@/lib/permissions";
import { createRoleSchema } from "@/lib/schemas/roles";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import type { RouterOutputs } from "@/lib/trpc/client";

type RoleRow = RouterOutputs["roles"]["list"][number];

const AREAS = [...new Set(PERMISSIONS.map((p) => p.area))];

export function permissionLabelKey(code: string): MessageKey {
  return `team.perm.${code.replace(".", "_")}` as MessageKey;
}

type Draft = { roleId?: string; name: string; description: string; permissions: string[] };

/** Roles list and the custom-role editor: a checkbox matrix of the permission catalog grouped by area. */
export function RolesEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const roles = useQuery(trpc.roles.list.queryOptions());
  // the role being edited (or a new one): null while the form is closed
  const [editing, setEditing] = useState<{ roleId?: string } | null>(null);
  const form = useZodForm(createRoleSchema, { name: "", description: "", permissions: [] } as Omit<Draft, "roleId">, {
    toInput: (v) => ({ name: v.name, description: v.description || undefined, permissions: v.permissions }),
  });
  const { errors } = form.formState;
  const openDraft = ({ roleId, ...values }: Draft) => {
    form.reset(values);
    setEditing({ roleId });
  };

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.roles.list.queryKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));
  const saved = {
    successToast: (r: RoleRow) => t("team.roleSaved", { name: r.name }),
    invalidate: [trpc.roles.list.queryKey()],
    onSuccess: () => setEditing(null),
  };
  const create = useFormMutation(null, trpc.roles.create.mutationOptions(), saved);
  const update = useFormMutation(null, trpc.roles.update.mutationOptions(), saved);
  const remove = useMutation(
    trpc.roles.delete.mutationOptions({
      onSuccess: () => {
        toast.success(t("team.roleDeleted"));
        void refresh();
      },
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  const save = form.handleSubmit((data) => {
    if (editing?.roleId) update.mutate({ ...data, roleId: editing.roleId });
    else create.mutate(data);
  });

  const entitlements = useEntitlements();
  const noCustomRoles = lacks(entitlements, "custom_roles");

  function roleName(r: RoleRow): string {
    return roleLabel(t, r.key, r.name);
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">{t("team.rolesIntro")}</p>
      {editing ? null : (
        <div className="space-y-2">
          <Button disabled={noCustomRoles} onClick={() => openDraft({ name: "", description: "", permissions: ["workspace.view"] })}>
            {t("team.newRole")}
          </Button>
          {noCustomRoles && entitlements ? <UpgradeHint entitlements={entitlements} feature="custom_roles" /> : null}
        </div>
      )}
      {editing ? (
        <form
          onSubmit={save}
          noValidate
          className="space-y-4 rounded-xl border border-slate-200 bg-white p-4"
          aria-busy={pending}
          data-testid="role-form"
        >
          <h2 className="font-semibold">{editing.roleId ? t("team.editRole") : t("team.newRole")}</h2>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="role-name" label={t("team.roleName")} {...form.register("name")} error={errors.name?.message} />
            <Field id="role-description" label={t("team.roleDescription")} {...form.register("description")} />
          </div>
          <fieldset className="space-y-3">
            <legend className="text-sm font-medium">{t("team.permissions")}</legend>
            {errors.permissions ? (
              <p role="alert" className="text-sm text-red-700">
                {errors.permissions.message}
              </p>
            ) : null}
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {AREAS.map((area) => (
                <div key={area} className="rounded-lg border border-slate-200 p-3">
                  <div className="mb-2 text-xs font-semibold uppercase text-slate-500">{t(`team.areas.${area}` as MessageKey)}</div>
                  {PERMISSIONS.filter((p) => p.area === area).map((p) => (
                    <label key={p.code} className="flex items-start gap-2 py-1 text-sm">
                      <input type="checkbox" className="mt-1" value={p.code} {...form.register("permissions")} />
                      <span>{t(permissionLabelKey(p.code))}</span>
                    </label>
                  ))}
                </div>
              ))}
            </div>
          </fieldset>
          <div className="flex gap-2">
            <Button type="submit" disabled={pending}>
              {pending ? t("auth.working") : t("team.saveRole")}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setEditing(null)}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : null}
      <ul className="space-y-2" data-testid="roles">
        {(roles.data ?? []).map((r) => (
          <li key={r.id} className="rounded-xl border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <span className="font-medium">{roleName(r)}</span>{" "}
                <span
                  className={`ml-1 rounded-full px-2 py-0.5 text-xs ${r.isSystem ? "bg-slate-100 text-slate-600" : "bg-teal-50 text-teal-800"}`}
                >
                  {r.isSystem ? t("team.system") : t("team.custom")}
                </span>
                <span className="ml-2 text-sm text-slate-500">{t("team.membersCount", { count: r.members })}</span>
              </div>
              {r.isSystem ? (
                <span className="text-xs text-slate-500">{t("team.readOnly")}</span>
              ) : (
                <div className="flex gap-1">
                  <Button
                    variant="ghost"
                    onClick={() => openDraft({ roleId: r.id, name: r.name, description: r.description ?? "", permissions: r.permissions })}
                  >
                    {t("team.editRole")}
                  </Button>
                  <Button
                    variant="ghost"
                    className="text-red-700"
                    disabled={remove.isPending}
                    onClick={async () => {
                      const ok = await confirmAction({
                        title: t("team.confirmDeleteRoleTitle", { name: r.name }),
                        text: t("team.confirmDeleteRoleText"),
                        confirmText: t("team.deleteRole"),
                        cancelText: t("common.cancel"),
                        danger: true,
                      });
                      if (ok) remove.mutate({ roleId: r.id });
                    }}
                  >
                    {t("team.deleteRole")}
                  </Button>
                </div>
              )}
            </div>
            {r.description ? <p className="mt-1 text-sm text-slate-600">{r.description}</p> : null}
            <p className="mt-2 text-xs text-slate-500">{r.permissions.map((c) => t(permissionLabelKey(c))).join(" · ")}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

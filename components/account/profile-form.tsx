"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { updateProfileSchema } from "@/lib/schemas/account";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { clientFieldErrors, serverError } from "./form-errors";

type AccountProfile = RouterOutputs["account"]["profile"];

export function ProfileForm({ profile }: { profile: AccountProfile }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState(profile.name);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = useMutation(
    trpc.account.updateProfile.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.account.profile.queryKey(), updated);
        setName(updated.name);
        toast.success(t("account.profile.saved"));
        // the header shows the name: it comes from the server layout
        router.refresh();
      },
      onError: (e) => {
        const { fieldErrors } = serverError(e);
        setErrors(fieldErrors);
        if (!fieldErrors.name) toast.error(errorMessage(e, t("errors.errorBody")));
      },
    }),
  );

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = updateProfileSchema.safeParse({ name });
    if (!parsed.success) return setErrors(clientFieldErrors(parsed.error, t));
    setErrors({});
    save.mutate(parsed.data);
  }

  return (
    <Card title={t("account.profile.title")}>
      <form onSubmit={submit} noValidate className="space-y-4" aria-busy={save.isPending} data-testid="profile-form">
        <Field
          id="account-name"
          name="name"
          autoComplete="name"
          label={t("account.profile.name")}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          maxLength={100}
          required
        />
        <Field
          id="account-email"
          name="email"
          type="email"
          label={t("account.profile.email")}
          value={profile.email}
          help={t("account.profile.emailHelp")}
          readOnly
        />
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? t("auth.working") : t("account.profile.save")}
        </Button>
      </form>
    </Card>
  );
}

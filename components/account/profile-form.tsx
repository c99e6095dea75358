"use client";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { updateProfileSchema } from "@/lib/schemas/account";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import type { RouterOutputs } from "@/lib/trpc/client";

type AccountProfile = RouterOutputs["account"]["profile"];

export function ProfileForm({ profile }: { profile: AccountProfile }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useZodForm(updateProfileSchema, { name: profile.name });

  const save = useFormMutation(form, trpc.account.updateProfile.mutationOptions(), {
    successToast: () => t("account.profile.saved"),
    errorToast: "unlessField",
    onSuccess: (updated) => {
      queryClient.setQueryData(trpc.account.profile.queryKey(), updated);
      form.reset({ name: updated.name });
      // the header shows the name: it comes from the server layout
      router.refresh();
    },
  });

  const submit = form.handleSubmit((data) => save.mutate(data));

  return (
    <Card title={t("account.profile.title")}>
      <form onSubmit={submit} noValidate className="space-y-4" aria-busy={save.isPending} data-testid="profile-form">
        <Field
          id="account-name"
          {...form.register("name")}
          autoComplete="name"
          label={t("account.profile.name")}
          error={form.formState.errors.name?.message}
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

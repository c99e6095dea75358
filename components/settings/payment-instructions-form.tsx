"use client";
import { useQueryClient } from "@tanstack/react-query";
import { PAYMENT_INSTRUCTION_LIMITS, updatePaymentInstructionsSchema } from "@/lib/schemas/payment-instructions";
import { useTRPC, type RouterOutputs } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";

type PaymentInstructions = RouterOutputs["workspaceSettings"]["paymentInstructions"];

function formValuesOf(p: PaymentInstructions) {
  return { bankName: p.bankName ?? "", accountName: p.accountName ?? "", accountNumber: p.accountNumber ?? "", phone: p.phone ?? "" };
}

/**
 * The workspace's own cash and bank-transfer instructions (each optional), shown to renters on the
 * pay page and printed on the invoice PDF; saved through workspaceSettings.updatePaymentInstructions.
 */
export function PaymentInstructionsForm({ initial }: { initial: PaymentInstructions }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(updatePaymentInstructionsSchema, formValuesOf(initial));
  const { errors } = form.formState;
  const save = useFormMutation(form, trpc.workspaceSettings.updatePaymentInstructions.mutationOptions(), {
    successToast: () => t("settings.saved"),
    onSuccess: (saved) => {
      queryClient.setQueryData(trpc.workspaceSettings.paymentInstructions.queryKey(), saved);
      form.reset(formValuesOf(saved));
    },
  });
  return (
    <form
      onSubmit={form.handleSubmit((data) => save.mutate(data))}
      noValidate
      aria-busy={save.isPending}
      data-testid="payment-instructions-form"
    >
      <Card title={t("settings.payInstructions.title")}>
        <fieldset disabled={save.isPending} className="space-y-4">
          <p className="text-sm text-slate-600">{t("settings.payInstructions.intro")}</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              id="pay-bank-name"
              label={t("settings.payInstructions.bankName")}
              placeholder={t("settings.payInstructions.bankNamePlaceholder")}
              {...form.register("bankName")}
              error={errors.bankName?.message}
              maxLength={PAYMENT_INSTRUCTION_LIMITS.bankName}
            />
            <Field
              id="pay-account-name"
              label={t("settings.payInstructions.accountName")}
              {...form.register("accountName")}
              error={errors.accountName?.message}
              maxLength={PAYMENT_INSTRUCTION_LIMITS.accountName}
            />
            <Field
              id="pay-account-number"
              label={t("settings.payInstructions.accountNumber")}
              {...form.register("accountNumber")}
              error={errors.accountNumber?.message}
              inputMode="numeric"
              autoComplete="off"
              maxLength={PAYMENT_INSTRUCTION_LIMITS.accountNumber}
            />
            <Field
              id="pay-phone"
              label={t("settings.payInstructions.phone")}
              help={t("settings.payInstructions.phoneHelp")}
              {...form.register("phone")}
              error={errors.phone?.message}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              maxLength={PAYMENT_INSTRUCTION_LIMITS.phone}
            />
          </div>
          <div className="flex justify-end">
            <Button type="submit" disabled={save.isPending} data-testid="payment-instructions-save">
              {t("settings.payInstructions.save")}
            </Button>
          </div>
        </fieldset>
      </Card>
    </form>
  );
}

"use client";
import { useForm, type DefaultValues, type FieldValues, type UseFormProps, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { translatedZodResolver, type ZodFormOptions } from "@/lib/forms/resolver";

/**
 * react-hook-form on one of the shared schemas (lib/schemas): checked on submit, messages in the
 * person's language, the first invalid field focused. Errors stay until the next submit, as the
 * server's do. `toInput`/`errorPaths` bridge a form that holds strings to a schema that wants numbers; `check`
 * adds the checks the schema cannot make.
 */
export function useZodForm<TValues extends FieldValues, TOutput = TValues>(
  schema: z.ZodType<TOutput, unknown>,
  defaultValues: TValues,
  options: ZodFormOptions<TValues> & Omit<UseFormProps<TValues, unknown, TOutput>, "resolver" | "defaultValues"> = {},
): UseFormReturn<TValues, unknown, TOutput> {
  const { t } = useI18n();
  const { toInput, errorPaths, check, ...formOptions } = options;
  return useForm<TValues, unknown, TOutput>({
    mode: "onSubmit",
    reValidateMode: "onSubmit",
    shouldFocusError: true,
    ...formOptions,
    defaultValues: defaultValues as DefaultValues<TValues>,
    resolver: translatedZodResolver<TValues, TOutput>(schema, (key) => t(key as MessageKey), { toInput, errorPaths, check }),
  });
}

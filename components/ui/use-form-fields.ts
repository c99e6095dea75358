"use client";
import { useState } from "react";
import { errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { toast } from "@/components/ui/toast";
import { serverError } from "@/components/account/form-errors";

/**
 * The state every entity form keeps (property, unit, renter, contract): the values as typed, the
 * inline errors, a change handler per field, and what a failed save does: the server's field
 * errors inline (or, for a CONFLICT, the message on the field that clashed) and a toast.
 */
export function useFormFields<V extends object>(
  initial: V | (() => V),
  options: { conflictField?: string; mapServerErrors?: (fieldErrors: Record<string, string>) => Record<string, string> } = {},
) {
  const { t } = useI18n();
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof V) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const onError = (e: unknown) => {
    const { fieldErrors, appCode } = serverError(e);
    const message = errorMessage(e, t("errors.errorBody"));
    if (options.conflictField && appCode === "CONFLICT") setErrors({ [options.conflictField]: message });
    else setErrors(options.mapServerErrors ? options.mapServerErrors(fieldErrors) : fieldErrors);
    toast.error(message);
  };
  return { values, setValues, set, errors, setErrors, onError };
}

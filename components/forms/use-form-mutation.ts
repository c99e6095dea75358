"use client";
import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from "@tanstack/react-query";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { serverFieldErrors, type ServerErrorRouting } from "@/lib/forms/server-errors";
import { toast } from "@/components/ui/toast";
import { serverError } from "./server-error";

export interface FormMutationBehaviour<TData, TVariables> extends ServerErrorRouting {
  /** The success toast (Notyf); none when it returns null or is left out. */
  successToast?: (data: TData, variables: TVariables) => string | null;
  /** The tRPC queries to refetch after success (`trpc.properties.pathKey()`, …). */
  invalidate?: QueryKey[];
  onSuccess?: (data: TData, variables: TVariables) => void;
  /**
   * The error toast: `always` (default), `unlessField` (only when no field shows the message), or
   * `never` (the form shows it itself through `onError`).
   */
  errorToast?: "always" | "unlessField" | "never";
  /** The message when the server sent none that may be shown (default: "could not complete"). */
  errorFallback?: MessageKey;
  /** After the field errors are set: `onField` says whether any field took the message. */
  onError?: (message: string, info: { appCode: string | null; onField: boolean }) => void;
}

/**
 * One mutation for a form: on success the toast, the invalidations and `onSuccess`; on failure the
 * server's field errors on the form's fields (react-hook-form `setError`, translated already) and
 * the translated message as a toast.
 */
export function useFormMutation<TData, TError, TVariables, TContext, TValues extends FieldValues>(
  form: Pick<UseFormReturn<TValues, unknown, never>, "setError"> | null,
  options: UseMutationOptions<TData, TError, TVariables, TContext>,
  behaviour: FormMutationBehaviour<TData, TVariables> = {},
) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  return useMutation<TData, TError, TVariables, TContext>({
    ...options,
    onSuccess: (data, variables) => {
      const message = behaviour.successToast?.(data, variables);
      if (message) toast.success(message);
      for (const queryKey of behaviour.invalidate ?? []) void queryClient.invalidateQueries({ queryKey });
      behaviour.onSuccess?.(data, variables);
    },
    onError: (error) => {
      const { appCode, fieldErrors } = serverError(error);
      const message = errorMessage(error, t(behaviour.errorFallback ?? "errors.errorBody"));
      const onFields = serverFieldErrors({ message, appCode, fieldErrors }, behaviour);
      const names = Object.keys(onFields);
      names.forEach((name) => form?.setError(name as Path<TValues>, { type: "server", message: onFields[name] }));
      const onField = names.length > 0 && form !== null;
      const mode = behaviour.errorToast ?? "always";
      if (mode === "always" || (mode === "unlessField" && !onField)) toast.error(message);
      behaviour.onError?.(message, { appCode, onField });
    },
  });
}

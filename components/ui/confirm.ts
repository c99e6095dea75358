"use client";

// One confirmation helper (SweetAlert2) for destructive or irreversible actions. `typed`
// asks the user to type a word (e.g. the workspace address) for the worst ones.
export interface ConfirmOptions {
  title: string;
  text: string;
  confirmText: string;
  cancelText: string;
  danger?: boolean;
  typed?: { word: string; prompt: string };
}

export async function confirmAction(opts: ConfirmOptions): Promise<boolean> {
  const { default: Swal } = await import("sweetalert2");
  const result = await Swal.fire({
    title: opts.title,
    text: opts.text,
    icon: opts.danger ? "warning" : "question",
    showCancelButton: true,
    focusCancel: Boolean(opts.danger),
    confirmButtonText: opts.confirmText,
    cancelButtonText: opts.cancelText,
    confirmButtonColor: opts.danger ? "#b91c1c" : "#0f766e",
    reverseButtons: true,
    ...(opts.typed
      ? {
          input: "text" as const,
          inputLabel: opts.typed.prompt,
          inputValidator: (value: string) => (value === opts.typed!.word ? null : opts.typed!.prompt),
        }
      : {}),
  });
  return result.isConfirmed;
}

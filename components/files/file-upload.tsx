"use client";
import { useId, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { FILE_PURPOSE_RULES, MAX_UPLOAD_BYTES, acceptFor, type FilePurpose } from "@/lib/files/purposes";
import { toast } from "@/components/ui/toast";

export interface UploadedFileInfo {
  id: string;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
}

const MAX_MB = MAX_UPLOAD_BYTES / (1024 * 1024);

/**
 * Uploads one file to POST /api/files for `purpose` and hands the stored file to `onUploaded`
 * (the caller then attaches it with its own mutation). The server sniffs the type and checks the
 * permission and the plan's storage; its translated message is shown inline and as a toast.
 */
export function FileUpload({
  purpose,
  onUploaded,
  label,
  disabled = false,
  quiet = false,
}: {
  purpose: FilePurpose;
  onUploaded: (file: UploadedFileInfo) => void | Promise<void>;
  /** the button text; defaults to "Choose a photo" / "Choose a file" */
  label?: string;
  disabled?: boolean;
  /** no success toast (when the caller's own mutation toasts the result) */
  quiet?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rule = FILE_PURPOSE_RULES[purpose];
  const imagesOnly = !rule.kinds.includes("pdf");
  const hint = rule.imageTypes
    ? t("files.hintLogo", { maxMb: MAX_MB })
    : imagesOnly
      ? t("files.hintImages", { maxMb: MAX_MB })
      : t("files.hintImagesOrPdf", { maxMb: MAX_MB });

  async function upload(file: File) {
    setError(null);
    if (file.size > MAX_UPLOAD_BYTES) {
      const message = t("files.errors.tooLarge", { maxMb: MAX_MB });
      setError(message);
      toast.error(message);
      return;
    }
    setPending(true);
    try {
      const form = new FormData();
      form.set("purpose", purpose);
      form.set("file", file, file.name);
      const res = await fetch("/api/files", { method: "POST", body: form, credentials: "same-origin" });
      const body = (await res.json().catch(() => ({}))) as Partial<UploadedFileInfo> & { error?: { message?: string } };
      if (!res.ok || !body.id) {
        const message = body.error?.message ?? t("files.uploadFailed");
        setError(message);
        toast.error(message);
        return;
      }
      const uploaded = {
        id: body.id,
        originalName: body.originalName ?? file.name,
        mimeType: body.mimeType ?? "",
        sizeBytes: body.sizeBytes ?? file.size,
      };
      if (!quiet) toast.success(t("files.uploaded", { name: uploaded.originalName }));
      await onUploaded(uploaded);
    } catch {
      setError(t("errors.network"));
      toast.error(t("errors.network"));
    } finally {
      setPending(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div className="space-y-1">
      <input
        ref={input}
        id={id}
        type="file"
        accept={acceptFor(purpose)}
        className="peer sr-only"
        disabled={disabled || pending}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void upload(file);
        }}
      />
      <label
        htmlFor={id}
        aria-disabled={disabled || pending}
        className={`inline-flex min-h-10 cursor-pointer items-center justify-center gap-2 rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 transition hover:bg-slate-50 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-teal-700 ${disabled || pending ? "pointer-events-none opacity-50" : ""}`}
      >
        {pending ? t("files.uploading") : (label ?? (imagesOnly ? t("files.chooseImage") : t("files.choose")))}
      </label>
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {hint}
      </p>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

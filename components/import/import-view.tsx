"use client";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import {
  IMPORT_COLUMNS,
  IMPORT_KINDS,
  MAX_IMPORT_CHARS,
  importTemplate,
  importTemplateName,
  isImportable,
  type ImportIssue,
  type ImportKind,
  type ImportPreview,
} from "@/lib/schemas/imports";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";

const DASH = " — ";

/** The columns shown in the preview table for each kind (all are checked; these identify the row). */
const PREVIEW_COLUMNS: Record<ImportKind, readonly string[]> = {
  renters: ["name_latin", "name_km", "phone", "email"],
  units: ["property", "code", "floor", "base_rent", "status"],
};

/** /import: one tab per kind (renters | units) the member may create. */
export function ImportView({ initialKind }: { initialKind: ImportKind }) {
  const { t } = useI18n();
  const can = useCan();
  const allowed = IMPORT_KINDS.filter((k) => can(k === "renters" ? "renters.manage" : "properties.manage"));
  const [kind, setKind] = useState<ImportKind>(allowed.includes(initialKind) ? initialKind : (allowed[0] ?? initialKind));
  if (allowed.length === 0) return <p className="text-sm text-slate-600">{t("imports.noPermission")}</p>;
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label={t("imports.title")} className="flex gap-1 border-b border-slate-200">
        {allowed.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`import-tab-${k}`}
            aria-selected={kind === k}
            aria-controls={`import-panel-${k}`}
            onClick={() => setKind(k)}
            className={`-mb-px min-h-10 border-b-2 px-4 py-2 text-sm font-medium ${kind === k ? "border-teal-700 text-teal-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {t(`imports.tabs.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`import-panel-${kind}`} aria-labelledby={`import-tab-${kind}`}>
        {/* a fresh panel per kind: the text and preview of one tab never leak into the other */}
        <ImportPanel key={kind} kind={kind} />
      </div>
    </div>
  );
}

function downloadTemplate(kind: ImportKind) {
  const url = URL.createObjectURL(new Blob([importTemplate(kind)], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = importTemplateName(kind);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ImportPanel({ kind }: { kind: ImportKind }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [csv, setCsv] = useState("");
  const [preview, setPreview] = useState<{ csv: string; result: ImportPreview } | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const onError = (e: unknown) => toast.error(errorMessage(e, t("errors.errorBody")));

  const previewRenters = useMutation(trpc.imports.previewRenters.mutationOptions({ onError }));
  const previewUnits = useMutation(trpc.imports.previewUnits.mutationOptions({ onError }));
  const commitRenters = useMutation(trpc.imports.commitRenters.mutationOptions({ onError }));
  const commitUnits = useMutation(trpc.imports.commitUnits.mutationOptions({ onError }));
  const previewing = previewRenters.isPending || previewUnits.isPending;
  const committing = commitRenters.isPending || commitUnits.isPending;

  const stale = preview !== null && preview.csv !== csv;
  const ready = preview !== null && !stale && isImportable(preview.result);

  function runPreview() {
    setDone(null);
    const text = csv;
    const onSuccess = (result: ImportPreview) => setPreview({ csv: text, result });
    if (kind === "renters") previewRenters.mutate({ csv: text }, { onSuccess });
    else previewUnits.mutate({ csv: text }, { onSuccess });
  }

  async function runCommit() {
    if (!preview || !ready) return;
    const count = preview.result.validCount;
    const ok = await confirmAction({
      title: t("imports.confirmTitle", { count }),
      text: t("imports.confirmText"),
      confirmText: t("imports.importButton", { count }),
      cancelText: t("common.cancel"),
    });
    if (!ok) return;
    const text = preview.csv;
    const mutation = kind === "renters" ? commitRenters : commitUnits;
    mutation.mutate(
      { csv: text },
      {
        onSuccess: (r) => {
          if (r.status === "invalid") {
            setPreview({ csv: text, result: r.preview });
            toast.error(t("imports.nothingImported"));
            return;
          }
          toast.success(t(r.kind === "renters" ? "imports.importedRenters" : "imports.importedUnits", { count: r.count }));
          setDone(r.count);
          setPreview(null);
          setCsv("");
          void queryClient.invalidateQueries({ queryKey: r.kind === "renters" ? trpc.renters.pathKey() : trpc.properties.pathKey() });
        },
      },
    );
  }

  async function loadFile(file: File) {
    if (file.size > MAX_IMPORT_CHARS * 4) {
      toast.error(t("imports.errors.tooLarge"));
      return;
    }
    try {
      const text = await file.text();
      setCsv(text);
      setPreview(null);
      setDone(null);
      toast.success(t("imports.fileLoaded", { name: file.name }));
    } catch {
      toast.error(t("imports.fileUnreadable"));
    }
  }

  return (
    <div className="space-y-4" data-testid={`import-${kind}`}>
      <Card>
        <div className="space-y-3 text-sm text-slate-700">
          <p>{t("imports.steps")}</p>
          <p>{kind === "renters" ? t("imports.rentersHelp") : t("imports.unitsHelp")}</p>
          <p className="font-mono text-xs break-words text-slate-600">
            {t("imports.columnsHelp", { columns: IMPORT_COLUMNS[kind].join(", ") })}
          </p>
          <Button type="button" variant="secondary" onClick={() => downloadTemplate(kind)} data-testid="download-template">
            {t("imports.template")}
          </Button>
        </div>
      </Card>

      <Card>
        <div className="space-y-3">
          <div>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,.tsv,.txt,text/csv,text/plain"
              className="peer sr-only"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void loadFile(file);
                e.currentTarget.value = "";
              }}
            />
            <label
              htmlFor={`${id}-file`}
              className="inline-flex min-h-10 cursor-pointer items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 peer-focus-visible:outline-2 peer-focus-visible:outline-teal-700"
            >
              {t("imports.chooseFile")}
            </label>
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-csv`} className="block text-sm font-medium text-slate-800">
              {t("imports.paste")}
            </label>
            <textarea
              id={`${id}-csv`}
              value={csv}
              onChange={(e) => setCsv(e.target.value)}
              rows={8}
              spellCheck={false}
              aria-describedby={`${id}-csv-help`}
              className="block w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm text-slate-900 shadow-sm outline-none focus:ring-2 focus:ring-teal-600"
              data-testid="import-csv"
            />
            <p id={`${id}-csv-help`} className="text-xs text-slate-500">
              {t("imports.pasteHelp")}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button
              type="button"
              onClick={runPreview}
              disabled={previewing || committing || csv.trim() === ""}
              data-testid="import-preview"
            >
              {previewing ? t("imports.previewing") : t("imports.preview")}
            </Button>
            <Button
              type="button"
              variant="ghost"
              disabled={previewing || committing || csv === ""}
              onClick={() => {
                setCsv("");
                setPreview(null);
              }}
            >
              {t("imports.clear")}
            </Button>
          </div>
        </div>
      </Card>

      {done !== null ? (
        <div role="status" className="rounded-lg border border-teal-200 bg-teal-50 p-4 text-sm text-teal-900">
          {t(kind === "renters" ? "imports.importedRenters" : "imports.importedUnits", { count: done })}{" "}
          <Link href={kind === "renters" ? "/renters" : "/units"} className="font-medium underline">
            {kind === "renters" ? t("imports.viewRenters") : t("imports.viewUnits")}
          </Link>
        </div>
      ) : null}

      {preview ? (
        <PreviewResult
          kind={kind}
          preview={preview.result}
          stale={stale}
          ready={ready}
          committing={committing}
          onCommit={() => void runCommit()}
        />
      ) : null}
    </div>
  );
}

function useIssueText() {
  const { t } = useI18n();
  return (issue: ImportIssue) => {
    const message = t(issue.key, issue.params);
    return issue.column ? `${issue.column}: ${message}` : message;
  };
}

function PreviewResult({
  kind,
  preview,
  stale,
  ready,
  committing,
  onCommit,
}: {
  kind: ImportKind;
  preview: ImportPreview;
  stale: boolean;
  ready: boolean;
  committing: boolean;
  onCommit: () => void;
}) {
  const { t } = useI18n();
  const issueText = useIssueText();
  const columns = useMemo(() => PREVIEW_COLUMNS[kind], [kind]);
  const problems = preview.rows.filter((r) => r.issues.length > 0);

  return (
    <Card>
      <div className="space-y-4" data-testid="import-result">
        <p role="status" className="text-sm font-medium text-slate-900" data-testid="import-summary">
          {t("imports.summary", { valid: preview.validCount, invalid: preview.invalidCount })}
        </p>

        {preview.fileIssues.length > 0 ? (
          <div
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
            data-testid="import-file-issues"
          >
            <p className="font-medium">{t("imports.fileProblems")}</p>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {preview.fileIssues.map((issue, i) => (
                <li key={i}>
                  {issue.line !== null ? `${t("imports.lineN", { line: issue.line })} — ${issueText(issue)}` : issueText(issue)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        {problems.length > 0 ? (
          <div className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="import-row-issues">
            <p className="font-medium">{t("imports.problemsTitle")}</p>
            <ul className="mt-1 space-y-1">
              {problems.flatMap((row) =>
                row.issues.map((issue, i) => (
                  <li key={`${row.line}-${i}`}>
                    <span className="font-medium">{t("imports.lineN", { line: row.line })}</span>
                    {DASH + issueText(issue)}
                  </li>
                )),
              )}
            </ul>
          </div>
        ) : null}

        {preview.rows.length > 0 ? (
          <>
            {/* phones: one card per row; from 640 px a table */}
            <ul className="space-y-2 sm:hidden">
              {preview.rows.map((row) => (
                <li
                  key={row.line}
                  className={`rounded-lg border p-3 text-sm ${row.issues.length ? "border-red-300 bg-red-50" : "border-slate-200"}`}
                >
                  <div className="flex justify-between gap-2">
                    <span className="font-medium">{t("imports.lineN", { line: row.line })}</span>
                    <span className={row.issues.length ? "text-red-700" : "text-teal-800"}>
                      {row.issues.length ? t("imports.problemsTitle") : t("imports.ok")}
                    </span>
                  </div>
                  <div className="mt-1 text-slate-700">
                    {columns
                      .map((c) => row.values[c])
                      .filter(Boolean)
                      .join(" · ")}
                  </div>
                </li>
              ))}
            </ul>
            <div className="hidden overflow-x-auto sm:block">
              <table className="min-w-full text-left text-sm" data-testid="import-rows">
                <thead className="border-b border-slate-200 text-slate-600">
                  <tr>
                    <th scope="col" className="px-2 py-2 font-medium">
                      {t("imports.line")}
                    </th>
                    {columns.map((c) => (
                      <th key={c} scope="col" className="px-2 py-2 font-mono font-medium">
                        {c}
                      </th>
                    ))}
                    <th scope="col" className="px-2 py-2 font-medium">
                      {t("imports.result")}
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {preview.rows.map((row) => (
                    <tr key={row.line} className={row.issues.length ? "bg-red-50" : undefined}>
                      <td className="px-2 py-2 text-slate-500">{row.line}</td>
                      {columns.map((c) => (
                        <td key={c} className="px-2 py-2">
                          {row.values[c] ?? ""}
                        </td>
                      ))}
                      <td className="px-2 py-2">
                        {row.issues.length ? (
                          <span className="text-red-700">{row.issues.map(issueText).join("; ")}</span>
                        ) : (
                          <span className="text-teal-800">{t("imports.ok")}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}

        {stale ? (
          <p role="alert" className="text-sm text-amber-800">
            {t("imports.stale")}
          </p>
        ) : null}
        <Button type="button" onClick={onCommit} disabled={!ready || committing} data-testid="import-commit">
          {committing ? t("imports.importing") : t("imports.importButton", { count: preview.validCount })}
        </Button>
      </div>
    </Card>
  );
}

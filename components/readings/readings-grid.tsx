"use client";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { METER_KINDS, parseReadingInput, type MeterKind } from "@/lib/schemas/readings";
import { shiftPeriod } from "@/lib/dates";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import type { RouterOutputs } from "@/lib/trpc/client";

type GridRow = RouterOutputs["readings"]["grid"]["rows"][number];
type MeterCell = GridRow["meters"][keyof GridRow["meters"]];

const cellKey = (unitId: string, kind: MeterKind) => `${unitId}:${kind}`;
type CellError = { key: MessageKey; params?: Record<string, string | number> };

/** one grid = one property and month; typed values are kept per grid */
const scopeKey = (propertyId: string, period: string) => `${propertyId}|${period}`;
type Drafts = Record<string, Record<string, string>>;

// Typed values live in the tab's sessionStorage as they are typed, so nothing typed is lost to a
// month switch, a late server render, a remount or a reload of the page; they leave it when saved
// or when the landlord chooses to leave without saving.
const DRAFTS_STORAGE = "phteah.readings.drafts";
const noSubscription = () => () => undefined;

function loadDrafts(): Drafts {
  try {
    const raw = window.sessionStorage.getItem(DRAFTS_STORAGE);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed !== "object" || parsed === null) return {};
    const out: Drafts = {};
    for (const [scope, cells] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof cells !== "object" || cells === null) continue;
      const kept = Object.entries(cells as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string");
      if (kept.length > 0) out[scope] = Object.fromEntries(kept);
    }
    return out;
  } catch {
    return {};
  }
}

function storeDrafts(drafts: Drafts): void {
  try {
    const kept = Object.fromEntries(Object.entries(drafts).filter(([, cells]) => Object.values(cells).some((v) => v.trim() !== "")));
    if (Object.keys(kept).length === 0) window.sessionStorage.removeItem(DRAFTS_STORAGE);
    else window.sessionStorage.setItem(DRAFTS_STORAGE, JSON.stringify(kept));
  } catch {
    // storage full or blocked: the values stay on the page
  }
}

/** The client-side twin of the server's rule, for instant feedback (the server checks again). */
function checkCell(raw: string, cell: MeterCell): CellError | null {
  const value = parseReadingInput(raw);
  if (value === null) return null;
  if (Number.isNaN(value)) return { key: "readings.errors.notANumber" };
  if (cell.previous !== null && value < cell.previous)
    return { key: "readings.errors.belowPrevious", params: { previous: cell.previous, period: cell.previousPeriod ?? "" } };
  if (cell.next !== null && value > cell.next)
    return { key: "readings.errors.aboveNext", params: { next: cell.next, period: cell.nextPeriod ?? "" } };
  return null;
}

/**
 * A building's meters for one month, made for a phone: one numeric input per unit and meter
 * (numeric keypad, Enter moves to the next cell), the previous reading and the usage under each,
 * and one "Save all" that writes the month in one transaction — or, when any cell is wrong,
 * nothing, with each error shown at its cell. Property and month live in the URL, which is
 * updated in place (history.replaceState: no server render that could remount the grid), and each
 * month's typed values are kept (see DRAFTS_STORAGE) until saved; leaving the page with unsaved
 * values asks first.
 */
export function ReadingsGrid({
  properties,
  initialPropertyId,
  initialPeriod,
}: {
  properties: Array<{ id: string; name: string }>;
  initialPropertyId: string;
  initialPeriod: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const { t, fmt } = useI18n();
  const canManage = useCan()("properties.manage");
  const [propertyId, setPropertyId] = useState(initialPropertyId);
  const [period, setPeriod] = useState(initialPeriod);
  // the values typed earlier in this tab (before a reload or a remount); the server renders none
  const [allDrafts, setAllDrafts] = useState<Drafts>(() => (typeof window === "undefined" ? {} : loadDrafts()));
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const draftsLoaded = useRef(true);
  const scope = scopeKey(propertyId, period);
  const drafts = useMemo(() => allDrafts[scope] ?? {}, [allDrafts, scope]);
  const setDrafts = (update: (d: Record<string, string>) => Record<string, string>) =>
    setAllDrafts((all) => ({ ...all, [scope]: update(all[scope] ?? {}) }));
  const [errors, setErrors] = useState<Record<string, CellError>>({});
  const inputs = useRef<Array<HTMLInputElement | null>>([]);
  const grid = useQuery({ ...trpc.readings.grid.queryOptions({ propertyId, period }), enabled: Boolean(propertyId) });
  const rows: GridRow[] = useMemo(() => grid.data?.rows ?? [], [grid.data]);
  const number = useMemo(() => ({ format: fmt.number }), [fmt]);

  // only the cells someone typed in are kept here; the rest show the stored reading
  const stored = (r: GridRow, k: MeterKind) => (r.meters[k].reading === null ? "" : String(r.meters[k].reading));
  const shown = (r: GridRow, k: MeterKind) => drafts[cellKey(r.unitId, k)] ?? stored(r, k);

  const changed = useMemo(() => {
    const out: Array<{ unitId: string; kind: MeterKind; raw: string }> = [];
    for (const r of rows) {
      for (const k of METER_KINDS) {
        const raw = drafts[cellKey(r.unitId, k)];
        if (raw !== undefined && raw.trim() !== stored(r, k) && raw.trim() !== "") out.push({ unitId: r.unitId, kind: k, raw });
      }
    }
    return out;
  }, [rows, drafts]);

  // every change kept for the tab
  useEffect(() => {
    if (draftsLoaded.current) storeDrafts(allDrafts);
  }, [allDrafts]);

  // this grid's changes, and the non-empty values typed in the other months or properties
  const elsewhere = useMemo(
    () =>
      Object.entries(allDrafts)
        .filter(([s]) => s !== scope)
        .map(([s, cells]) => {
          const [pid = "", p = ""] = s.split("|");
          return { propertyId: pid, period: p, count: Object.values(cells).filter((v) => v.trim() !== "").length };
        })
        .filter((e) => e.count > 0 && properties.some((p) => p.id === e.propertyId)),
    [allDrafts, scope, properties],
  );
  const unsaved = changed.length + elsewhere.reduce((sum, e) => sum + e.count, 0);

  useEffect(() => {
    if (unsaved === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    // a link elsewhere in the app asks first (SweetAlert2); the browser's own dialog covers the rest
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = (e.target as Element | null)?.closest?.("a[href]");
      if (!(link instanceof HTMLAnchorElement) || (link.target && link.target !== "_self") || link.hasAttribute("download")) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
      e.preventDefault();
      e.stopPropagation();
      void confirmAction({
        title: t("readings.unsaved"),
        text: t("readings.unsavedText", { count: unsaved }),
        confirmText: t("readings.leave"),
        cancelText: t("readings.stay"),
        danger: true,
      }).then((leave) => {
        if (!leave) return;
        window.removeEventListener("beforeunload", warn);
        draftsLoaded.current = false;
        storeDrafts({});
        setAllDrafts({});
        router.push(`${url.pathname}${url.search}${url.hash}`);
      });
    };
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      document.removeEventListener("click", onClick, true);
    };
  }, [unsaved, t, router]);

  function go(next: { propertyId: string; period: string }) {
    // the typed values stay with their month; the URL follows in place (no server render)
    setPropertyId(next.propertyId);
    setPeriod(next.period);
    setErrors({});
    const qs = new URLSearchParams({ propertyId: next.propertyId, period: next.period });
    window.history.replaceState(null, "", `${pathname}?${qs.toString()}`);
  }

  const save = useMutation(
    trpc.readings.saveGrid.mutationOptions({
      onSuccess: (result, input) => {
        if (!result.ok) {
          setErrors(Object.fromEntries(result.errors.map((e) => [cellKey(e.unitId, e.kind), { key: e.key, params: e.params }])));
          toast.error(t("readings.errors_toast", { count: result.errors.length }));
          return;
        }
        toast.success(result.saved > 0 ? t("readings.saved_toast", { count: result.saved }) : t("readings.savedNone_toast"));
        // drop only what was saved: a value typed (or changed) while saving stays
        const saved = scopeKey(input.propertyId, input.period);
        const sent = new Map(input.entries.map((e) => [cellKey(e.unitId, e.kind), e.reading]));
        // the grid shows the saved values at once (no flash of the old ones before the refetch) and
        // the saved values leave the tab's storage now, before anything can navigate away
        queryClient.setQueryData(trpc.readings.grid.queryKey({ propertyId: input.propertyId, period: input.period }), (old) =>
          old
            ? {
                ...old,
                rows: old.rows.map((r) => ({
                  ...r,
                  meters: Object.fromEntries(
                    METER_KINDS.map((k) => {
                      const v = sent.get(cellKey(r.unitId, k));
                      return [k, v === undefined ? r.meters[k] : { ...r.meters[k], reading: v }];
                    }),
                  ) as GridRow["meters"],
                })),
              }
            : old,
        );
        setAllDrafts((all) => {
          const cells = Object.entries(all[saved] ?? {}).filter(([k, raw]) => !sent.has(k) || parseReadingInput(raw) !== sent.get(k));
          const next = { ...all, [saved]: Object.fromEntries(cells) };
          storeDrafts(next);
          return next;
        });
        void queryClient.invalidateQueries({ queryKey: trpc.readings.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (changed.length === 0) {
      toast.success(t("readings.nothingChanged"));
      return;
    }
    const found: Record<string, CellError> = {};
    for (const c of changed) {
      const row = rows.find((r) => r.unitId === c.unitId)!;
      const error = checkCell(c.raw, row.meters[c.kind]);
      if (error) found[cellKey(c.unitId, c.kind)] = error;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      toast.error(t("readings.errors_toast", { count: Object.keys(found).length }));
      const first = Object.keys(found)[0]!;
      document.getElementById(`reading-${first}`)?.focus();
      return;
    }
    save.mutate({
      propertyId,
      period,
      entries: changed.map((c) => ({ unitId: c.unitId, kind: c.kind, reading: parseReadingInput(c.raw)! })),
    });
  }

  function onKeyDown(index: number) {
    return (e: React.KeyboardEvent<HTMLInputElement>) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      const next = inputs.current[index + 1];
      if (next) {
        next.focus();
        next.select();
      } else document.getElementById("readings-save")?.focus();
    };
  }

  if (properties.length === 0) return <p className="text-sm text-slate-600">{t("readings.noProperties")}</p>;
  const selectClass = "rounded-lg border border-slate-300 bg-white px-3 py-2 text-base";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" data-testid="readings-grid" aria-busy={save.isPending}>
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-end">
        <label className="space-y-1">
          <span className="block text-sm font-medium text-slate-800">{t("readings.property")}</span>
          <select
            value={propertyId}
            onChange={(e) => go({ propertyId: e.target.value, period })}
            className={`${selectClass} w-full`}
            data-testid="readings-property"
          >
            {properties.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <div className="space-y-1">
          <label htmlFor="readings-month" className="block text-sm font-medium text-slate-800">
            {t("readings.month")}
          </label>
          <div className="flex items-center gap-1">
            <Button
              type="button"
              variant="secondary"
              aria-label={t("readings.previousMonth")}
              onClick={() => go({ propertyId, period: shiftPeriod(period, -1) })}
            >
              {t("readings.prevArrow")}
            </Button>
            <input
              id="readings-month"
              type="month"
              value={period}
              onChange={(e) => e.target.value && go({ propertyId, period: e.target.value })}
              className={selectClass}
              data-testid="readings-month"
            />
            <Button
              type="button"
              variant="secondary"
              aria-label={t("readings.nextMonth")}
              onClick={() => go({ propertyId, period: shiftPeriod(period, 1) })}
            >
              {t("readings.nextArrow")}
            </Button>
          </div>
        </div>
      </div>

      {grid.isPending ? <p className="text-sm text-slate-600">{t("readings.loading")}</p> : null}
      {grid.isError ? (
        <div className="space-y-2">
          <p className="text-sm text-red-700">{errorMessage(grid.error, t("readings.loadError"))}</p>
          <Button type="button" variant="secondary" onClick={() => void grid.refetch()}>
            {t("readings.retry")}
          </Button>
        </div>
      ) : null}
      {grid.data && rows.length === 0 ? <p className="text-sm text-slate-600">{t("readings.noUnits")}</p> : null}

      {rows.length > 0 ? (
        <div className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
          <div className="hidden grid-cols-[8rem_1fr_1fr] gap-3 px-3 py-2 text-sm font-medium text-slate-600 sm:grid">
            <span>{t("readings.unit")}</span>
            <span>{t("readings.electricity")}</span>
            <span>{t("readings.water")}</span>
          </div>
          {rows.map((r, rowIndex) => (
            <div
              key={r.unitId}
              className="grid grid-cols-2 gap-3 px-3 py-3 sm:grid-cols-[8rem_1fr_1fr]"
              data-testid="reading-row"
              data-unit={r.code}
            >
              <div className="col-span-2 sm:col-span-1">
                <div className="font-medium text-slate-900">{r.code}</div>
                <div className="truncate text-xs text-slate-500">{r.renterName ?? t("readings.vacant")}</div>
              </div>
              {METER_KINDS.map((k, kindIndex) => {
                const i = rowIndex * METER_KINDS.length + kindIndex;
                const key = cellKey(r.unitId, k);
                const cell = r.meters[k];
                const raw = shown(r, k);
                const value = parseReadingInput(raw);
                const error = errors[key];
                const usage = value !== null && !Number.isNaN(value) && cell.previous !== null ? value - cell.previous : null;
                const id = `reading-${key}`;
                return (
                  <div key={k} className="space-y-1">
                    <label htmlFor={id} className="block text-xs font-medium text-slate-700 sm:sr-only">
                      {t(k === "electricity" ? "readings.electricity" : "readings.water")}
                    </label>
                    <input
                      id={id}
                      ref={(el) => {
                        inputs.current[i] = el;
                      }}
                      type="text"
                      inputMode="numeric"
                      pattern="[0-9]*"
                      enterKeyHint="next"
                      autoComplete="off"
                      aria-label={t("readings.inputLabel", {
                        kind: t(k === "electricity" ? "readings.electricityShort" : "readings.waterShort"),
                        unit: r.code,
                      })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={`${id}-info`}
                      disabled={!canManage}
                      value={raw}
                      onChange={(e) => {
                        const v = e.target.value;
                        setDrafts((d) => ({ ...d, [key]: v }));
                        if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
                      }}
                      onKeyDown={onKeyDown(i)}
                      className={`block w-full rounded-lg border px-3 py-2 text-base tabular-nums shadow-sm outline-none focus:ring-2 focus:ring-teal-600 ${error ? "border-red-600" : "border-slate-300"}`}
                      data-testid={`reading-${r.code}-${k}`}
                    />
                    <p id={`${id}-info`} className="text-xs text-slate-500">
                      {cell.previous !== null
                        ? t("readings.previous", {
                            value: number.format(cell.previous),
                            period: cell.previousPeriod ? fmt.month(cell.previousPeriod) : "",
                          })
                        : t("readings.noPrevious")}
                      {usage !== null && usage >= 0 ? (
                        <span className="ml-2 font-medium text-slate-700">{t("readings.usage", { value: number.format(usage) })}</span>
                      ) : null}
                    </p>
                    {canManage && cell.previousPeriod !== shiftPeriod(period, -1) ? (
                      // an invoice bills reading(month) − reading(month before): without the latter
                      // (a contract's first month) the utility is left off, so ask for the opening reading
                      <button
                        type="button"
                        className="text-xs font-medium text-teal-800 underline-offset-2 hover:underline"
                        onClick={() => go({ propertyId, period: shiftPeriod(period, -1) })}
                        data-testid={`reading-${r.code}-${k}-opening`}
                      >
                        {t("readings.enterOpening")}
                      </button>
                    ) : null}
                    {error ? (
                      <p role="alert" className="text-sm text-red-700" data-testid="reading-error">
                        {t(
                          error.key,
                          error.params && "period" in error.params
                            ? { ...error.params, period: fmt.month(String(error.params.period)) }
                            : error.params,
                        )}
                      </p>
                    ) : null}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      ) : null}

      {hydrated && elsewhere.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2 text-sm text-amber-900" data-testid="readings-unsaved-elsewhere">
          <span>{t("readings.unsavedElsewhere")}</span>
          {elsewhere.map((e) => (
            <Button
              key={`${e.propertyId}|${e.period}`}
              type="button"
              variant="secondary"
              onClick={() => go({ propertyId: e.propertyId, period: e.period })}
            >
              {properties.find((p) => p.id === e.propertyId)?.name} · {fmt.month(e.period)} ({number.format(e.count)})
            </Button>
          ))}
        </div>
      ) : null}

      {canManage && rows.length > 0 ? (
        <div className="sticky bottom-0 flex items-center gap-3 border-t border-slate-200 bg-white/95 py-3">
          <Button id="readings-save" type="submit" disabled={save.isPending} data-testid="readings-save">
            {save.isPending ? t("readings.saving") : t("readings.save")}
          </Button>
          <span className="text-sm text-slate-600">{t("readings.changed", { count: changed.length })}</span>
        </div>
      ) : null}
    </form>
  );
}

"use client";
import { useEffect, useId, useRef, useState } from "react";
import { useDashboardFormat, type ChartSeries } from "./format";

const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 60 };
const BILLED = "#94a3b8"; // slate-400
const COLLECTED = "#0f766e"; // teal-700

/** 1, 2 or 5 × 10ⁿ at or above `v` (so the axis reads in round figures). */
function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * Twelve months of rent billed vs collected for one currency, as grouped bars. Drawn in pixels
 * from the container's width (ResizeObserver) so labels stay legible from a 390 px phone to a
 * desktop. Each month is two links labelled with its figures: the billed half to that period's
 * invoices, the collected half to the payments received in it (/payments, whose total is the bar);
 * the same figures and links are also available as a table for screen readers and keyboard users.
 */
export function BilledCollectedChart({ series }: { series: ChartSeries }) {
  const f = useDashboardFormat();
  const { t } = f;
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (w: number) => setWidth(Math.max(260, Math.floor(w)));
    measure(el.getBoundingClientRect().width);
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) measure(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const { currency, months } = series;
  const max = niceCeil(Math.max(...months.flatMap((m) => [m.billed, m.collected]), 0));
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const groupW = plotW / months.length;
  const barW = Math.max(3, Math.min(16, (groupW - 6) / 2));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelW = f.locale === "km" ? 46 : 30;
  const labelStep = Math.max(1, Math.ceil(labelW / groupW));
  const last = months.length - 1;

  return (
    <figure className="space-y-2" data-testid={`dash-chart-${currency}`}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
        <span className="font-medium text-slate-900">{t("dashboard.chart.title", { currency })}</span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: BILLED }} />
          {t("dashboard.chart.billed")}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: COLLECTED }} />
          {t("dashboard.chart.collected")}
        </span>
      </figcaption>
      <div ref={box} className="w-full">
        <svg
          width={width}
          height={HEIGHT}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          role="group"
          aria-labelledby={titleId}
          aria-describedby={descId}
          className="block max-w-full"
        >
          <title id={titleId}>{t("dashboard.chart.title", { currency })}</title>
          <desc id={descId}>{t("dashboard.chart.desc", { currency })}</desc>
          {[0, 0.5, 1].map((g) => (
            <g key={g} aria-hidden>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(max * g)} y2={y(max * g)} stroke="#e2e8f0" />
              <text x={PAD.left - 6} y={y(max * g)} dy="0.32em" textAnchor="end" fontSize={11} fill="#64748b">
                {f.compactMoney(max * g, currency)}
              </text>
            </g>
          ))}
          {months.map((m, i) => {
            const x0 = PAD.left + i * groupW;
            const cx = x0 + groupW / 2;
            const label = t("dashboard.chart.monthLink", {
              month: f.monthLong(m.period),
              billed: f.money(m.billed, currency),
              collected: f.money(m.collected, currency),
            });
            const collectedLabel = t("dashboard.chart.collectedLink", {
              month: f.monthLong(m.period),
              collected: f.money(m.collected, currency),
            });
            const half = (groupW - 2) / 2;
            const hoverCls =
              "fill-transparent group-hover:fill-slate-100 group-focus-visible:fill-teal-50 group-focus-visible:stroke-teal-700";
            return (
              <g key={m.period}>
                <a
                  href={`/invoices?period=${m.period}&currency=${currency}`}
                  aria-label={label}
                  className="group outline-none"
                  data-kind="billed"
                >
                  <title>{label}</title>
                  <rect x={x0 + 1} y={PAD.top} width={half} height={plotH} rx={4} className={hoverCls} strokeWidth={2} />
                  <rect x={cx - barW - 1} y={y(m.billed)} width={barW} height={Math.max(0, y(0) - y(m.billed))} rx={2} fill={BILLED} />
                </a>
                <a
                  href={`/payments?period=${m.period}&currency=${currency}`}
                  aria-label={collectedLabel}
                  className="group outline-none"
                  data-kind="collected"
                >
                  <title>{collectedLabel}</title>
                  <rect x={cx} y={PAD.top} width={half} height={plotH} rx={4} className={hoverCls} strokeWidth={2} />
                  <rect x={cx + 1} y={y(m.collected)} width={barW} height={Math.max(0, y(0) - y(m.collected))} rx={2} fill={COLLECTED} />
                </a>
                {(last - i) % labelStep === 0 ? (
                  <text x={cx} y={HEIGHT - 8} textAnchor="middle" fontSize={11} fill="#475569" aria-hidden>
                    {f.monthShort(m.period)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-teal-800 underline-offset-2 hover:underline">{t("dashboard.chart.showTable")}</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("dashboard.chart.desc", { currency })}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-slate-600">
                <th scope="col" className="py-1 pr-4 font-medium">
                  {t("dashboard.chart.month")}
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">
                  {t("dashboard.chart.billed")}
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  {t("dashboard.chart.collected")}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.period} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-4 font-normal">
                    <a className="text-teal-800 hover:underline" href={`/invoices?period=${m.period}&currency=${currency}`}>
                      {f.monthLong(m.period)}
                    </a>
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{f.money(m.billed, currency)}</td>
                  <td className="py-1 text-right tabular-nums">
                    <a className="text-teal-800 hover:underline" href={`/payments?period=${m.period}&currency=${currency}`}>
                      {f.money(m.collected, currency)}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

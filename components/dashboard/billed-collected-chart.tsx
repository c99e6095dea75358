"use client";
import { useEffect, useId, useRef, useState } from "react";
import type { ChartText } from "./format";

const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 60 };
const BILLED = "#94a3b8"; // slate-400
const COLLECTED = "#0f766e"; // teal-700

/**
 * Twelve months of rent billed vs collected for one currency, as grouped bars. Drawn in pixels
 * from the container's width (ResizeObserver) so labels stay legible from a 390 px phone to a
 * desktop. Each month is two links labelled with its figures: the billed half to that period's
 * invoices, the collected half to the payments received in it (/payments, whose total is the bar);
 * the same figures and links are also available as a table for screen readers and keyboard users.
 * Its words and figures come translated and formatted from the server (`chartText` in ./format.ts):
 * the browser only draws (issue 17, fast on phones).
 */
export function BilledCollectedChart({ text }: { text: ChartText }) {
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

  const { currency, months, max } = text;
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const groupW = plotW / months.length;
  const barW = Math.max(3, Math.min(16, (groupW - 6) / 2));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelW = text.locale === "km" ? 46 : 30;
  const labelStep = Math.max(1, Math.ceil(labelW / groupW));
  const last = months.length - 1;

  return (
    <figure className="space-y-2" data-testid={`dash-chart-${currency}`}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
        <span className="font-medium text-slate-900">{text.title}</span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: BILLED }} />
          {text.billed}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: COLLECTED }} />
          {text.collected}
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
          <title id={titleId}>{text.title}</title>
          <desc id={descId}>{text.desc}</desc>
          {[0, 0.5, 1].map((g, i) => (
            <g key={g} aria-hidden>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(max * g)} y2={y(max * g)} stroke="#e2e8f0" />
              <text x={PAD.left - 6} y={y(max * g)} dy="0.32em" textAnchor="end" fontSize={11} fill="#64748b">
                {text.axis[i]}
              </text>
            </g>
          ))}
          {months.map((m, i) => {
            const x0 = PAD.left + i * groupW;
            const cx = x0 + groupW / 2;
            const label = m.link;
            const collectedLabel = m.collectedLink;
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
                    {m.short}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-teal-800 underline-offset-2 hover:underline">{text.showTable}</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{text.desc}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-slate-600">
                <th scope="col" className="py-1 pr-4 font-medium">
                  {text.month}
                </th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">
                  {text.billed}
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  {text.collected}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.period} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-4 font-normal">
                    <a className="text-teal-800 hover:underline" href={`/invoices?period=${m.period}&currency=${currency}`}>
                      {m.long}
                    </a>
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{m.billedText}</td>
                  <td className="py-1 text-right tabular-nums">
                    <a className="text-teal-800 hover:underline" href={`/payments?period=${m.period}&currency=${currency}`}>
                      {m.collectedText}
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

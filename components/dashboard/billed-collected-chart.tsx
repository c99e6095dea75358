import type { ChartText } from "./format";

/** the plot's height in px, and the room above it (the top axis label) and below it (the month labels) */
const PLOT = { height: 180, top: 12, bottom: 28 } as const;
const BILLED = "bg-slate-400";
const COLLECTED = "bg-teal-700";

/**
 * Which month labels a screen shows: every one, every other one or every third one, counted back from
 * the latest month (always labelled), as the screen's width allows. A Khmer month is wider than an English one ("មករា", "Jan"):
 * a phone (under 640 px) has about 22 px per month, a tablet 40 px or more, a desktop (1280 px up) 45 px or more.
 */
function labelClass(index: number, last: number, locale: ChartText["locale"]): string {
  const fromLast = last - index;
  const onPhone = fromLast % (locale === "km" ? 3 : 2) === 0;
  const onTablet = locale !== "km" || fromLast % 2 === 0;
  // hidden, the label keeps its month's width (the labels stay under their bars)
  return [onPhone ? "" : "max-sm:invisible", onTablet ? "" : "sm:max-xl:invisible"].filter(Boolean).join(" ");
}

/** a bar's height in % of the plot (a bar with money in it stays visible) */
function barHeight(value: number, max: number): string {
  if (max <= 0 || value <= 0) return "0%";
  return `${Math.max(0.5, Math.min(100, (value / max) * 100)).toFixed(2)}%`;
}

/**
 * Twelve months of rent billed vs collected for one currency, as grouped bars, drawn by the server in
 * HTML and CSS: the bars are percentages of the plot and the months share its width, so the chart fits
 * a 390 px phone and a desktop alike with no script (issue 17, fast on phones: the browser loads,
 * measures and redraws nothing). Each month is two links labelled with its figures: the billed half to
 * that period's invoices, the collected half to the payments received in it (/payments, whose total is
 * the bar); the same figures and links are also a table for screen readers and keyboard users. Its
 * words and figures come translated and formatted (`chartText` in ./format.ts).
 */
export function BilledCollectedChart({ text }: { text: ChartText }) {
  const { currency, months, max } = text;
  const titleId = `dash-chart-${currency}-title`;
  const descId = `dash-chart-${currency}-desc`;
  const last = months.length - 1;

  return (
    <figure className="space-y-2" data-testid={`dash-chart-${currency}`}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
        <span className="font-medium text-slate-900">{text.title}</span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className={`inline-block h-3 w-3 rounded-sm ${BILLED}`} />
          {text.billed}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden className={`inline-block h-3 w-3 rounded-sm ${COLLECTED}`} />
          {text.collected}
        </span>
      </figcaption>
      <div
        role="group"
        aria-labelledby={titleId}
        aria-describedby={descId}
        className="flex w-full"
        style={{ height: PLOT.top + PLOT.height + PLOT.bottom }}
        data-testid={`dash-chart-${currency}-plot`}
      >
        <span id={titleId} className="sr-only">
          {text.title}
        </span>
        <span id={descId} className="sr-only">
          {text.desc}
        </span>
        {/* the axis: its top, half and zero, beside the grid lines */}
        <div aria-hidden className="relative w-[60px] shrink-0 text-[11px] leading-none text-slate-500">
          {text.axis.map((label, i) => (
            <span
              key={i}
              className="absolute right-1.5 -translate-y-1/2 whitespace-nowrap tabular-nums"
              style={{ top: PLOT.top + PLOT.height * (1 - i / 2) }}
            >
              {label}
            </span>
          ))}
        </div>
        <div className="relative min-w-0 flex-1">
          {[0, 0.5, 1].map((g) => (
            <div aria-hidden key={g} className="absolute inset-x-0 border-t border-slate-200" style={{ top: PLOT.top + PLOT.height * g }} />
          ))}
          <div className="absolute inset-x-0 flex" style={{ top: PLOT.top, height: PLOT.height }}>
            {months.map((m) => (
              <div key={m.period} className="flex h-full min-w-0 flex-1 gap-0.5">
                <a
                  href={`/invoices?period=${m.period}&currency=${currency}`}
                  aria-label={m.link}
                  className="chart-half justify-end"
                  data-kind="billed"
                >
                  <span aria-hidden className={`chart-bar ${BILLED}`} style={{ height: barHeight(m.billed, max) }} />
                </a>
                <a
                  href={`/payments?period=${m.period}&currency=${currency}`}
                  aria-label={m.collectedLink}
                  className="chart-half justify-start"
                  data-kind="collected"
                >
                  <span aria-hidden className={`chart-bar ${COLLECTED}`} style={{ height: barHeight(m.collected, max) }} />
                </a>
              </div>
            ))}
          </div>
          <div
            aria-hidden
            className="absolute inset-x-0 bottom-0 flex text-[11px] leading-7 text-slate-600"
            style={{ height: PLOT.bottom }}
          >
            {months.map((m, i) => (
              <span
                key={m.period}
                className={`flex-1 text-center whitespace-nowrap ${labelClass(i, last, text.locale)}`}
                data-testid="dash-chart-month"
              >
                {m.short}
              </span>
            ))}
          </div>
        </div>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-teal-800 underline-offset-2 hover:underline">{text.showTable}</summary>
        <div className="mt-2 overflow-x-auto">
          {/* the cells' padding and alignment from the table: a page repeats its rows in its HTML and its React payload */}
          <table className="w-full text-left text-sm [&_td]:py-1 [&_td]:text-right [&_td]:tabular-nums [&_th]:py-1 [&_tr>*:not(:last-child)]:pr-4">
            <caption className="sr-only">{text.desc}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-slate-600 [&>th]:font-medium [&>th+th]:text-right">
                <th scope="col">{text.month}</th>
                <th scope="col">{text.billed}</th>
                <th scope="col">{text.collected}</th>
              </tr>
            </thead>
            <tbody className="[&_a]:text-teal-800 [&_a:hover]:underline [&_th]:font-normal [&>tr]:border-b [&>tr]:border-slate-100">
              {months.map((m) => (
                <tr key={m.period}>
                  <th scope="row">
                    <a href={`/invoices?period=${m.period}&currency=${currency}`}>{m.long}</a>
                  </th>
                  <td>{m.billedText}</td>
                  <td>
                    <a href={`/payments?period=${m.period}&currency=${currency}`}>{m.collectedText}</a>
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

"use client";
import dynamic from "next/dynamic";
import type { ChartText } from "./format";

// The chart is drawn after the page is interactive (its own chunk, measured in the browser): the
// figures above it are server-rendered, and its box keeps its height meanwhile (no layout shift).
const BilledCollectedChart = dynamic(() => import("./billed-collected-chart").then((m) => m.BilledCollectedChart), {
  ssr: false,
  loading: () => <div className="h-[284px] rounded-lg bg-slate-50" aria-hidden="true" />,
});

/** The home's charts, one per currency, with their words from the server (./format.ts chartText). */
export function ChartIsland({ charts }: { charts: ChartText[] }) {
  return (
    <div className="space-y-6">
      {charts.map((text) => (
        <BilledCollectedChart key={text.currency} text={text} />
      ))}
    </div>
  );
}

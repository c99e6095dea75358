export const p50 = (xs: number[]): number => percentile(xs, 0.5);

export function percentile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Runs `fn` once to warm up, then `n` times; returns every duration in ms. */
export async function timeIt(n: number, fn: () => Promise<unknown>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Times `a` and `b` alternately (after one warm-up each), `n` times each: on a shared machine a
 * burst of load then falls on both sides of a ratio alike instead of on one of them.
 */
export async function timePair(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [fn, out] of i % 2 === 0
      ? ([
          [a, as],
          [b, bs],
        ] as const)
      : ([
          [b, bs],
          [a, as],
        ] as const)) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
  }
  return [as, bs];
}

export const ms = (x: number): string =>
  !Number.isFinite(x)
    ? "n/a"
    : x >= 10_000
      ? `${(x / 1000).toFixed(1)} s`
      : x >= 1000
        ? `${(x / 1000).toFixed(2)} s`
        : `${x.toFixed(x < 10 ? 2 : 0)} ms`;

export interface Row {
  benchmark: string;
  app: string;
  baseline: string;
  /** app cost / baseline cost (time, or 1/throughput); NaN when there is no baseline */
  ratio: number;
  goal: string;
  ok: boolean;
  note?: string;
}

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.benchmark,
    r.app,
    r.baseline,
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : "—",
    r.goal,
    r.ok ? "ok" : "FAIL",
  ]);
  const head = ["benchmark", "app", "baseline", "ratio", "goal", "ok"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const c of cells) lines.push(`| ${c.join(" | ")} |`);
  return lines.join("\n");
}

// Mobile Lighthouse of the renter pay page and the signed-in dashboard against the production build
// (issue 17, "Fast on phones"). Not part of `npm test` or `npm run bench` (a run takes minutes).
//
//   npm run build                       # this script builds nothing
//   npx tsx bench/lighthouse.ts         # starts the e2e server (fresh embedded PostgreSQL, demo seed) on :3300
//   npx tsx bench/lighthouse.ts --base-port=3100   # or measure a server that already runs (e2e server)
//   npx tsx bench/lighthouse.ts --port=3600        # its own e2e server on another port (and port+1, +97…+99)
//   options: --runs=3 (median per page by performance score), --json=<file>, --only=pay|dashboard,
//            --lhr=<dir> (each recorded run's whole Lighthouse report: long-tasks, treemap data, …)
//
// Chromium: CHROME_PATH, else Debian's /usr/bin/chromium. Lighthouse downloads nothing; the server is
// local, so the figures are Lighthouse's simulated mobile throttling (slow 4G, 4× CPU slowdown) of this
// machine's loads. Goal: performance ≥ 90, LCP ≤ 2.5 s, TBT ≤ 200 ms, CLS ≤ 0.1 for both pages.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import lighthouse from "lighthouse";
import { launch } from "chrome-launcher";

const args = new Map(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith("--"))
    .map((a) => {
      const [k, v] = a.slice(2).split("=");
      return [k!, v ?? "1"] as const;
    }),
);
const basePort = args.has("base-port") ? Number(args.get("base-port")) : null;
const port = basePort ?? (args.has("port") ? Number(args.get("port")) : 3300);
const runs = Math.max(1, Number(args.get("runs") ?? 3));
const root = path.resolve(import.meta.dirname, "..");
const chromePath = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!chromePath) throw new Error("no Chromium: set CHROME_PATH");

/** the e2e pay fixture's open KHQR invoice (server/testing/factories.ts E2E_PAY_TOKENS.khqr) */
const PAY_TOKEN = "e2e-payco-khqr".padEnd(43, "0");
const origin = (sub: string) => `http://${sub}.localhost:${port}`;

async function waitFor(url: string, server: ChildProcess | null): Promise<void> {
  for (let i = 0; i < 480; i++) {
    if (server && server.exitCode !== null) throw new Error("the e2e server exited");
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer`);
}

/** Signs acme's owner in like the login form does (Node cannot resolve *.localhost: the Host header says which workspace). */
function signIn(): Promise<string> {
  const body = JSON.stringify({ email: "owner@acme.test", password: "phteah-demo-2026" });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/session/login",
        headers: {
          host: `acme.localhost:${port}`,
          origin: origin("acme"),
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-forwarded-for": "2001:db8:17::1",
        },
      },
      (res) => {
        res.resume();
        const cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
        if (res.statusCode !== 200 || !cookie) reject(new Error(`sign-in answered ${res.statusCode}`));
        else resolve(cookie);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

type Figures = {
  performance: number;
  lcp: number;
  tbt: number;
  cls: number;
  fcp: number;
  js: number;
  /** for the JSON file: what the LCP element was and which scripts cost the main thread most */
  lcpElement?: string;
  bootup?: { url: string; total: number; scripting: number }[];
  /** every script the page downloaded, with its transferred and raw size (bytes) */
  scripts?: { url: string; transfer: number; raw: number }[];
};

async function audit(url: string, port: number, cookie?: string, lhrFile?: string): Promise<Figures> {
  const result = await lighthouse(
    url,
    { port, output: "json", logLevel: "error", onlyCategories: ["performance"], ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}) },
    // mobile is Lighthouse's default form factor and throttling (moto g power, slow 4G, 4× CPU)
    undefined,
  );
  if (!result) throw new Error(`no Lighthouse result for ${url}`);
  const a = result.lhr.audits;
  if (result.lhr.runtimeError) throw new Error(`${url}: ${result.lhr.runtimeError.message}`);
  if (lhrFile) writeFileSync(lhrFile, JSON.stringify(result.lhr));
  const scripts = (a["resource-summary"]?.details as { items?: { resourceType: string; transferSize: number }[] } | undefined)?.items;
  return {
    performance: Math.round((result.lhr.categories.performance?.score ?? 0) * 100),
    lcp: a["largest-contentful-paint"]?.numericValue ?? NaN,
    tbt: a["total-blocking-time"]?.numericValue ?? NaN,
    cls: a["cumulative-layout-shift"]?.numericValue ?? NaN,
    fcp: a["first-contentful-paint"]?.numericValue ?? NaN,
    js: scripts?.find((i) => i.resourceType === "script")?.transferSize ?? NaN,
    lcpElement: JSON.stringify(a["largest-contentful-paint-element"]?.details ?? null).slice(0, 400),
    bootup: ((a["bootup-time"]?.details as { items?: { url: string; total: number; scripting: number }[] } | undefined)?.items ?? [])
      .slice(0, 8)
      .map((i) => ({ url: i.url, total: Math.round(i.total), scripting: Math.round(i.scripting) })),
    scripts: (
      (
        a["network-requests"]?.details as
          { items?: { url: string; resourceType?: string; transferSize?: number; resourceSize?: number }[] } | undefined
      )?.items ?? []
    )
      .filter((i) => i.resourceType === "Script")
      .map((i) => ({ url: i.url, transfer: i.transferSize ?? 0, raw: i.resourceSize ?? 0 })),
  };
}

function median(list: Figures[]): Figures {
  const sorted = [...list].sort((x, y) => x.performance - y.performance);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Whether nothing listens on `p` (another engineer's server there would be measured instead of ours). */
function portFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = http.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(p, () => probe.close(() => resolve(true)));
  });
}

async function main() {
  let server: ChildProcess | null = null;
  if (basePort === null) {
    for (const p of [port, port + 1, port + 97, port + 98, port + 99])
      if (!(await portFree(p))) throw new Error(`port ${p} is in use: measure another with --port=<n>, or that server with --base-port`);
    server = spawn("npx", ["tsx", "--conditions=react-server", "scripts/e2e-server.ts"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        E2E_PORT: String(port),
        E2E_STUB_PORT: String(port + 99),
        E2E_BAKONG_PORT: String(port + 98),
        E2E_SENTRY_PORT: String(port + 1),
        // its own fake Telegram too (the e2e suite's default is 3197)
        E2E_TELEGRAM_PORT: String(port + 97),
      },
      detached: true,
    });
  }
  const chrome = await launch({
    chromePath,
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    await waitFor(`http://localhost:${port}/api/health/live`, server);
    const cookie = await signIn();
    const pages = [
      { name: "pay page", url: `${origin("payco")}/pay/${PAY_TOKEN}` },
      { name: "dashboard (signed in)", url: `${origin("acme")}/`, cookie },
    ];
    const out: { page: string; figures: Figures; runs: Figures[] }[] = [];
    // Lighthouse's trace sometimes misses the navigation on a loaded machine (NO_NAVSTART): that run is
    // measured again, up to twice (a failed run has no figures to count)
    const lhrDir = args.get("lhr");
    if (lhrDir) mkdirSync(lhrDir, { recursive: true });
    const measure = async (url: string, cookie?: string, lhrFile?: string): Promise<Figures> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await audit(url, chrome.port, cookie, lhrFile && lhrDir ? path.join(lhrDir, lhrFile) : undefined);
        } catch (e) {
          if (attempt >= 3 || !String(e).includes("NO_NAVSTART")) throw e;
          console.error(`${url}: NO_NAVSTART, measured again`);
        }
      }
    };
    const only = args.get("only"); // --only=pay | --only=dashboard
    for (const p of pages.filter((x) => !only || x.name.startsWith(only))) {
      // one unrecorded warm-up run (the server's caches are cold), then the recorded ones
      await measure(p.url, p.cookie);
      const list: Figures[] = [];
      for (let i = 0; i < runs; i++) list.push(await measure(p.url, p.cookie, `${p.name.split(" ")[0]}-${i + 1}.json`));
      out.push({ page: p.name, figures: median(list), runs: list });
    }
    const goal = (f: Figures) => f.performance >= 90 && f.lcp <= 2500 && f.tbt <= 200 && f.cls <= 0.1;
    console.log(
      `\nLighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version}, mobile, median of ${runs}`,
    );
    console.log("| page | performance | LCP | TBT | CLS | FCP | JS transferred | goal |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const { page, figures: f } of out) {
      console.log(
        `| ${page} | ${f.performance} | ${(f.lcp / 1000).toFixed(2)} s | ${Math.round(f.tbt)} ms | ${f.cls.toFixed(3)} | ${(f.fcp / 1000).toFixed(2)} s | ${Math.round(f.js / 1024)} KB | ${goal(f) ? "ok" : "FAIL"} |`,
      );
    }
    // every run, for the spread (the simulated LCP depends on whether React's chunk ran before this
    // machine's first paint: bench/RESULTS.md, "The dashboard's LCP under Lantern")
    for (const { page, runs: list } of out)
      console.log(
        `${page}: each run (performance / LCP / TBT): ${list.map((f) => `${f.performance} / ${(f.lcp / 1000).toFixed(2)} s / ${Math.round(f.tbt)} ms`).join(", ")}`,
      );
    if (args.has("json")) writeFileSync(args.get("json")!, JSON.stringify(out, null, 2));
    process.exitCode = out.every((o) => goal(o.figures)) ? 0 : 1;
  } finally {
    chrome.kill();
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});

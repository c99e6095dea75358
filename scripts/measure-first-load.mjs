#!/usr/bin/env node
// First-load JS of a page, from a production build's manifests (run after `npm run build`):
//   node scripts/measure-first-load.mjs [--dir <project>] [--route "/t/[tenant]/(workspace)/page"] [--json]
// Counted: the root main files every page loads (build-manifest.json `rootMainFiles`) plus every
// chunk the route's segments name in `.next/server/app/<route>_client-reference-manifest.js`
// (`entryJSFiles`: root layout, error/not-found/global-error boundaries, the workspace layout and
// the page). Not counted: the legacy `polyfillFiles` (nomodule, skipped by modern browsers),
// chunks loaded later on demand, and the RSC payload inlined in the HTML (where the active
// locale's messages travel). Sizes: raw and gzip (default level, like `gzip -c | wc -c`).
// Also says which chunks carry the English and the Khmer catalog (their `app.tagline`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dir = opt("--dir", process.cwd());
const route = opt("--route", "/t/[tenant]/(workspace)/page");
const next = join(dir, ".next");

const buildManifest = JSON.parse(readFileSync(join(next, "build-manifest.json"), "utf8"));
const manifestFile = join(next, "server", "app", `${route}_client-reference-manifest.js`);
const sandbox = { globalThis: {} };
sandbox.globalThis.__RSC_MANIFEST = {};
new Function("globalThis", "self", readFileSync(manifestFile, "utf8"))(sandbox.globalThis, sandbox.globalThis);
const routeManifest = sandbox.globalThis.__RSC_MANIFEST[route];
if (!routeManifest) throw new Error(`no client reference manifest for ${route}`);

const files = new Set(buildManifest.rootMainFiles);
for (const chunks of Object.values(routeManifest.entryJSFiles ?? {})) for (const f of chunks) files.add(f);

const tagline = (locale) => {
  const src = readFileSync(join(dir, "lib", "i18n", "messages", `${locale}.ts`), "utf8");
  return /tagline: "([^"]+)"/.exec(src)?.[1];
};
const markers = { en: tagline("en"), km: tagline("km") };

let raw = 0;
let gzip = 0;
const rows = [];
for (const f of [...files].sort()) {
  const body = readFileSync(join(next, f));
  const z = gzipSync(body).length;
  raw += body.length;
  gzip += z;
  const text = body.toString("utf8");
  const catalogs = Object.entries(markers)
    .filter(([, m]) => m && text.includes(m))
    .map(([l]) => l);
  rows.push({ file: f, raw: body.length, gzip: z, catalogs });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
if (args.includes("--json")) {
  console.log(JSON.stringify({ route, files: rows, raw, gzip }, null, 2));
} else {
  console.log(`First-load JS of ${route} (${dir})`);
  for (const r of rows) {
    const note = r.catalogs.length ? `  catalogs: ${r.catalogs.join(", ")}` : "";
    console.log(`  ${r.file.padEnd(42)} ${kb(r.raw).padStart(10)} ${kb(r.gzip).padStart(10)} gz${note}`);
  }
  console.log(`  ${"total".padEnd(42)} ${kb(raw).padStart(10)} ${kb(gzip).padStart(10)} gz  (${gzip} bytes gzipped, ${files.size} files)`);
}

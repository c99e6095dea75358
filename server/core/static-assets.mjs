// @ts-check
// Next's build output under /_next/static/ (content-hashed chunks, CSS, fonts: immutable), answered by
// the production server (server.mjs) from memory, each compressible file gzipped once at start. Next's
// own serving gzips every chunk again on every request, in the event loop that renders the page: on a
// page's first load its CSS, which holds back the first paint, waited behind a dozen JavaScript chunks
// being compressed (issue 17, fast on phones: 75–125 ms on this machine for 4 KB of CSS). Only a path
// that is a file of the build is answered here (a lookup in a map, no file system access from the URL);
// anything else, and every method but GET and HEAD, goes to Next.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

export const STATIC_PREFIX = "/_next/static/";
/** compress like Next's server (the `compression` middleware's default threshold) */
export const GZIP_MIN_BYTES = 1024;

/** @type {Record<string, string>} */
const TYPES = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".txt": "text/plain; charset=UTF-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
};
const COMPRESSIBLE = new Set([".js", ".css", ".json", ".map", ".txt", ".svg"]);

/** Whether an Accept-Encoding header takes gzip (absent, or `gzip;q=0`, does not). */
export function acceptsGzip(/** @type {string | undefined} */ header) {
  return !!header && /\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)/i.test(header);
}

/**
 * Every file under `staticDir` (a build's `.next/static`) by its URL path, with its type, a strong
 * ETag and, when compressing saves bytes, its gzip. An empty map when there is no build there.
 * @param {string} staticDir
 * @returns {Map<string, import("./static-assets.d.mts").StaticAsset>}
 */
export function loadStaticAssets(staticDir) {
  /** @type {Map<string, import("./static-assets.d.mts").StaticAsset>} */
  const assets = new Map();
  /** @param {string} dir @param {string} prefix */
  const walk = (dir, prefix) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        const ext = path.extname(entry.name).toLowerCase();
        const body = readFileSync(full);
        const gzip = COMPRESSIBLE.has(ext) && body.length >= GZIP_MIN_BYTES ? gzipSync(body, { level: 9 }) : null;
        assets.set(`${prefix}${entry.name}`, {
          body,
          gzip: gzip && gzip.length < body.length ? gzip : null,
          type: TYPES[ext] ?? "application/octet-stream",
          etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
        });
      }
    }
  };
  walk(staticDir, STATIC_PREFIX);
  return assets;
}

/**
 * Answers a GET or HEAD for a file of `assets` (true), else leaves the request alone (false).
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {Map<string, import("./static-assets.d.mts").StaticAsset>} assets
 */
export function serveStaticAsset(req, res, assets) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = req.url ?? "";
  if (!url.startsWith(STATIC_PREFIX)) return false;
  const asset = assets.get(url.split("?")[0] ?? "");
  if (!asset) return false;
  /** @type {Record<string, string>} */
  const headers = {
    "cache-control": "public, max-age=31536000, immutable",
    "content-type": asset.type,
    etag: asset.etag,
    "x-content-type-options": "nosniff",
  };
  if (asset.gzip) headers.vary = "Accept-Encoding";
  const inm = req.headers["if-none-match"];
  if (inm && inm.split(",").some((tag) => tag.trim().replace(/^W\//, "") === asset.etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const gzip = asset.gzip && acceptsGzip(req.headers["accept-encoding"]) ? asset.gzip : null;
  if (gzip) headers["content-encoding"] = "gzip";
  const body = gzip ?? asset.body;
  headers["content-length"] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

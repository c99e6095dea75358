// The production server answers the build's /_next/static/ files from memory, gzipped once at start
// (server/core/static-assets.mjs, server.mjs): issue 17, a page's CSS no longer waits behind its
// JavaScript chunks being compressed again in the loop that renders the page.
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptsGzip, loadStaticAssets, serveStaticAsset } from "@/server/core/static-assets.mjs";
import { readSource } from "../support/imports";

const CSS = `.a{color:red}${".b{margin:0}".repeat(200)}`;
const JS = `(globalThis.TURBOPACK||[]).push([${"1,".repeat(600)}0]);`;
const FONT = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));

let server: Server;
let port = 0;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "phteah-static-"));
  await mkdir(path.join(dir, "chunks"), { recursive: true });
  await mkdir(path.join(dir, "media"), { recursive: true });
  await writeFile(path.join(dir, "chunks/app.css"), CSS);
  await writeFile(path.join(dir, "chunks/main.js"), JS);
  await writeFile(path.join(dir, "chunks/tiny.js"), "1;");
  await writeFile(path.join(dir, "media/khmer.woff2"), FONT);
  await writeFile(path.join(os.tmpdir(), "phteah-secret.txt"), "not a build file");
  const assets = loadStaticAssets(dir);
  server = createServer((req, res) => {
    if (serveStaticAsset(req, res, assets)) return;
    res.writeHead(404, { "x-handled-by": "next" });
    res.end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(pathname: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: pathname, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the build's static files from memory", () => {
  it("a chunk, gzipped when the browser takes it, with Next's immutable caching and its type", async () => {
    const gz = await get("/_next/static/chunks/app.css", { "accept-encoding": "gzip, deflate, br" });
    expect(gz.status).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["content-type"]).toBe("text/css; charset=UTF-8");
    expect(gz.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(gz.headers.vary).toBe("Accept-Encoding");
    expect(gz.headers["x-content-type-options"]).toBe("nosniff");
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(CSS.length / 4);
    expect(gunzipSync(gz.body).toString()).toBe(CSS);

    const plain = await get("/_next/static/chunks/main.js?dpl=x", { "accept-encoding": "gzip;q=0, identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(plain.body.toString()).toBe(JS);
    // too small to be worth it, and a font: as they are
    expect((await get("/_next/static/chunks/tiny.js", { "accept-encoding": "gzip" })).headers["content-encoding"]).toBeUndefined();
    const font = await get("/_next/static/media/khmer.woff2", { "accept-encoding": "gzip" });
    expect(font.headers["content-type"]).toBe("font/woff2");
    expect(font.headers["content-encoding"]).toBeUndefined();
    expect(font.body.equals(FONT)).toBe(true);
  });

  it("HEAD has the headers without the body; a known ETag gets 304", async () => {
    const head = await get("/_next/static/chunks/app.css", { "accept-encoding": "gzip" }, "HEAD");
    expect(head.status).toBe(200);
    expect(Number(head.headers["content-length"])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
    const etag = String(head.headers.etag);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await get("/_next/static/chunks/app.css", { "if-none-match": `W/${etag}` });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await get("/_next/static/chunks/app.css", { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("anything but a file of the build, or another method, goes to Next", async () => {
    for (const p of [
      "/_next/static/chunks/missing.js",
      "/_next/static/chunks/",
      "/_next/static/../../phteah-secret.txt",
      "/_next/static/chunks/%2e%2e/%2e%2e/phteah-secret.txt",
      "/_next/static/chunks/app.css/",
      "/_next/image?url=x",
      "/app.css",
    ]) {
      const res = await get(p);
      expect(res.headers["x-handled-by"], p).toBe("next");
    }
    expect((await get("/_next/static/chunks/app.css", {}, "POST")).headers["x-handled-by"]).toBe("next");
  });

  it("reads gzip in an Accept-Encoding header as browsers send it", () => {
    expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsGzip("GZIP")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip; q=0.0, identity")).toBe(false);
    expect(acceptsGzip("br")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it("no build there: nothing to serve, everything to Next", () => {
    expect(loadStaticAssets(path.join(os.tmpdir(), "phteah-no-build-here")).size).toBe(0);
  });

  it("the production server asks it first, for every request", () => {
    expect(readSource("server.mjs")).toMatch(/function route\(req, res\) \{\s*if \(serveStaticAsset\(req, res, staticAssets\)\) return;/);
    expect(readSource("server.mjs")).toMatch(/loadStaticAssets\(path\.join\(dir, "\.next", "static"\)\)/);
  });
});

// Two production servers (`node server.mjs`, the build in .next/) on one database, for the
// two-instance test (tests/cluster/two-instances.test.ts, `npm run test:cluster`). Everything they
// talk to is local: the run's PostgreSQL (tests/setup/global-db.ts), s3rver for the files, the
// Resend/Inngest stub behind a proxy that counts every request, and the fake Bakong API.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { findFreePort } from "../../../scripts/db/embedded";
import { serverNodeArgs } from "../../../scripts/lib/server-node-args.mjs";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

/** One HTTP request to 127.0.0.1:`port` with `Host: host:port` (how a tenant subdomain reaches a server here). */
export function request(
  port: number,
  method: string,
  host: string,
  pathname: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path: pathname, headers: { host: `${host}:${port}`, ...headers }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("latin1") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${host}${pathname}: no answer in 60 s`)));
    req.end(body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}

/** The cookies a response sets, as one Cookie header value (name=value pairs). */
export function cookiesOf(res: Res): string {
  return ([] as string[])
    .concat(res.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0]!)
    .filter((c) => !/=$/.test(c))
    .join("; ");
}

/** A request counter in front of the vendor stub: every POST it forwards, by path and Idempotency-Key. */
export interface CountingProxy {
  url: string;
  /** every POST /emails body's recipients, one entry per request (a retried request counts again) */
  emailRequests: { to: string[]; idempotencyKey: string | null }[];
  /** every event id POSTed to the event API (one entry per event per request) */
  eventRequests: { id?: string; name: string }[];
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const emailRequests: CountingProxy["emailRequests"] = [];
  const eventRequests: CountingProxy["eventRequests"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://proxy");
      try {
        if (req.method === "POST" && url.pathname === "/emails") {
          const body = JSON.parse(raw.toString("utf8")) as { to: string | string[] };
          const key = req.headers["idempotency-key"];
          emailRequests.push({
            to: ([] as string[]).concat(body.to).map((a) => a.toLowerCase()),
            idempotencyKey: typeof key === "string" ? key : null,
          });
        } else if (req.method === "POST" && url.pathname.startsWith("/e/")) {
          const body = JSON.parse(raw.toString("utf8")) as unknown;
          eventRequests.push(
            ...(Array.isArray(body) ? body : [body]).map((e: { id?: string; name: string }) => ({ id: e.id, name: e.name })),
          );
        }
      } catch {
        // not JSON: forwarded as is, the stub answers it
      }
      const headers = { ...req.headers };
      delete headers.host;
      const forward = http.request(
        new URL(req.url ?? "/", target),
        { method: req.method, headers: { ...headers, "content-length": String(raw.length) } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(raw);
    });
  });
  const port = await findFreePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    emailRequests,
    eventRequests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface AppServer {
  name: string;
  port: number;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node server.mjs` as `npm start` does, with `env` on a free port; resolves once /api/health/live answers. */
export async function startAppServer(name: string, env: NodeJS.ProcessEnv): Promise<AppServer> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("no production build in .next/: run `npm run build` first");
  const port = await findFreePort();
  let out = "";
  // the flags `npm start` runs it with (heap cap)
  const child = spawn(process.execPath, [...serverNodeArgs(env), path.join(ROOT, "server.mjs")], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const server: AppServer = {
    name,
    port,
    process: child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  for (let i = 0; ; i++) {
    const live = await request(port, "GET", "localhost", "/api/health/live").then(
      (r) => r.status === 200,
      () => false,
    );
    if (live) return server;
    if (child.exitCode !== null || i > 240) {
      await server.stop();
      throw new Error(`server ${name} did not start:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A multipart/form-data body with one file field and plain fields. */
export function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; bytes: Buffer }) {
  const boundary = `----phteah${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Waits until `check` returns a truthy value (polling), or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

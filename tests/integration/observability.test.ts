// Error reporting and logs, end to end: the real Sentry SDK (initialised with the app's
// sentryOptions) sends to a local HTTP sink standing in for sentry.io, and the real pino
// logger writes into a captured stream.
import { randomInt, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { gunzipSync } from "node:zlib";
import * as Sentry from "@sentry/nextjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The logger is silent under NODE_ENV=test unless LOG_LEVEL says otherwise; it reads it on import.
vi.hoisted(() => {
  process.env.LOG_LEVEL = "info";
});

const logLines = vi.hoisted(() => [] as string[]);

// Same pino, same options as server/core/observability/logger.ts; only the destination is ours.
vi.mock("pino", async (importOriginal) => {
  const actual = (await importOriginal()) as { default: typeof import("pino").default };
  const real = actual.default;
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const wrapped = Object.assign((options: import("pino").LoggerOptions) => real(options, sink), real);
  return { ...actual, default: wrapped };
});

const { sentryOptions } = await import("@/lib/observability/sentry");
const { handleServerError } = await import("@/server/core/observability/report");
const { logger, requestLogger } = await import("@/server/core/observability/logger");

let sink: Server;
const envelopes: { url: string; body: string }[] = [];

beforeAll(async () => {
  sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      envelopes.push({ url: req.url ?? "", body: body.toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const { port } = sink.address() as AddressInfo;
  Sentry.init(sentryOptions(`http://publickey@127.0.0.1:${port}/1`, "test"));
});

afterAll(async () => {
  await Sentry.close(2_000);
  await new Promise<void>((resolve) => sink.close(() => resolve()));
  delete process.env.LOG_LEVEL;
});

/** The event items of every envelope received so far that mention `marker`. */
function eventsWith(marker: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const { body } of envelopes) {
    const lines = body.split("\n");
    for (let i = 1; i < lines.length - 1; i++) {
      if (!lines[i]!.startsWith('{"type":"event"')) continue;
      const item = lines[i + 1]!;
      if (item.includes(marker)) events.push(JSON.parse(item) as Record<string, unknown>);
    }
  }
  return events;
}

describe("Sentry", () => {
  it("receives a server error with request_id and tenant tags, and without PII from scope or headers", async () => {
    // made at run time: the event carries source lines around the stack frames (ContextLines),
    // and a literal here would show up there without having leaked from the scope
    const secretEmail = `renter-${randomUUID()}@example.com`;
    const cookieValue = `cookie-${randomUUID()}`;
    const bearer = `bearer-${randomUUID()}`;
    const password = `pw-${randomUUID()}`;
    const ip = `203.0.113.${randomInt(1, 255)}`;
    const cookie = `authjs.session-token=${cookieValue}`;
    await Sentry.withIsolationScope(async (scope) => {
      scope.setUser({ id: "user-123", email: secretEmail, ip_address: ip });
      scope.setExtra("input", { email: secretEmail, note: "kept" });
      scope.setSDKProcessingMetadata({
        normalizedRequest: {
          url: "http://acme.localhost:3000/api/trpc/members.list",
          method: "POST",
          headers: { host: "acme.localhost:3000", cookie, authorization: `Bearer ${bearer}`, "x-user-email": secretEmail },
          cookies: { "authjs.session-token": cookieValue },
          data: { password, email: secretEmail },
        },
      });
      handleServerError(new Error("boom"), { requestId: "req-1", tenant: "acme" });
    });
    expect(await Sentry.flush(5_000)).toBe(true);

    expect(envelopes.length).toBeGreaterThan(0);
    expect(envelopes[0]!.url).toMatch(/^\/api\/1\/envelope\//);
    const [event, ...others] = eventsWith('"boom"');
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      exception: { values: [expect.objectContaining({ type: "Error", value: "boom" })] },
      tags: { request_id: "req-1", tenant: "acme" },
      environment: "test",
      user: { id: "user-123" },
      extra: { input: { email: "[scrubbed]", note: "kept" } },
      request: { headers: expect.objectContaining({ host: "acme.localhost:3000", cookie: "[scrubbed]", authorization: "[scrubbed]" }) },
    });
    const raw = JSON.stringify(event);
    for (const secret of [secretEmail, cookieValue, bearer, password, ip]) expect(raw).not.toContain(secret);
  });

  it("also logs the error with its request id", async () => {
    handleServerError(new Error("kaboom-logged"), { requestId: "req-2", tenant: "globex", path: "/api/x" });
    await Sentry.flush(5_000);
    const line = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === "unhandled server error" && l.requestId === "req-2");
    expect(line).toMatchObject({
      level: 50,
      tenant: "globex",
      path: "/api/x",
      service: "phteah",
      err: expect.objectContaining({ message: "kaboom-logged" }),
    });
    expect(eventsWith("kaboom-logged")[0]).toMatchObject({ tags: { request_id: "req-2", tenant: "globex", path: "/api/x" } });
  });
});

describe("logger redaction", () => {
  const last = () => JSON.parse(logLines[logLines.length - 1]!) as Record<string, unknown>;

  it("hides passwords, tokens, secrets, cookies and authorization headers", () => {
    logger.info(
      {
        password: "hunter2",
        token: "tok-123",
        user: { email: "a@b.c", password: "nested-pw", passwordHash: "$argon2id$x" },
        reset: { token: "tok-456" },
        secret: "s3",
        headers: { cookie: "sid=abc", authorization: "Bearer xyz", host: "acme.localhost" },
        keep: "visible",
      },
      "redaction probe",
    );
    const line = last();
    expect(line).toMatchObject({
      msg: "redaction probe",
      password: "[redacted]",
      token: "[redacted]",
      user: { email: "a@b.c", password: "[redacted]", passwordHash: "[redacted]" },
      reset: { token: "[redacted]" },
      secret: "[redacted]",
      headers: { cookie: "[redacted]", authorization: "[redacted]", host: "acme.localhost" },
      keep: "visible",
    });
    const raw = logLines[logLines.length - 1]!;
    for (const s of ["hunter2", "tok-123", "nested-pw", "tok-456", "sid=abc", "Bearer xyz", "$argon2id$x"]) expect(raw).not.toContain(s);
  });

  it("redacts in request-scoped child loggers too", () => {
    requestLogger({ requestId: "req-9", tenant: "acme" }).warn(
      { newPassword: "pw-new", req: { headers: { authorization: "Bearer q" } } },
      "child probe",
    );
    expect(last()).toMatchObject({
      msg: "child probe",
      requestId: "req-9",
      tenant: "acme",
      newPassword: "[redacted]",
      req: { headers: { authorization: "[redacted]" } },
    });
  });
});

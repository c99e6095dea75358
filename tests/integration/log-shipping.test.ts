// Log shipping over OpenTelemetry (server/core/observability/otlp.ts): with
// OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP/HTTP sink (a tiny http server here), the log
// records of a tRPC request arrive as OTLP log records carrying the request id, the trace id of the
// incoming traceparent, the workspace and the user; no secret (password, token, pay token, cookie,
// authorization, KHQR md5) is in what leaves the process. Without the variable nothing is shipped.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi, afterAll } from "vitest";
import type { SessionClaims } from "@/server/auth/auth.public";

const sink = await vi.hoisted(async () => {
  const http = await import("node:http");
  const bodies: unknown[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      paths.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  // read when the logger module loads (below)
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
  process.env.LOG_LEVEL = "info";
  return { server, bodies, paths };
});

const current = vi.hoisted(() => ({ claims: null as Partial<SessionClaims> | null }));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

import { handleTrpcRequest } from "@/server/api/trpc-http";
import { logger, logShipper } from "@/server/core/observability/logger";
import { annotateLogContext, logContextFromHeaders, runWithLogContext } from "@/server/core/observability/log-context";
import { createTenant, uniqueSlug } from "@/server/testing/factories";
import { PORT, hostOf, sessionFor, uniqueIp } from "./support/world";

afterAll(async () => {
  await logShipper?.shutdown();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.LOG_LEVEL;
  await new Promise((resolve) => sink.server.close(resolve));
});

type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
interface OtlpRecord {
  body?: AnyValue;
  severityText?: string;
  traceId?: string;
  spanId?: string;
  attributes?: { key: string; value: AnyValue }[];
}

function received(): { records: OtlpRecord[]; resources: Record<string, unknown>[] } {
  const records: OtlpRecord[] = [];
  const resources: Record<string, unknown>[] = [];
  for (const body of sink.bodies as {
    resourceLogs: { resource?: { attributes?: { key: string; value: AnyValue }[] }; scopeLogs: { logRecords: OtlpRecord[] }[] }[];
  }[])
    for (const rl of body.resourceLogs) {
      resources.push(Object.fromEntries((rl.resource?.attributes ?? []).map((a) => [a.key, a.value.stringValue])));
      for (const sl of rl.scopeLogs) records.push(...sl.logRecords);
    }
  return { records, resources };
}

const attr = (r: OtlpRecord, key: string) => {
  const v = r.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue ?? v?.boolValue ?? v?.doubleValue;
};

describe("OTLP log shipping", () => {
  it("ships the log records of a request to the collector, tagged with request, trace, workspace and user, with no secret in them", async () => {
    expect(logShipper).not.toBeNull();
    const t = await createTenant({ slug: uniqueSlug("otlp"), name: "OTLP Apartments" });
    const host = `${hostOf(t.slug)}:${PORT}`;
    const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
    current.claims = claims;

    const requestId = `req-otlp-${randomBytes(4).toString("hex")}`;
    const traceId = randomBytes(16).toString("hex");
    const secrets = {
      cookie: `session-cookie-${randomBytes(6).toString("hex")}`,
      bearer: `bearer-${randomBytes(6).toString("hex")}`,
      password: `pw-${randomBytes(6).toString("hex")}`,
      token: `reset-${randomBytes(6).toString("hex")}`,
      payToken: `PayTok${randomBytes(8).toString("hex")}`,
      md5: randomBytes(16).toString("hex"),
    };
    const headers = new Headers({
      host,
      "x-forwarded-for": uniqueIp(),
      "x-request-id": requestId,
      traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
      cookie: `authjs.session-token=${secrets.cookie}`,
      authorization: `Bearer ${secrets.bearer}`,
    });
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const res = await handleTrpcRequest(new Request(`http://${host}/api/trpc/audit.list?input=${input}`, { headers }), async () => claims);
    expect(res.status).toBe(200);

    // what a careless log call inside a request would write: redacted and scrubbed before it leaves
    runWithLogContext(logContextFromHeaders(headers), () => {
      annotateLogContext({ tenant: t.slug, userId: t.owner.userId });
      logger.warn(
        {
          password: secrets.password,
          token: secrets.token,
          payToken: secrets.payToken,
          md5: secrets.md5,
          headers: { cookie: secrets.cookie, authorization: `Bearer ${secrets.bearer}` },
          url: `https://${host}/pay/${secrets.payToken}?md5=${secrets.md5}`,
          link: `https://${host}/reset-password?token=${secrets.token}`,
        },
        `payment check for ${secrets.md5}`,
      );
    });
    await logShipper!.flush();

    expect(sink.paths.every((p) => p.startsWith("POST /v1/logs application/json"))).toBe(true);
    const { records, resources } = received();
    expect(resources).toContainEqual(expect.objectContaining({ "service.name": "phteah" }));
    const ours = records.filter((r) => attr(r, "request.id") === requestId);
    expect(ours.map((r) => r.body?.stringValue)).toEqual(["trpc", "payment check for [md5]"]);
    for (const r of ours) {
      expect(attr(r, "tenant.slug")).toBe(t.slug);
      expect(r.traceId).toBe(traceId);
      expect(r.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
    for (const r of ours) expect(attr(r, "user.id")).toBe(t.owner.userId);
    const request = ours[0]!;
    expect(request.severityText).toBe("INFO");
    expect(attr(request, "path")).toBe("audit.list");
    expect(attr(request, "code")).toBe("OK");
    const careless = ours[1]!;
    expect(careless.severityText).toBe("WARN");
    expect(attr(careless, "password")).toBe("[redacted]");
    expect(attr(careless, "url")).toBe(`https://${host}/pay/[scrubbed]?md5=[scrubbed]`);

    const shipped = JSON.stringify(sink.bodies);
    for (const [name, secret] of Object.entries(secrets)) expect(shipped, name).not.toContain(secret);
  });

  it("ships nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset", async () => {
    vi.resetModules();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const fresh = await import("@/server/core/observability/logger");
    expect(fresh.logShipper).toBeNull();
  });
});

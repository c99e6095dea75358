// Sentry on the server, end to end: the real SDK initialised as instrumentation.ts does
// (sentryOptions), its DSN pointing at a local Sentry sink (a tiny http server receiving the
// envelopes). A route that fails with a pay link and a KHQR md5 in its error, after breadcrumbs
// naming reset and invite links, arrives as one event with the request's tags, and none of the
// tokens is in what left the process.
import { randomBytes } from "node:crypto";
import http from "node:http";
import * as Sentry from "@sentry/nextjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionClaims } from "@/server/auth/auth.public";

const current = vi.hoisted(() => ({ claims: null as Partial<SessionClaims> | null }));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

import { getEnv, validateEnv } from "@/env";
import { sentryOptions } from "@/lib/observability/sentry";
import { browserSentryDsn, handleSentryTunnel } from "@/server/core/observability/sentry-tunnel";
import { route } from "@/server/api/route-kit";
import { createTenant, uniqueSlug } from "@/server/testing/factories";
import { PORT, hostOf, uniqueIp } from "./support/world";

const envelopes: string[] = [];
let server: http.Server;
let dsn: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url?.startsWith("/api/1/envelope/")) envelopes.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  dsn = `http://publickey@127.0.0.1:${port}/1`;
  Sentry.init({ ...sentryOptions(dsn, "test"), defaultIntegrations: false });
});

afterAll(async () => {
  await Sentry.close(2000);
  await new Promise((resolve) => server.close(resolve));
});

/** The events in the received envelopes (an envelope: a header line, then item header and payload lines). */
function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const envelope of envelopes) {
    const lines = envelope.split("\n").filter(Boolean);
    for (let i = 1; i + 1 < lines.length; i += 2) {
      const header = JSON.parse(lines[i]!) as { type: string };
      if (header.type === "event") out.push(JSON.parse(lines[i + 1]!) as Record<string, unknown>);
    }
  }
  return out;
}

describe("Sentry on the server", () => {
  it("sends a server error to the DSN with the request's tags, scrubbed of pay, reset and invite tokens and KHQR md5", async () => {
    const t = await createTenant({ slug: uniqueSlug("sentry"), name: "Sentry Apartments" });
    const host = `${hostOf(t.slug)}:${PORT}`;
    const pay = `Pay${randomBytes(10).toString("hex")}`;
    const md5 = randomBytes(16).toString("hex");
    const reset = `reset${randomBytes(6).toString("hex")}`;
    const invite = `invite${randomBytes(6).toString("hex")}`;
    const requestId = `req-sentry-${randomBytes(4).toString("hex")}`;

    const failing = route(
      async () => {
        Sentry.addBreadcrumb({ category: "navigation", data: { from: `/reset-password?token=${reset}`, to: `/invite?token=${invite}` } });
        Sentry.addBreadcrumb({ category: "fetch", message: `GET https://${host}/pay/${pay}?md5=${md5}` });
        throw new Error(`settling https://${host}/pay/${pay} failed (md5 ${md5})`);
      },
      { host: "tenant" },
    );
    const res = await failing(
      new Request(`http://${host}/pay/${pay}?md5=${md5}`, { headers: { host, "x-forwarded-for": uniqueIp(), "x-request-id": requestId } }),
    );
    expect(res.status).toBe(500);
    await Sentry.flush(5000);

    const ours = events().filter((e) => (e.tags as Record<string, string> | undefined)?.request_id === requestId);
    expect(ours).toHaveLength(1);
    const event = ours[0]!;
    expect(event.tags).toMatchObject({ request_id: requestId, path: expect.stringContaining("/pay/[scrubbed]") });
    const exception = (event.exception as { values: { value: string }[] }).values[0]!;
    expect(exception.value).toBe(`settling https://${host}/pay/[scrubbed] failed (md5 [md5])`);
    const crumbs = event.breadcrumbs as { category: string; data?: Record<string, string>; message?: string }[];
    expect(crumbs.find((b) => b.category === "navigation")?.data).toEqual({
      from: "/reset-password?token=[scrubbed]",
      to: "/invite?token=[scrubbed]",
    });
    expect(crumbs.find((b) => b.category === "fetch")?.message).toBe(`GET https://${host}/pay/[scrubbed]?md5=[scrubbed]`);

    // nothing that left the process holds a token
    const sent = envelopes.join("\n");
    for (const secret of [pay, md5, reset, invite]) expect(sent).not.toContain(secret);
  });

  it("forwards the browser's envelopes for this installation's DSN through /api/monitoring, and refuses any other", async () => {
    const envelope = (forDsn: string, message: string) =>
      [
        JSON.stringify({ event_id: randomBytes(16).toString("hex"), dsn: forDsn }),
        JSON.stringify({ type: "event" }),
        JSON.stringify({ message, level: "error" }),
      ].join("\n");
    // what app/api/monitoring/route.ts does
    const post = (body: string) =>
      handleSentryTunnel(new Request("http://localhost:3000/api/monitoring", { method: "POST", body }), browserSentryDsn(getEnv()));
    const saved = process.env.SENTRY_DSN;
    try {
      delete process.env.SENTRY_DSN;
      validateEnv();
      expect((await post(envelope(dsn, "no dsn configured"))).status).toBe(404);

      process.env.SENTRY_DSN = dsn;
      validateEnv();
      const marker = `tunnel-${randomBytes(4).toString("hex")}`;
      expect((await post(envelope(dsn, marker))).status).toBe(200);
      expect(envelopes.some((e) => e.includes(marker))).toBe(true);

      // someone else's project, or not an envelope: not forwarded
      expect((await post(envelope("http://publickey@evil.example/1", `${marker}-evil`))).status).toBe(400);
      expect((await post(envelope(dsn.replace(/\/1$/, "/2"), `${marker}-other`))).status).toBe(400);
      expect((await post("not an envelope")).status).toBe(400);
      expect((await post(envelope(dsn, "x".repeat(300 * 1024)))).status).toBe(413);
      expect(envelopes.some((e) => e.includes(`${marker}-`))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.SENTRY_DSN;
      else process.env.SENTRY_DSN = saved;
      validateEnv();
    }
  });
});

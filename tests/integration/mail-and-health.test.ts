// Outgoing mail through the real Resend SDK (pointed at the local vendor stub with
// RESEND_BASE_URL), and the health check against the test database and a dead one.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, validateEnv } from "@/env";
import { getDb, type PrismaClient } from "@/server/db/client";
import { getMailTransport, sendMail } from "@/server/notifications/mail";
import { databaseIsUp } from "@/server/ops/health.public";
import { AuthService } from "@/server/auth/auth.public";
import { flushDeliveries } from "@/server/notifications/queue";
import { resolveHostScope } from "@/server/core/host-scope";
import { createTenant, uniqueSlug } from "@/server/testing/factories";
import { startVendorStub, type VendorStub } from "@/server/testing/stubs";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handler itself
import { GET as health } from "@/app/api/health/route";
import { testMeta } from "./support/meta";
import { ownDatabaseForThisFile } from "./support/own-database";

// /api/health is readiness (outbox backlog, jobs' last runs...): on the run's shared database other
// files' rows would decide its answer, so this file has a database of its own
ownDatabaseForThisFile("mail_health");

let stub: VendorStub;

beforeAll(async () => {
  stub = await startVendorStub();
  // the Resend transport reads the environment when it sends its first message
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = stub.url;
  validateEnv();
});

afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  validateEnv();
  await stub?.close();
});

describe("sendMail through Resend", () => {
  it("uses the Resend transport and delivers subject, html, text and sender", async () => {
    expect(getMailTransport().name).toBe("resend");
    const to = `mail-${uniqueSlug()}@example.test`;
    const result = await sendMail({ to, subject: "Hello ៗ", html: "<p>Hi <b>there</b></p>", text: "Hi there", tags: { kind: "test" } });
    expect(result.id).toMatch(/^stub-email-\d+$/);
    const received = stub.emails.filter((e) => e.to.includes(to));
    expect(received).toEqual([
      expect.objectContaining({
        id: result.id,
        from: getEnv().MAIL_FROM,
        to: [to],
        subject: "Hello ៗ",
        html: "<p>Hi <b>there</b></p>",
        text: "Hi there",
      }),
    ]);
  });

  it("surfaces a provider failure as an error, and recovers on the next message", async () => {
    const to = `fail-${uniqueSlug()}@example.test`;
    stub.failNextEmails(1);
    await expect(sendMail({ to, subject: "s", html: "h", text: "t" })).rejects.toThrow(
      /Resend rejected the message: internal_server_error stub failure/,
    );
    expect(stub.emails.filter((e) => e.to.includes(to))).toEqual([]);
    await expect(sendMail({ to, subject: "s", html: "h", text: "t" })).resolves.toMatchObject({ id: expect.any(String) });
    expect(stub.emails.filter((e) => e.to.includes(to))).toHaveLength(1);
  });

  it("carries a password-reset email end to end, with a link to the tenant's host", async () => {
    const slug = uniqueSlug("mail");
    const t = await createTenant({ slug, name: "Mail <Test> & Co" });
    const scope = (await resolveHostScope(`${slug}.localhost:3000`))!;
    await new AuthService(testMeta()).requestPasswordReset(scope, t.owner.email, "en");
    await flushDeliveries();
    const [mail] = stub.emails.filter((e) => e.to.includes(t.owner.email));
    expect(mail!.subject).toBe("Reset your Mail <Test> & Co password");
    expect(mail!.text).toMatch(new RegExp(`http://${slug}\\.localhost:3000/reset-password\\?token=[A-Za-z0-9_-]{43}`));
    expect(mail!.html).toContain(`href="http://${slug}.localhost:3000/reset-password?token=`);
    expect(mail!.html).not.toContain("<Test>"); // names are escaped in HTML
  });
});

describe("health", () => {
  it("reports the test database as up", async () => {
    expect(await databaseIsUp()).toBe(true);
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      status: "ok",
      db: "ok",
      components: { database: "ok", migrations: "ok", outbox: "ok", jobs: "ok", files: "ok", backup: "skipped" },
      failing: [],
    });
  });

  it("reports 503 when PostgreSQL does not answer", async () => {
    // The app keeps one Prisma client on globalThis (server/db/client.ts). Park it, point
    // DATABASE_URL at a closed port so the next getDb() builds a client for a dead database,
    // then put everything back.
    const holder = globalThis as unknown as { phteahDb?: PrismaClient };
    const live = holder.phteahDb;
    const savedUrl = process.env.DATABASE_URL;
    const port = await closedPort();
    holder.phteahDb = undefined;
    process.env.DATABASE_URL = `postgresql://phteah_app:x@127.0.0.1:${port}/phteah`;
    validateEnv();
    try {
      const started = Date.now();
      expect(await databaseIsUp(1_000)).toBe(false);
      const res = await health();
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: "degraded",
        db: "unreachable",
        components: { database: "failed", migrations: "skipped", outbox: "skipped", jobs: "skipped", files: "ok", backup: "skipped" },
        failing: ["database"],
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      const dead = holder.phteahDb as PrismaClient | undefined;
      await dead?.$disconnect().catch(() => undefined);
      holder.phteahDb = live;
      process.env.DATABASE_URL = savedUrl;
      validateEnv();
    }
    expect(await databaseIsUp()).toBe(true);
    expect(getDb()).toBe(live);
  });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Background work against the real database and the real Inngest SDK, whose event API is the
// local vendor stub (server/testing/stubs.ts): the outbox relay, cleanup, admin job runs and
// the Inngest functions that wrap them.
//
// The module-level Inngest client (inngest/client.ts) reads INNGEST_BASE_URL and
// INNGEST_EVENT_KEY when it is constructed, so this file starts the stub, sets both, and only
// then imports every module that loads the client (dynamic imports in beforeAll). Nothing
// imported statically here may load it (./support/world does, through the router).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InngestTestEngine as Engine } from "@inngest/test";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { enqueueEvent } from "@/server/core/outbox";
import { createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { startVendorStub, type VendorStub } from "@/server/testing/stubs";
import type { EventPublisher, OutboxRelay as Relay } from "@/server/core/outbox-relay.jobs";
import { testMeta } from "./support/meta";

let stub: VendorStub;
let OutboxRelay: typeof Relay;
let inngestPublisher: EventPublisher;
let backoffMs: (attempts: number) => number;
let CleanupService: typeof import("@/server/ops/cleanup.jobs").CleanupService;
let runJobAsAdmin: typeof import("@/server/ops/jobs.admin").runJobAsAdmin;
let JOBS: typeof import("@/server/ops/jobs.admin").JOBS;
let functions: typeof import("@/inngest/index").functions;
let InngestTestEngine: typeof Engine;
let tenant: CreatedTenant;

const DAY = 24 * 3600_000;

beforeAll(async () => {
  stub = await startVendorStub();
  process.env.INNGEST_BASE_URL = stub.url;
  process.env.INNGEST_EVENT_KEY = "test-event-key";
  ({ OutboxRelay, inngestPublisher, backoffMs } = await import("@/server/core/outbox-relay.jobs"));
  ({ CleanupService } = await import("@/server/ops/cleanup.jobs"));
  ({ runJobAsAdmin, JOBS } = await import("@/server/ops/jobs.admin"));
  ({ functions } = await import("@/inngest/index"));
  ({ InngestTestEngine } = await import("@inngest/test"));
  tenant = await createTenant({ slug: uniqueSlug("obx") });
});

afterAll(async () => {
  delete process.env.INNGEST_BASE_URL;
  delete process.env.INNGEST_EVENT_KEY;
  await stub?.close();
});

async function enqueue(n: number): Promise<string[]> {
  const marker = randomUUID();
  await new TenantDb(tenant.tenantId).run(async (tx) => {
    for (let i = 0; i < n; i++)
      await enqueueEvent(tx, tenant.tenantId, "tenant/workspace.created", { slug: tenant.slug, ownerUserId: marker, seq: i });
  });
  const rows = await platformDb.run((tx) =>
    tx.outboxEvent.findMany({
      where: { payload: { path: ["ownerUserId"], equals: marker } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    }),
  );
  return rows.map((r) => r.id);
}

async function rowsOf(ids: string[]) {
  return platformDb.run((tx) => tx.outboxEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } }));
}

/** How often the stub received each of `ids` as an event id. */
function deliveries(ids: string[]): Record<string, number> {
  const counts = Object.fromEntries(ids.map((id) => [id, 0]));
  for (const e of stub.events) if (e.id && e.id in counts) counts[e.id]!++;
  return counts;
}

const once = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, 1]));

/** Relays until none of `ids` is pending (other files' rows share the table). */
async function relayUntilPublished(ids: string[], relay: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++) {
    if ((await rowsOf(ids)).every((r) => r.status !== "pending")) return;
    await relay();
  }
  throw new Error("rows still pending after 10 relay runs");
}

describe("OutboxRelay with the real Inngest SDK", () => {
  it("publishes pending rows once, with the outbox row id as the event id", async () => {
    const ids = await enqueue(3);
    const relay = new OutboxRelay();
    await relayUntilPublished(ids, () => relay.relay());

    expect(deliveries(ids)).toEqual(once(ids));
    const events = stub.events.filter((e) => e.id && ids.includes(e.id));
    for (const e of events) {
      expect(e.name).toBe("tenant/workspace.created");
      expect(e.data).toMatchObject({ tenantId: tenant.tenantId, slug: tenant.slug });
    }
    for (const row of await rowsOf(ids)) {
      expect(row).toMatchObject({ status: "published", attempts: 1, lastError: null, publishedAt: expect.any(Date) });
    }

    await relay.relay();
    expect(deliveries(ids)).toEqual(once(ids));
  });

  it("keeps rows pending with back-off when the event API fails, and publishes them on a later run", async () => {
    const ids = await enqueue(2);
    let now = Date.now() + 1_000;
    const relay = new OutboxRelay(inngestPublisher, () => new Date(now));

    stub.failNextEvents(1_000); // the SDK retries a few times itself; all of them fail
    try {
      const result = await relay.relay();
      expect(result.published).toBe(0);
      expect(result.retried).toBeGreaterThanOrEqual(2);
    } finally {
      stub.failNextEvents(0);
    }
    const failedAt = now;
    for (const row of await rowsOf(ids)) {
      expect(row.status).toBe("pending");
      expect(row.attempts).toBe(1);
      expect(row.lastError).toBeTruthy();
      expect(row.availableAt.getTime()).toBe(failedAt + backoffMs(1));
    }
    expect(deliveries(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 0])));

    await relay.relay(); // same instant: still backing off
    expect((await rowsOf(ids)).map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 1],
      ["pending", 1],
    ]);

    now = failedAt + backoffMs(1);
    await relayUntilPublished(ids, () => relay.relay());
    for (const row of await rowsOf(ids)) expect(row).toMatchObject({ status: "published", attempts: 2, lastError: null });
    expect(deliveries(ids)).toEqual(once(ids));
  });

  it("marks a row failed after its tenth attempt", async () => {
    const [id] = await enqueue(1);
    await platformDb.run((tx) => tx.outboxEvent.update({ where: { id: id! }, data: { attempts: 9 } }));
    const failing: EventPublisher = async () => {
      throw new Error("event API down");
    };
    const now = Date.now() + 1_000;
    await relayUntilPublished([id!], () => new OutboxRelay(failing, () => new Date(now)).relay());
    expect((await rowsOf([id!]))[0]).toMatchObject({ status: "failed", attempts: 10, lastError: "event API down" });
  });

  it("publishes each row once when two relays run at the same time", async () => {
    const ids = await enqueue(25);
    await relayUntilPublished(ids, () => Promise.all([new OutboxRelay().relay(), new OutboxRelay().relay()]));
    expect(deliveries(ids)).toEqual(once(ids));
  });

  it("skips rows another relay holds (FOR UPDATE SKIP LOCKED) instead of publishing them twice", async () => {
    const ids = await enqueue(3);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const slow: EventPublisher = async (events) => {
      entered();
      await gate;
      await inngestPublisher(events);
    };
    const first = new OutboxRelay(slow).relay();
    await inside; // the first relay holds its rows' locks now
    const seenBySecond: string[] = [];
    await new OutboxRelay(async (events) => {
      seenBySecond.push(...events.map((e) => e.id));
      await inngestPublisher(events);
    }).relay();
    release();
    await first;
    // (the second relay may publish rows other test files queued meanwhile, never these)
    expect(seenBySecond.filter((id) => ids.includes(id))).toEqual([]);
    for (const row of await rowsOf(ids)) expect(row).toMatchObject({ status: "published", attempts: 1 });
    expect(deliveries(ids)).toEqual(once(ids));
  });
});

describe("CleanupService", () => {
  it("removes expired tokens, dead sessions, old throttle hits and old published events, and nothing fresh", async () => {
    const now = Date.now();
    const user = await createUser({ email: `cleanup-${randomUUID()}@example.test` });
    const token = (label: string, expiresAt: number) =>
      getDb().authToken.create({
        data: {
          kind: "password_reset",
          tokenHash: `${label}-${randomUUID()}`,
          userId: user.id,
          host: "x.localhost",
          expiresAt: new Date(expiresAt),
        },
      });
    const session = (expiresAt: number, revokedAt: number | null) =>
      getDb().userSession.create({
        data: { userId: user.id, host: "x.localhost", expiresAt: new Date(expiresAt), revokedAt: revokedAt ? new Date(revokedAt) : null },
      });
    const bucket = `cleanup-test:${randomUUID()}`;

    const tokens = {
      old: await token("old", now - 2 * DAY),
      recent: await token("recent", now - 3600_000),
      fresh: await token("fresh", now + 3600_000),
    };
    const sessions = {
      expired: await session(now - 60_000, null),
      longRevoked: await session(now + DAY, now - 31 * DAY),
      recentlyRevoked: await session(now + DAY, now - DAY),
      active: await session(now + DAY, null),
    };
    await getDb().rateLimitHit.createMany({
      data: [
        { bucket, createdAt: new Date(now - 2 * DAY) },
        { bucket, createdAt: new Date(now - 3600_000) },
      ],
    });
    const outbox = await platformDb.run(async (tx) => {
      const make = (status: "published" | "pending" | "failed", publishedAt: number | null) =>
        tx.outboxEvent.create({
          data: {
            tenantId: tenant.tenantId,
            name: "tenant/workspace.created",
            payload: { cleanup: true },
            status,
            publishedAt: publishedAt ? new Date(publishedAt) : null,
            createdAt: new Date(now - 40 * DAY),
            availableAt: new Date(now + 365 * DAY), // out of the relay's reach
          },
        });
      return {
        oldPublished: await make("published", now - 31 * DAY),
        recentPublished: await make("published", now - DAY),
        oldPending: await make("pending", null),
        oldFailed: await make("failed", null),
      };
    });

    const result = await new CleanupService().run();
    expect(result).toEqual({
      tokens: expect.any(Number),
      sessions: expect.any(Number),
      rateLimitHits: expect.any(Number),
      outboxEvents: expect.any(Number),
      rejectedWebhooks: expect.any(Number),
      jobRuns: expect.any(Number),
      unusedFiles: expect.any(Number),
      unusedFileBytes: expect.any(Number),
    });

    const tokenIds = (await getDb().authToken.findMany({ where: { userId: user.id }, select: { id: true } })).map((t) => t.id).sort();
    expect(tokenIds).toEqual([tokens.recent.id, tokens.fresh.id].sort());
    const sessionIds = (await getDb().userSession.findMany({ where: { userId: user.id }, select: { id: true } })).map((s) => s.id).sort();
    expect(sessionIds).toEqual([sessions.recentlyRevoked.id, sessions.active.id].sort());
    expect((await getDb().rateLimitHit.findMany({ where: { bucket } })).map((h) => h.createdAt.getTime())).toEqual([now - 3600_000]);
    const left = await platformDb.run((tx) =>
      tx.outboxEvent.findMany({ where: { id: { in: Object.values(outbox).map((o) => o.id) } }, select: { id: true } }),
    );
    expect(left.map((o) => o.id).sort()).toEqual([outbox.recentPublished.id, outbox.oldPending.id, outbox.oldFailed.id].sort());

    // idempotent: a second run removes none of what is left
    await new CleanupService().run();
    expect(await getDb().authToken.count({ where: { userId: user.id } })).toBe(2);
    expect(await getDb().userSession.count({ where: { userId: user.id } })).toBe(2);
  });
});

describe("CleanupService retention of dedupe keys and rejected callbacks", () => {
  it("keeps published events with a dedupe key for a year, drops plain ones after 30 days and rejected callbacks after 30 days", async () => {
    const DAY = 86_400_000;
    // the real clock: a clock in the future would clean up other test files' fresh rows too
    const now = new Date();
    const old = new Date(now.getTime() - 31 * DAY);
    const ancient = new Date(now.getTime() - 401 * DAY);
    const key = randomUUID();
    const rows = await platformDb.run(async (tx) => {
      const make = (publishedAt: Date, dedupeKey: string | null) =>
        tx.outboxEvent.create({
          data: { tenantId: null, name: "system/outbox.flush-requested", payload: {}, status: "published", publishedAt, dedupeKey },
          select: { id: true },
        });
      return {
        plainOld: await make(old, null),
        keyedOld: await make(old, `test:${key}:keyed`),
        keyedAncient: await make(ancient, `test:${key}:ancient`),
        rejectedOld: await tx.webhookEvent.create({
          data: {
            provider: "bakong",
            idempotencyKey: `rejected:${key}`,
            headers: {},
            rawBody: "{}",
            signatureValid: false,
            status: "ignored",
            receivedAt: old,
          },
          select: { id: true },
        }),
        validOld: await tx.webhookEvent.create({
          data: {
            provider: "bakong",
            idempotencyKey: `valid:${key}`,
            headers: {},
            rawBody: "{}",
            signatureValid: true,
            status: "processed",
            receivedAt: old,
          },
          select: { id: true },
        }),
      };
    });
    const result = await new CleanupService(() => now).run();
    expect(result.rejectedWebhooks).toBeGreaterThanOrEqual(1);
    const left = await platformDb.run(async (tx) => ({
      outbox: (
        await tx.outboxEvent.findMany({
          where: { id: { in: [rows.plainOld.id, rows.keyedOld.id, rows.keyedAncient.id] } },
          select: { id: true },
        })
      ).map((r) => r.id),
      webhooks: (
        await tx.webhookEvent.findMany({ where: { id: { in: [rows.rejectedOld.id, rows.validOld.id] } }, select: { id: true } })
      ).map((r) => r.id),
    }));
    expect(left.outbox).toEqual([rows.keyedOld.id]);
    expect(left.webhooks).toEqual([rows.validOld.id]);
  });
});

describe("runJobAsAdmin", () => {
  it("runs the job and writes an admin.job.run audit row with the result", async () => {
    const admin = await createUser({ email: `jobs-${randomUUID()}@phteah.test`, isPlatformAdmin: true });
    const meta = testMeta({ requestId: `req-${randomUUID()}` });
    const expired = await getDb().authToken.create({
      data: {
        kind: "login_handoff",
        tokenHash: randomUUID(),
        userId: admin.id,
        host: "localhost",
        expiresAt: new Date(Date.now() - 2 * DAY),
      },
    });

    const result = await runJobAsAdmin("cleanup", { userId: admin.id, email: admin.email }, meta);
    expect(result).toMatchObject({ tokens: expect.any(Number) });
    expect(await getDb().authToken.findUnique({ where: { id: expired.id } })).toBeNull();

    const audit = await platformDb.run((tx) => tx.auditLog.findMany({ where: { action: "admin.job.run", actorUserId: admin.id } }));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId: null,
      actorEmail: admin.email,
      targetType: "job",
      targetId: "cleanup",
      requestId: meta.requestId,
      ip: meta.ip,
      metadata: { result },
    });
  });
});

describe("Inngest functions (@inngest/test)", () => {
  const fn = (id: string) => {
    const f = functions.find((x) => x.opts.id === id);
    if (!f) throw new Error(`no Inngest function ${id}`);
    return f;
  };

  it("are registered under ids equal to their file names, on the jobs' schedules", () => {
    const scheduled = functions.filter((f) => (f.opts.triggers ?? []).some((t) => "cron" in t));
    // every job runs on its schedule, and every scheduled function is a job an admin can run by hand
    expect(scheduled.map((f) => f.opts.id).sort()).toEqual(Object.keys(JOBS).sort());
    for (const f of scheduled) {
      const schedule = JOBS[f.opts.id as keyof typeof JOBS].schedule;
      expect(f.opts.triggers, f.opts.id).toEqual(expect.arrayContaining([expect.objectContaining({ cron: schedule })]));
    }
  });

  it("cleanup runs the cleanup job in a step and returns its result", async () => {
    const user = await createUser({ email: `fn-cleanup-${randomUUID()}@example.test` });
    const expired = await getDb().authToken.create({
      data: {
        kind: "password_reset",
        tokenHash: randomUUID(),
        userId: user.id,
        host: "x.localhost",
        expiresAt: new Date(Date.now() - 2 * DAY),
      },
    });
    const { result, ctx } = await new InngestTestEngine({ function: fn("cleanup") }).execute();
    expect(result).toEqual({
      tokens: expect.any(Number),
      sessions: expect.any(Number),
      rateLimitHits: expect.any(Number),
      outboxEvents: expect.any(Number),
      rejectedWebhooks: expect.any(Number),
      jobRuns: expect.any(Number),
      unusedFiles: expect.any(Number),
      unusedFileBytes: expect.any(Number),
    });
    expect((result as { tokens: number }).tokens).toBeGreaterThanOrEqual(0);
    expect(ctx.step.run).toHaveBeenCalledWith("cleanup", expect.any(Function));
    expect(await getDb().authToken.findUnique({ where: { id: expired.id } })).toBeNull();
  });

  it("outbox-relay publishes pending rows through the SDK, on its cron and on a flush event", async () => {
    const first = await enqueue(2);
    const cron = await new InngestTestEngine({ function: fn("outbox-relay") }).execute();
    expect(cron.result).toMatchObject({ published: expect.any(Number), failed: 0 });
    expect(cron.ctx.step.run).toHaveBeenCalledWith("relay", expect.any(Function));

    const second = await enqueue(1);
    const flush = await new InngestTestEngine({
      function: fn("outbox-relay"),
      events: [{ name: "system/outbox.flush-requested", data: { tenantId: null } }],
    }).execute();
    expect(flush.result).toMatchObject({ published: expect.any(Number) });
    expect((flush.result as { published: number }).published).toBeGreaterThanOrEqual(1);

    const ids = [...first, ...second];
    for (const row of await rowsOf(ids)) expect(row.status).toBe("published");
    expect(deliveries(ids)).toEqual(once(ids));
  });
});

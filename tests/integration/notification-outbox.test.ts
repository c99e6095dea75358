// The outbox as the notifications' last safety net, with the real Inngest and Resend SDKs both
// pointed at the local vendor stub: a message is queued (its outbox event written in the same
// transaction) while the Inngest event API is down and nothing sends it at commit time; the relay
// keeps the event pending with back-off, the outbox-relay cron publishes it once the API is back,
// and the event Inngest receives runs message-send, which sends the e-mail once.
//
// The Inngest client reads INNGEST_BASE_URL when it is constructed: the stub is started and the
// environment set before anything that loads it is imported (dynamic imports in beforeAll).
// The relay works across tenants; like notification-pipeline.test.ts (which uses 15 Jan 2000),
// this file moves its own rows into the past — March 2001, after that file's era, so its relay
// never sees these rows — and runs the relay on a clock set there, so only its rows are due.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { InngestTestEngine as Engine } from "@inngest/test";
import { validateEnv } from "@/env";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { createTenant, uniqueSlug } from "@/server/testing/factories";
import { startVendorStub, type VendorStub } from "@/server/testing/stubs";

let stub: VendorStub;
let InngestTestEngine: typeof Engine;
let outbox: typeof import("@/server/core/outbox-relay.jobs");
let queueMessage: typeof import("@/server/notifications/queue").queueMessage;
let functions: typeof import("@/inngest/index").functions;

const ERA = new Date("2001-03-01T00:00:00Z");

beforeAll(async () => {
  stub = await startVendorStub();
  process.env.INNGEST_BASE_URL = stub.url;
  process.env.INNGEST_EVENT_KEY = "test-event-key";
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = stub.url;
  validateEnv();
  outbox = await import("@/server/core/outbox-relay.jobs");
  ({ queueMessage } = await import("@/server/notifications/queue"));
  ({ functions } = await import("@/inngest/index"));
  ({ InngestTestEngine } = await import("@inngest/test"));
});

afterAll(async () => {
  vi.useRealTimers();
  for (const key of ["INNGEST_BASE_URL", "INNGEST_EVENT_KEY", "RESEND_API_KEY", "RESEND_BASE_URL"]) delete process.env[key];
  validateEnv();
  await stub?.close();
});

const fn = (id: string) => {
  const f = functions.find((x) => x.opts.id === id);
  if (!f) throw new Error(`no Inngest function ${id}`);
  return f;
};

describe("outbox relay as the notifications' safety net", () => {
  it("an event written while the Inngest event API is down is published by the relay cron later and becomes a sent message", async () => {
    const t = await createTenant({ slug: uniqueSlug("nobx"), name: "Outbox Flats" });
    const to = `renter-${t.slug}@example.test`;
    // queued like any service does it; the process "stops" before deliverSoon
    const { id: messageId, created } = await new TenantDb(t.tenantId).run((tx) =>
      queueMessage(tx, {
        tenantId: t.tenantId,
        key: "rent.reminder",
        to,
        locale: "en",
        variables: {
          workspace: "Outbox Flats",
          renter: "Sok Dara",
          number: "R-1",
          amount: "$180.00",
          due: "5 Dec 2026",
          payLink: `http://${t.slug}.localhost:3000/pay/abc`,
        },
        dedupeKey: `outbox-test:${t.slug}`,
      }),
    );
    expect(created).toBe(true);
    const eventRow = () =>
      platformDb.run((tx) =>
        tx.outboxEvent.findFirstOrThrow({
          where: { tenantId: t.tenantId, name: "notifications/message.queued", payload: { path: ["messageId"], equals: messageId } },
        }),
      );
    const written = await eventRow();
    expect(written).toMatchObject({ status: "pending", attempts: 0 });
    // this file's rows only: due in March 2001
    await platformDb.run((tx) =>
      tx.outboxEvent.update({ where: { id: written.id }, data: { availableAt: new Date(ERA.getTime() - 60_000) } }),
    );

    // the relay runs while the event API is down (the SDK's own retries all fail too)
    stub.failNextEvents(1_000);
    try {
      const down = await new outbox.OutboxRelay(outbox.inngestPublisher, () => ERA).relay();
      expect(down).toMatchObject({ published: 0, failed: 0 });
      expect(down.retried).toBeGreaterThanOrEqual(1);
    } finally {
      stub.failNextEvents(0);
    }
    const pending = await eventRow();
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    expect(pending.lastError).toBeTruthy();
    expect(pending.availableAt).toEqual(new Date(ERA.getTime() + outbox.backoffMs(1)));
    expect(stub.events.filter((e) => e.id === written.id)).toHaveLength(0);
    expect(stub.emails.filter((e) => e.to.includes(to))).toHaveLength(0);
    const untouched = await new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.findFirstOrThrow({ where: { id: messageId } }));
    expect(untouched).toMatchObject({ status: "queued", attempts: 0 });

    // the API is back; the outbox-relay cron (Inngest function → JOBS["outbox-relay"]) runs once the back-off is over
    vi.useFakeTimers({ toFake: ["Date"], now: ERA.getTime() + outbox.backoffMs(1) });
    let cron: Awaited<ReturnType<Engine["execute"]>>;
    try {
      cron = await new InngestTestEngine({ function: fn("outbox-relay") }).execute();
    } finally {
      vi.useRealTimers();
    }
    expect(cron.ctx.step.run).toHaveBeenCalledWith("relay", expect.any(Function));
    // (≥: another file's row could be due in the same instant; this file's row is checked below)
    expect((cron.result as { published: number }).published).toBeGreaterThanOrEqual(1);
    expect(await eventRow()).toMatchObject({ status: "published", attempts: 2, lastError: null });
    const received = stub.events.filter((e) => e.id === written.id);
    expect(received).toEqual([
      expect.objectContaining({ id: written.id, name: "notifications/message.queued", data: { tenantId: t.tenantId, messageId } }),
    ]);

    // what Inngest does with the event it received: run message-send (twice: a replay changes nothing)
    for (let i = 0; i < 2; i++) {
      const run = await new InngestTestEngine({ function: fn("message-send"), events: [received[0]!] as never }).execute();
      expect(run.result).toEqual({ status: "sent" });
    }
    const sent = await new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.findFirstOrThrow({ where: { id: messageId } }));
    expect(sent).toMatchObject({ status: "sent", attempts: 1, provider: "resend", lastError: null });
    const mails = stub.emails.filter((e) => e.to.includes(to));
    expect(mails).toHaveLength(1);
    expect(sent.providerId).toBe(mails[0]!.id);
    expect(mails[0]!.tags).toMatchObject({ kind: "rent_reminder", message_id: messageId });

    // a later relay run has nothing of this message left to publish
    await new outbox.OutboxRelay(outbox.inngestPublisher, () => new Date(ERA.getTime() + 3600_000)).relay();
    expect(stub.events.filter((e) => e.id === written.id)).toHaveLength(1);
  });
});

// The message pipeline end to end, with the real Resend SDK pointed at the local vendor stub
// (RESEND_BASE_URL): queue → sender (claim, suppression, quota, render, channel) → sent, the
// back-off on provider failures, dedupe keys, racing senders, the outbox relay as a safety net,
// and the Inngest functions message-send and message-retry through @inngest/test.
//
// Test files run in parallel against one database. The retry job and the outbox relay work
// across tenants, so where this file runs them it moves its own rows into the year 2000 and runs
// them on a clock set there: only these rows are due, nobody else's message is sent from here.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { Resend } from "resend";
import { validateEnv } from "@/env";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import type { MessageKey } from "@/lib/notifications/catalog";
import { deliverSoon, flushDeliveries, queueMessage, requeueMessage } from "@/server/notifications/queue";
import { BACKOFF_MS, MAX_ATTEMPTS, MessageSender, QUOTA_EXCEEDED, SENDING_LEASE_MS, quotaLockKey } from "@/server/notifications/sender";
import { monthBounds } from "@/lib/dates";
import { suppress } from "@/server/notifications/suppression";
import { MessageRetryService } from "@/server/notifications/message-retry.jobs";
import { BillingNotifier } from "@/server/subscriptions/billing-notifier.jobs";
import { OutboxRelay, type PublishedEvent } from "@/server/core/outbox-relay.jobs";
import { JOBS } from "@/server/ops/jobs.admin";
import { messageSend } from "@/inngest/functions/message-send";
import { messageRetry } from "@/inngest/functions/message-retry";
import { createTenant, issueRenewalInvoice, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { startVendorStub, type VendorStub } from "@/server/testing/stubs";
import { hostOf, signedIn } from "./support/world";
import { manualClock } from "./support/team";

let stub: VendorStub;

beforeAll(async () => {
  stub = await startVendorStub();
  // the Resend transport reads the environment when it sends its first message
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = stub.url;
  validateEnv();
});

afterEach(async () => {
  await flushDeliveries();
  stub.failNextEmails(0);
  vi.useRealTimers();
});

afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  validateEnv();
  await stub?.close();
});

const Y2K = new Date("2000-01-15T00:00:00Z");

const emailsTo = (to: string) => stub.emails.filter((e) => e.to.includes(to));

async function tenant(prefix: string, plan = "pro"): Promise<CreatedTenant> {
  return createTenant({ slug: uniqueSlug(prefix), name: `Pipeline ${prefix}`, subscription: { plan } });
}

let seq = 0;
/** Queues one message (nothing sends it yet) and returns its id and address. */
async function queued(
  t: CreatedTenant,
  over: { key?: MessageKey; to?: string; variables?: Record<string, string>; dedupeKey?: string } = {},
): Promise<{ id: string; to: string }> {
  const to = over.to ?? `renter-${++seq}-${t.slug}@example.test`;
  const { id, created } = await new TenantDb(t.tenantId).run((tx) =>
    queueMessage(tx, {
      tenantId: t.tenantId,
      key: over.key ?? "rent.reminder",
      to,
      locale: "en",
      variables: over.variables ?? {
        workspace: `Pipeline ${t.slug}`,
        renter: "Chan Sreyneang",
        number: `R-${seq}`,
        amount: "$180.00",
        due: "5 Dec 2026",
        payLink: `http://${hostOf(t.slug)}:3000/pay/abc`,
      },
      dedupeKey: over.dedupeKey ?? `test:${seq}:${t.slug}`,
    }),
  );
  expect(created).toBe(true);
  return { id, to };
}

const row = (t: CreatedTenant, id: string) => new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.findFirstOrThrow({ where: { id } }));

/** Moves a message's due time into the year 2000 (see the note at the top). */
const dueIn2000 = (id: string) =>
  platformDb.run((tx) => tx.outboundMessage.update({ where: { id }, data: { nextAttemptAt: new Date(Y2K.getTime() - 60_000) } }));

describe("queueMessage", () => {
  it("writes one message per dedupe key, with an outbox event only for the first", async () => {
    const t = await tenant("pq");
    const first = await queued(t, { dedupeKey: "rent-reminder:inv-1:D+1" });
    const again = await new TenantDb(t.tenantId).run((tx) =>
      queueMessage(tx, {
        tenantId: t.tenantId,
        key: "rent.reminder",
        to: "someone-else@example.test",
        locale: "km",
        variables: {},
        dedupeKey: "rent-reminder:inv-1:D+1",
      }),
    );
    expect(again).toEqual({ id: first.id, created: false });
    expect(await row(t, first.id)).toMatchObject({ status: "queued", attempts: 0, to: first.to, locale: "en", key: "rent.reminder" });
    const events = await new TenantDb(t.tenantId).run((tx) =>
      tx.outboxEvent.findMany({ where: { name: "notifications/message.queued", payload: { path: ["messageId"], equals: first.id } } }),
    );
    expect(events.map((e) => e.payload)).toEqual([{ tenantId: t.tenantId, messageId: first.id }]);
  });

  it("refuses variables the catalog does not declare, and writes nothing", async () => {
    const t = await tenant("pqv");
    await expect(
      new TenantDb(t.tenantId).run((tx) =>
        queueMessage(tx, {
          tenantId: t.tenantId,
          key: "rent.reminder",
          to: "x@example.test",
          locale: "en",
          variables: { typo: "1" },
          dedupeKey: "v",
        }),
      ),
    ).rejects.toThrow(/undeclared variables typo/);
    expect(await new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.count())).toBe(0);
  });

  it("leaves nothing behind when the caller's transaction rolls back", async () => {
    const t = await tenant("pqr");
    await expect(
      new TenantDb(t.tenantId).run(async (tx) => {
        await queueMessage(tx, {
          tenantId: t.tenantId,
          key: "billing.reactivated",
          to: "x@example.test",
          locale: "en",
          variables: { workspace: "W", link: "http://x.test/" },
          dedupeKey: "rolled-back",
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const left = await new TenantDb(t.tenantId).run(async (tx) => ({
      messages: await tx.outboundMessage.count(),
      events: await tx.outboxEvent.count({ where: { name: "notifications/message.queued" } }),
    }));
    expect(left).toEqual({ messages: 0, events: 0 });
  });
});

describe("MessageSender through the real Resend SDK", () => {
  it("retries a failing provider with back-off (30 s, 2 min) and sends once on the third attempt", async () => {
    const t = await tenant("pretry");
    const { id, to } = await queued(t);
    const start = Date.now() + 1_000;
    const clock = manualClock(start);
    const sender = new MessageSender(clock);
    stub.failNextEmails(2);

    expect(await sender.send(id, t.tenantId)).toBe("queued");
    expect(await row(t, id)).toMatchObject({
      status: "queued",
      attempts: 1,
      nextAttemptAt: new Date(start + 30_000),
      lastError: expect.stringContaining("internal_server_error"),
    });
    // not due yet: no attempt, nothing sent
    clock.advance(29_999);
    expect(await sender.send(id, t.tenantId)).toBe("queued");
    expect((await row(t, id)).attempts).toBe(1);

    clock.advance(1);
    expect(await sender.send(id, t.tenantId)).toBe("queued");
    expect(await row(t, id)).toMatchObject({ attempts: 2, nextAttemptAt: new Date(start + 30_000 + 120_000) });
    clock.advance(119_999);
    expect(await sender.send(id, t.tenantId)).toBe("queued");
    expect(emailsTo(to)).toEqual([]);

    clock.advance(1);
    expect(await sender.send(id, t.tenantId)).toBe("sent");
    expect(stub.emailFailuresServed).toBeGreaterThanOrEqual(2);
    const mails = emailsTo(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      subject: expect.stringContaining("Reminder: rent invoice"),
      tags: { kind: "rent_reminder", message_id: id },
      idempotencyKey: id,
    });
    expect(mails[0]!.text).toContain(`http://${hostOf(t.slug)}:3000/pay/abc`);
    expect(await row(t, id)).toMatchObject({
      status: "sent",
      attempts: 3,
      lastError: null,
      provider: "resend",
      providerId: mails[0]!.id,
      sentAt: clock(),
      subject: mails[0]!.subject,
      bodyText: expect.stringContaining("Chan Sreyneang"),
    });

    // sent is final for the sender
    expect(await sender.send(id, t.tenantId)).toBe("sent");
    expect(emailsTo(to)).toHaveLength(1);
  });

  it("gives up after five attempts, waiting 30 s, 2, 8 and 32 minutes in between", async () => {
    const t = await tenant("pfail");
    const { id, to } = await queued(t);
    const clock = manualClock(Date.now() + 1_000);
    const sender = new MessageSender(clock);
    stub.failNextEmails(MAX_ATTEMPTS);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const status = await sender.send(id, t.tenantId);
      const r = await row(t, id);
      expect(r.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(status).toBe("queued");
        waits.push(r.nextAttemptAt.getTime() - clock().getTime());
        clock.advance(r.nextAttemptAt.getTime() - clock().getTime());
      } else {
        expect(status).toBe("failed");
        expect(r).toMatchObject({ status: "failed", lastError: expect.stringContaining("stub failure"), sentAt: null });
      }
    }
    expect(waits).toEqual([...BACKOFF_MS]);
    expect(emailsTo(to)).toEqual([]);
    clock.advance(3600_000);
    expect(await sender.send(id, t.tenantId)).toBe("failed");
    expect((await row(t, id)).attempts).toBe(MAX_ATTEMPTS);
  });

  it("fails at once when the provider refuses the message itself (422)", async () => {
    const t = await tenant("p422");
    const { id } = await queued(t);
    stub.failNextEmails(1, 422);
    expect(await new MessageSender().send(id, t.tenantId)).toBe("failed");
    expect(await row(t, id)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("validation_error") });
  });

  it("two senders racing on one message send one e-mail", async () => {
    const t = await tenant("prace");
    const { id, to } = await queued(t);
    const statuses = await Promise.all([
      new MessageSender().send(id, t.tenantId),
      new MessageSender().send(id, t.tenantId),
      new MessageSender().send(id, t.tenantId),
    ]);
    expect(statuses).toContain("sent");
    expect(statuses.every((s) => s === "sent" || s === "sending")).toBe(true);
    expect(emailsTo(to)).toHaveLength(1);
    expect(await row(t, id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("takes over a send whose sender died, without a second e-mail (lease + idempotency key)", async () => {
    const t = await tenant("plase");
    const { id, to } = await queued(t);
    // a sender claimed it, handed it to Resend, and died before recording anything
    const first = await new Resend("re_test_key", { baseUrl: stub.url }).emails.send(
      { from: "x@phteah.test", to, subject: "first", text: "first", html: "<p>first</p>" },
      { idempotencyKey: id },
    );
    const claimedAt = Date.now();
    await new TenantDb(t.tenantId).run((tx) =>
      tx.outboundMessage.update({
        where: { id },
        data: { status: "sending", attempts: 1, nextAttemptAt: new Date(claimedAt + SENDING_LEASE_MS) },
      }),
    );
    const clock = manualClock(claimedAt + 1_000);
    expect(await new MessageSender(clock).send(id, t.tenantId)).toBe("sending"); // still leased
    clock.advance(SENDING_LEASE_MS);
    expect(await new MessageSender(clock).send(id, t.tenantId)).toBe("sent");
    expect(emailsTo(to)).toHaveLength(1);
    expect(await row(t, id)).toMatchObject({ status: "sent", attempts: 2, providerId: first.data!.id });
  });

  it("does not send to a suppressed address: the message ends suppressed", async () => {
    const t = await tenant("psupp");
    const to = `bounced-${t.slug}@example.test`;
    await new TenantDb(t.tenantId).run((tx) => suppress(tx, { tenantId: t.tenantId, channel: "email", address: to, reason: "bounced" }));
    const { id } = await queued(t, { to: to.toUpperCase() });
    expect(await new MessageSender().send(id, t.tenantId)).toBe("suppressed");
    expect(emailsTo(to)).toEqual([]);
    expect(await row(t, id)).toMatchObject({ status: "suppressed", to, sentAt: null, providerId: null });
  });

  it("drops a sensitive message's secret variables once sent and keeps the link out of the log", async () => {
    const t = await tenant("psens");
    const token = `tok_${"s".repeat(40)}`;
    const link = `http://${hostOf(t.slug)}:3000/invite?token=${token}`;
    const { id, to } = await queued(t, {
      key: "team.invitation",
      variables: { workspace: "Sokha", inviter: "Dara", role: "Manager", link, days: "7" },
    });
    expect((await row(t, id)).variables).toMatchObject({ link });
    expect(await new MessageSender().send(id, t.tenantId)).toBe("sent");
    const [mail] = emailsTo(to);
    expect(mail!.text).toContain(link);
    expect(mail!.html).toContain(`href="${link}"`);
    const r = await row(t, id);
    // the link is gone; what explains the entry stays
    expect(r.variables).toEqual({ workspace: "Sokha", inviter: "Dara", role: "Manager", days: "7" });
    expect(r.bodyText).toContain("[hidden]");
    expect(r.bodyText).toContain("Dara invited you to join Sokha as Manager.");
    expect(JSON.stringify(r)).not.toContain(token);
  });

  it("a failed message retried by hand goes out again (requeueMessage + deliverSoon)", async () => {
    const t = await tenant("preq");
    const { id, to } = await queued(t);
    stub.failNextEmails(1, 422);
    expect(await new MessageSender().send(id, t.tenantId)).toBe("failed");
    expect(await new TenantDb(t.tenantId).run((tx) => requeueMessage(tx, id))).toEqual({ id, tenantId: t.tenantId });
    expect(await row(t, id)).toMatchObject({ status: "queued", attempts: 0, lastError: null });
    deliverSoon([id]);
    await flushDeliveries();
    expect(emailsTo(to)).toHaveLength(1);
    expect(await row(t, id)).toMatchObject({ status: "sent", attempts: 1 });
    // only failed (bounced …) messages can be requeued
    expect(await new TenantDb(t.tenantId).run((tx) => requeueMessage(tx, id))).toBeNull();
  });
});

describe("monthly quota (plan limit messagesPerMonth)", () => {
  it("a Free workspace over its messages this month: the next one fails with 'quota exceeded'; PlanGate shows the usage", async () => {
    const t = await tenant("pquota", "free");
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    const before = await owner.billing.overview();
    expect(before.plan.limits.messagesPerMonth).toBe(50);
    expect(before.usage.messagesPerMonth).toBe(0);

    const now = new Date();
    const { start } = monthBounds(now, "Asia/Phnom_Penh");
    await new TenantDb(t.tenantId).run((tx) =>
      tx.outboundMessage.createMany({
        data: [
          ...Array.from({ length: 49 }, (_, i) => ({
            tenantId: t.tenantId,
            key: "rent.reminder",
            locale: "en",
            to: `r${i}@example.test`,
            dedupeKey: `old:${i}`,
            variables: {},
            status: (i % 7 === 0 ? "bounced" : "delivered") as "bounced" | "delivered",
            sentAt: now,
          })),
          // last month's do not count, nor platform e-mails (billing, password resets)
          {
            tenantId: t.tenantId,
            key: "rent.reminder",
            locale: "en",
            to: "l@example.test",
            dedupeKey: "last-month",
            variables: {},
            status: "sent" as const,
            sentAt: new Date(start.getTime() - 1),
          },
          {
            tenantId: t.tenantId,
            key: "billing.past_due",
            locale: "en",
            to: "b@example.test",
            dedupeKey: "billing",
            variables: {},
            status: "sent" as const,
            sentAt: now,
          },
          {
            tenantId: t.tenantId,
            key: "auth.password_reset",
            locale: "en",
            to: "a@example.test",
            dedupeKey: "auth",
            variables: {},
            status: "sent" as const,
            sentAt: now,
          },
        ],
      }),
    );
    expect((await owner.billing.overview()).usage.messagesPerMonth).toBe(49);

    const fiftieth = await queued(t);
    expect(await new MessageSender().send(fiftieth.id, t.tenantId)).toBe("sent");
    const entitlements = await owner.billing.entitlements();
    expect(entitlements.usage.messagesPerMonth).toBe(50);
    expect(entitlements.upgradeFor).toHaveProperty("messagesPerMonth", "Starter");

    const over = await queued(t);
    expect(await new MessageSender().send(over.id, t.tenantId)).toBe("failed");
    expect(await row(t, over.id)).toMatchObject({ status: "failed", attempts: 1, lastError: QUOTA_EXCEEDED });
    expect(emailsTo(over.to)).toEqual([]);
    expect((await owner.billing.overview()).usage.messagesPerMonth).toBe(50);

    // the workspace's own account e-mails still go out
    const billing = await queued(t, { key: "billing.reactivated", variables: { workspace: "W", link: "http://x.test/billing" } });
    expect(await new MessageSender().send(billing.id, t.tenantId)).toBe("sent");
  });

  it("messages racing for the last one of the month: exactly one goes out", async () => {
    const t = await tenant("pqrace", "free");
    await new TenantDb(t.tenantId).run((tx) =>
      tx.outboundMessage.createMany({
        data: Array.from({ length: 49 }, (_, i) => ({
          tenantId: t.tenantId,
          key: "rent.reminder",
          locale: "en",
          to: `r${i}@example.test`,
          dedupeKey: `old:${i}`,
          variables: {},
          status: "sent" as const,
          sentAt: new Date(),
        })),
      }),
    );
    const racing = [];
    for (let i = 0; i < 6; i++) racing.push(await queued(t));
    const statuses = await Promise.all(racing.map((m) => new MessageSender().send(m.id, t.tenantId)));
    expect(statuses.sort()).toEqual(["failed", "failed", "failed", "failed", "failed", "sent"]);
    expect(racing.reduce((n, m) => n + emailsTo(m.to).length, 0)).toBe(1);
  });

  it("decides one message at a time: a send in flight elsewhere takes the last one", async () => {
    const t = await tenant("pqlock", "free");
    await new TenantDb(t.tenantId).run((tx) =>
      tx.outboundMessage.createMany({
        data: Array.from({ length: 49 }, (_, i) => ({
          tenantId: t.tenantId,
          key: "rent.reminder",
          locale: "en",
          to: `r${i}@example.test`,
          dedupeKey: `old:${i}`,
          variables: {},
          status: "sent" as const,
          sentAt: new Date(),
        })),
      }),
    );
    const elsewhere = await queued(t);
    const mine = await queued(t);
    // another sender (another process) is deciding about `elsewhere`: it holds the tenant's quota lock
    let locked!: () => void;
    let release!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const other = new TenantDb(t.tenantId).run(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${quotaLockKey(t.tenantId)}))`;
      locked();
      await released;
      await tx.outboundMessage.update({ where: { id: elsewhere.id }, data: { status: "sending", attempts: 1 } });
    });
    await lockTaken;
    const sending = new MessageSender().send(mine.id, t.tenantId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    await other;
    // it waited for the other decision and counted its message: 49 sent + 1 being sent
    expect(await sending).toBe("failed");
    expect(await row(t, mine.id)).toMatchObject({ status: "failed", lastError: QUOTA_EXCEEDED });
    expect(emailsTo(mine.to)).toEqual([]);
  });

  it("counts calendar months in the workspace's time zone", () => {
    // 00:30 on 1 April in Phnom Penh (UTC+7) is still 31 March in UTC
    expect(monthBounds(new Date("2026-03-31T17:30:00Z"), "Asia/Phnom_Penh")).toEqual({
      start: new Date("2026-03-31T17:00:00Z"),
      end: new Date("2026-04-30T17:00:00Z"),
    });
    expect(monthBounds(new Date("2026-12-31T16:59:59Z"), "Asia/Phnom_Penh")).toEqual({
      start: new Date("2026-11-30T17:00:00Z"),
      end: new Date("2026-12-31T17:00:00Z"),
    });
  });
});

describe("billing e-mails on the pipeline", () => {
  it("two concurrent triggers of the same reminder queue one message and send one e-mail", async () => {
    const t = await tenant("prem");
    const invoice = (await issueRenewalInvoice(t.tenantId))!;
    const notifier = new BillingNotifier();
    const results = await Promise.all([
      notifier.reminder(invoice.id, -3),
      notifier.reminder(invoice.id, -3),
      notifier.reminder(invoice.id, -3),
    ]);
    expect(results.map((r) => r.queued).sort()).toEqual([0, 0, 1]);
    await flushDeliveries();
    const mails = emailsTo(t.owner.email).filter((m) => m.tags.kind === "billing_invoice_reminder");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(
      `Reminder: invoice ${invoice.number} is due on ${new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "Asia/Phnom_Penh" }).format(invoice.dueAt)}`,
    );
    const messages = await new TenantDb(t.tenantId).run((tx) =>
      tx.outboundMessage.findMany({ where: { dedupeKey: { startsWith: `billing-reminder:${invoice.id}:` } } }),
    );
    expect(messages.map((m) => [m.dedupeKey, m.key, m.status])).toEqual([
      [`billing-reminder:${invoice.id}:-3:${t.owner.userId}`, "billing.invoice_reminder", "sent"],
    ]);
    // from the due date on, the same invoice gets an overdue notice (another key)
    expect(await notifier.reminder(invoice.id, 1)).toEqual({ queued: 1 });
    await flushDeliveries();
    expect(emailsTo(t.owner.email).filter((m) => m.tags.kind === "billing_invoice_overdue")).toHaveLength(1);
  });
});

describe("safety nets", () => {
  it("the outbox relay delivers 'notifications/message.queued' for a message nobody sent at commit time", async () => {
    const t = await tenant("pobx");
    const { id, to } = await queued(t); // the process "stopped" here: no deliverSoon
    await platformDb.run((tx) =>
      tx.outboxEvent.updateMany({
        where: { name: "notifications/message.queued", payload: { path: ["messageId"], equals: id } },
        data: { availableAt: new Date(Y2K.getTime() - 60_000) },
      }),
    );
    const published: PublishedEvent[] = [];
    const publisher = async (events: PublishedEvent[]) => {
      published.push(...events);
      // what Inngest does with them: run message-send
      for (const e of events) {
        if (e.name !== "notifications/message.queued") continue;
        await new InngestTestEngine({ function: messageSend, events: [{ name: e.name, data: e.data }] as never }).execute();
      }
    };
    const result = await new OutboxRelay(publisher, () => Y2K).relay();
    expect(result).toMatchObject({ published: 1, failed: 0 });
    expect(published).toEqual([
      { id: expect.any(String), name: "notifications/message.queued", data: { tenantId: t.tenantId, messageId: id } },
    ]);
    expect(emailsTo(to)).toHaveLength(1);
    expect((await row(t, id)).status).toBe("sent");
  });

  it("message-send (@inngest/test) sends a queued message once, however often the event comes", async () => {
    const t = await tenant("pfn");
    const { id, to } = await queued(t);
    const run = () =>
      new InngestTestEngine({
        function: messageSend,
        events: [{ name: "notifications/message.queued", data: { tenantId: t.tenantId, messageId: id } }],
      }).execute();
    const first = await run();
    expect(first.result).toEqual({ status: "sent" });
    expect(first.ctx.step.run).toHaveBeenCalledWith("send", expect.any(Function));
    expect((await run()).result).toEqual({ status: "sent" });
    expect(emailsTo(to)).toHaveLength(1);

    const missing = await new InngestTestEngine({
      function: messageSend,
      events: [{ name: "notifications/message.queued", data: { tenantId: t.tenantId, messageId: "0196a7e1-0000-7000-8000-000000000000" } }],
    }).execute();
    expect(missing.error).toMatchObject({ message: "message not found" });
  });

  it("message-retry (@inngest/test) runs the job on its schedule and sends what is due", async () => {
    expect(messageRetry.opts.triggers).toEqual(expect.arrayContaining([expect.objectContaining({ cron: JOBS["message-retry"].schedule })]));
    const t = await tenant("pcron");
    const failedOnce = await queued(t);
    const neverSent = await queued(t);
    await dueIn2000(failedOnce.id);
    await dueIn2000(neverSent.id);
    stub.failNextEmails(1);
    expect(await new MessageSender(() => Y2K).send(failedOnce.id, t.tenantId)).toBe("queued");
    expect((await row(t, failedOnce.id)).nextAttemptAt).toEqual(new Date(Y2K.getTime() + BACKOFF_MS[0]));

    vi.useFakeTimers({ toFake: ["Date"], now: Y2K.getTime() + BACKOFF_MS[0] });
    const { result, ctx } = await new InngestTestEngine({ function: messageRetry }).execute();
    vi.useRealTimers();
    expect(ctx.step.run).toHaveBeenCalledWith("send-due", expect.any(Function));
    expect(result).toEqual({ due: 2, sent: 2 });
    expect(emailsTo(failedOnce.to)).toHaveLength(1);
    expect(emailsTo(neverSent.to)).toHaveLength(1);
    expect(await row(t, failedOnce.id)).toMatchObject({ status: "sent", attempts: 2 });

    // nothing left: a second run sends nothing
    expect(await new MessageRetryService(() => new Date(Y2K.getTime() + BACKOFF_MS[0])).sendDue()).toEqual({ due: 0 });
  });
});

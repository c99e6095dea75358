// Resend webhooks (app/api/webhooks/resend/route.ts → ResendWebhookService) against the real
// database: messages queued with queueMessage and sent with MessageSender, then Resend's
// delivery events signed the Svix way. Signatures, bounces and complaints feeding the
// suppression list (which the next send respects), deliveries, duplicates and the admin replay.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// eslint-disable-next-line no-restricted-imports -- the tests call the route handler itself
import { POST as resendRoute } from "@/app/api/webhooks/resend/route";
import { validateEnv } from "@/env";
import { MESSAGE_CATALOG } from "@/lib/notifications/catalog";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { setMailTransportForTests, type MailMessage } from "@/server/notifications/mail";
import { signResendWebhook } from "@/server/notifications/resend-signature";
import { queueMessage } from "@/server/notifications/queue";
import { MessageSender } from "@/server/notifications/sender";
import { AdminWebhookService } from "@/server/payments/webhooks.admin";
import { ResendWebhookService } from "@/server/notifications/resend-webhook.public";
import { createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { testMeta } from "./support/meta";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

// a transport of our own: provider ids unique across the files sharing the database
const sent: MailMessage[] = [];
beforeAll(() => {
  process.env.RESEND_WEBHOOK_SECRET = SECRET;
  validateEnv();
  setMailTransportForTests({
    name: "resend",
    async send(message) {
      sent.push(message);
      return { id: `re-${randomUUID()}` };
    },
  });
});
afterAll(() => {
  delete process.env.RESEND_WEBHOOK_SECRET;
  validateEnv();
  setMailTransportForTests(undefined);
});

interface Delivery {
  raw: string;
  headers: Headers;
  svixId: string;
}

function signed(payload: unknown, opts: { svixId?: string; atMs?: number; secret?: string; names?: "svix" | "webhook" } = {}): Delivery {
  const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
  const svixId = opts.svixId ?? `msg_${randomUUID()}`;
  const ts = Math.floor((opts.atMs ?? Date.now()) / 1000);
  const prefix = opts.names ?? "svix";
  const headers = new Headers({
    "content-type": "application/json",
    "user-agent": "Svix-Webhooks/1.0",
    [`${prefix}-id`]: svixId,
    [`${prefix}-timestamp`]: String(ts),
    [`${prefix}-signature`]: signResendWebhook(opts.secret ?? SECRET, { id: svixId, timestampSec: ts, rawBody: raw }),
  });
  return { raw, headers, svixId };
}

async function post(d: Delivery): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await resendRoute(
    new Request("http://localhost:3000/api/webhooks/resend", { method: "POST", headers: d.headers, body: d.raw }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A Resend event as Resend sends it. */
function event(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from: "Phteah <no-reply@phteah.test>",
      to: [to],
      subject: "x",
      ...extra,
    },
  };
}

const BOUNCE = {
  bounce: { type: "Permanent", subType: "General", message: "The recipient's mail server permanently rejected the email." },
};

async function queueInvitation(t: CreatedTenant, to: string) {
  return new TenantDb(t.tenantId).run((tx) =>
    queueMessage(tx, {
      tenantId: t.tenantId,
      key: "team.invitation",
      to,
      locale: "en",
      variables: { ...MESSAGE_CATALOG["team.invitation"].sample },
      dedupeKey: `test:${randomUUID()}`,
    }),
  );
}

/** A fresh workspace and one invitation e-mail to a mixed-case address, sent (status "sent", a provider id). */
async function sentMessage(prefix: string) {
  const t = await createTenant({ slug: uniqueSlug(prefix) });
  const to = `Renter.${randomInt(1e9)}@${t.slug}.test`;
  const { id } = await queueInvitation(t, to);
  expect(await new MessageSender().send(id, t.tenantId)).toBe("sent");
  const message = await messageRow(t.tenantId, id);
  expect(message.providerId).toMatch(/^re-/);
  return { t, to, message, emailId: message.providerId! };
}

function messageRow(tenantId: string, id: string) {
  return new TenantDb(tenantId).run((tx) => tx.outboundMessage.findUniqueOrThrow({ where: { id } }));
}

function suppressions(tenantId: string) {
  return new TenantDb(tenantId).run((tx) => tx.suppressedAddress.findMany());
}

function auditOf(tenantId: string, action: string) {
  return new TenantDb(tenantId).run((tx) => tx.auditLog.findMany({ where: { action } }));
}

function inbox(key: string) {
  return platformDb.run((tx) => tx.webhookEvent.findMany({ where: { provider: "resend", idempotencyKey: key } }));
}

describe("Resend webhook: signatures", () => {
  it("refuses a wrong secret, a stale or future timestamp and missing headers with 401, and changes nothing", async () => {
    const { t, message, emailId, to } = await sentMessage("rsbad");
    const payload = event("email.bounced", emailId, to, BOUNCE);
    const forged = signed(payload, { secret: `whsec_${randomBytes(32).toString("base64")}` });
    const stale = signed(payload, { atMs: Date.now() - 6 * 60_000 });
    const future = signed(payload, { atMs: Date.now() + 6 * 60_000 });
    const unsigned = signed(payload);
    unsigned.headers.delete("svix-signature");
    const tampered = signed(payload);
    tampered.raw = tampered.raw.replace("Permanent", "Transient");

    for (const d of [forged, stale, future, unsigned, tampered]) {
      expect(await post(d)).toEqual({ status: 401, body: { error: "invalid signature" } });
      // nothing stored under the delivery's id: a forger cannot claim it before the real one
      expect(await inbox(d.svixId)).toEqual([]);
    }
    expect(await messageRow(t.tenantId, message.id)).toEqual(message);
    expect(await suppressions(t.tenantId)).toEqual([]);

    // each rejected delivery is kept for investigation, never processed
    const rejected = await platformDb.run((tx) =>
      tx.webhookEvent.findMany({ where: { provider: "resend", signatureValid: false, rawBody: { contains: emailId } } }),
    );
    expect(rejected).toHaveLength(5);
    for (const r of rejected) {
      expect(r.idempotencyKey).toMatch(/^rejected:/);
      expect(r).toMatchObject({ status: "ignored", attempts: 0, tenantId: null });
      expect(r.lastError).toMatch(/^signature rejected: (bad_signature|stale_timestamp|missing_headers)$/);
    }

    // the real delivery still goes through afterwards
    expect(await post(signed(payload, { svixId: forged.svixId }))).toMatchObject({ status: 200, body: { ok: true, status: "bounced" } });
  });

  it("accepts the standard webhook-* header names", async () => {
    const { t, message, emailId, to } = await sentMessage("rsstd");
    const d = signed(event("email.delivered", emailId, to), { names: "webhook" });
    expect(await post(d)).toEqual({ status: 200, body: { ok: true, status: "delivered", suppressed: false } });
    expect((await messageRow(t.tenantId, message.id)).status).toBe("delivered");
  });

  it("answers 400 to a signed body that is not an event, and stores nothing", async () => {
    const d = signed("not json");
    expect(await post(d)).toEqual({ status: 400, body: { error: "invalid payload" } });
    expect(await inbox(d.svixId)).toEqual([]);
  });
});

describe("Resend webhook: events", () => {
  it("a bounce marks the message bounced and suppresses the address; the next send to it is skipped", async () => {
    const { t, to, message, emailId } = await sentMessage("rsbounce");
    const d = signed(event("email.bounced", emailId, to, BOUNCE));

    expect(await post(d)).toEqual({ status: 200, body: { ok: true, status: "bounced", suppressed: true } });

    const after = await messageRow(t.tenantId, message.id);
    expect(after).toMatchObject({ status: "bounced", deliveredAt: null, complainedAt: null });
    expect(after.bouncedAt).toBeInstanceOf(Date);
    expect(after.lastError).toBe("bounced: Permanent: General: The recipient's mail server permanently rejected the email.");
    const list = await suppressions(t.tenantId);
    expect(list).toEqual([
      expect.objectContaining({ address: to.toLowerCase(), channel: "email", reason: "bounced", messageId: message.id, createdById: null }),
    ]);
    expect(await auditOf(t.tenantId, "suppression.added")).toEqual([
      expect.objectContaining({
        targetId: list[0]!.id,
        actorUserId: null,
        metadata: expect.objectContaining({ after: expect.objectContaining({ reason: "bounced" }) }),
      }),
    ]);
    expect(await inbox(d.svixId)).toEqual([
      expect.objectContaining({ status: "processed", attempts: 1, tenantId: t.tenantId, signatureValid: true, lastError: null }),
    ]);

    // the address as another service might write it: other case, spaces
    const sentBefore = sent.length;
    const next = await queueInvitation(t, `  ${to.toUpperCase()} `);
    expect(await new MessageSender().send(next.id, t.tenantId)).toBe("suppressed");
    expect(await messageRow(t.tenantId, next.id)).toMatchObject({ status: "suppressed", providerId: null, sentAt: null });
    expect(sent.length).toBe(sentBefore);
  });

  it("a complaint (after delivery) marks the message complained and suppresses the address", async () => {
    const { t, to, message, emailId } = await sentMessage("rscompl");
    expect(await post(signed(event("email.delivered", emailId, to)))).toMatchObject({ status: 200, body: { status: "delivered" } });
    expect(await post(signed(event("email.complained", emailId, to)))).toEqual({
      status: 200,
      body: { ok: true, status: "complained", suppressed: true },
    });
    const after = await messageRow(t.tenantId, message.id);
    expect(after.status).toBe("complained");
    expect(after.deliveredAt).toBeInstanceOf(Date);
    expect(after.complainedAt).toBeInstanceOf(Date);
    expect(await suppressions(t.tenantId)).toEqual([
      expect.objectContaining({ address: to.toLowerCase(), reason: "complained", messageId: message.id }),
    ]);

    // a late "delivered" never undoes the complaint
    expect(await post(signed(event("email.delivered", emailId, to)))).toMatchObject({ status: 200, body: { status: "complained" } });
    expect((await messageRow(t.tenantId, message.id)).status).toBe("complained");
  });

  it("delivered marks the message delivered; sent and delivery_delayed are recorded without a change", async () => {
    const { t, to, message, emailId } = await sentMessage("rsdeliv");
    for (const type of ["email.sent", "email.delivery_delayed"]) {
      const d = signed(event(type, emailId, to));
      expect(await post(d)).toEqual({ status: 200, body: { ok: true, recorded: true } });
      expect(await inbox(d.svixId)).toEqual([expect.objectContaining({ status: "processed", tenantId: t.tenantId })]);
    }
    expect(await messageRow(t.tenantId, message.id)).toEqual(message);

    expect(await post(signed(event("email.delivered", emailId, to)))).toEqual({
      status: 200,
      body: { ok: true, status: "delivered", suppressed: false },
    });
    const after = await messageRow(t.tenantId, message.id);
    expect(after.status).toBe("delivered");
    expect(after.deliveredAt).toBeInstanceOf(Date);
    expect(await suppressions(t.tenantId)).toEqual([]);

    // a bounce after delivery (a late asynchronous bounce) still wins
    expect(await post(signed(event("email.bounced", emailId, to, BOUNCE)))).toMatchObject({ body: { status: "bounced" } });
    expect((await messageRow(t.tenantId, message.id)).status).toBe("bounced");
  });

  it("ignores events for e-mails it did not send, and event types it does not act on", async () => {
    const unknown = signed(event("email.bounced", `re-${randomUUID()}`, "nobody@example.test", BOUNCE));
    expect(await post(unknown)).toEqual({ status: 200, body: { ok: true, ignored: true } });
    expect(await inbox(unknown.svixId)).toEqual([
      expect.objectContaining({ status: "ignored", lastError: "unknown email id", tenantId: null }),
    ]);

    const { t, to, message, emailId } = await sentMessage("rsopen");
    const opened = signed(event("email.opened", emailId, to));
    expect(await post(opened)).toEqual({ status: 200, body: { ok: true, ignored: true } });
    expect(await inbox(opened.svixId)).toEqual([
      expect.objectContaining({ status: "ignored", lastError: "event type email.opened not handled", tenantId: t.tenantId }),
    ]);
    expect(await messageRow(t.tenantId, message.id)).toEqual(message);
  });
});

describe("Resend webhook: idempotency and replay", () => {
  it("processes a delivery once however often (and however concurrently) it arrives", async () => {
    const { t, to, message, emailId } = await sentMessage("rsdup");
    const d = signed(event("email.bounced", emailId, to, BOUNCE));

    const results = await Promise.all(Array.from({ length: 10 }, () => post(d)));
    expect(results.filter((r) => r.body.status === "bounced" && r.body.suppressed === true)).toHaveLength(1);
    for (const r of results.filter((x) => x.body.duplicate)) {
      expect([
        { status: 200, body: { ok: true, duplicate: true, status: "processed" } },
        { status: 200, body: { ok: true, duplicate: true, status: "processing" } },
      ]).toContainEqual(r);
    }
    expect(results.every((r) => r.status === 200)).toBe(true);

    // and once more, later: a plain duplicate
    expect(await post(d)).toEqual({ status: 200, body: { ok: true, duplicate: true, status: "processed" } });
    expect(await inbox(d.svixId)).toEqual([expect.objectContaining({ status: "processed", attempts: 1 })]);
    expect(await suppressions(t.tenantId)).toHaveLength(1);
    expect(await auditOf(t.tenantId, "suppression.added")).toHaveLength(1);
    expect((await messageRow(t.tenantId, message.id)).status).toBe("bounced");
  });

  it("a complaint after a bounce keeps the one suppression, with its first reason", async () => {
    const { t, to, emailId } = await sentMessage("rstwice");
    await post(signed(event("email.bounced", emailId, to, BOUNCE)));
    await post(signed(event("email.complained", emailId, to)));
    expect(await suppressions(t.tenantId)).toEqual([expect.objectContaining({ reason: "bounced" })]);
    expect(await auditOf(t.tenantId, "suppression.added")).toHaveLength(1);
  });

  it("replays a stored event through the admin webhook inbox, once", async () => {
    const { t, to, message, emailId } = await sentMessage("rsreplay");
    // a delivery stored but never processed (the process died right after storing it)
    const key = `msg_${randomUUID()}`;
    const stored = await platformDb.run((tx) =>
      tx.webhookEvent.create({
        data: {
          provider: "resend",
          idempotencyKey: key,
          headers: {},
          rawBody: JSON.stringify(event("email.bounced", emailId, to, BOUNCE)),
          signatureValid: true,
          status: "failed",
          lastError: "connection reset",
        },
      }),
    );
    const admin = await createUser({ email: `staff-${uniqueSlug("rs")}@phteah.test`, isPlatformAdmin: true });
    const adminBilling = new AdminWebhookService({ userId: admin.id, email: admin.email }, testMeta());

    const list = await adminBilling.webhooks({ provider: "resend", limit: 100 });
    expect(list.items.find((e) => e.id === stored.id)).toMatchObject({ replayable: true, status: "failed" });

    expect(await adminBilling.replayWebhook(stored.id)).toMatchObject({
      webhookEventId: stored.id,
      status: "processed",
      attempts: 1,
      lastError: null,
      httpStatus: 200,
      result: { ok: true, status: "bounced", suppressed: true },
    });
    expect((await messageRow(t.tenantId, message.id)).status).toBe("bounced");
    expect(await suppressions(t.tenantId)).toHaveLength(1);
    const replayed = await auditOf(t.tenantId, "admin.webhook.replayed");
    expect(replayed).toEqual([expect.objectContaining({ actorUserId: admin.id, targetId: stored.id })]);

    // replaying a processed event changes nothing
    expect(await adminBilling.replayWebhook(stored.id)).toMatchObject({ status: "processed", attempts: 1, result: { duplicate: true } });
    expect(await suppressions(t.tenantId)).toHaveLength(1);
    expect(await auditOf(t.tenantId, "suppression.added")).toHaveLength(1);
  });

  it("the service refuses to replay another provider's event", async () => {
    const other = await platformDb.run((tx) =>
      tx.webhookEvent.create({
        data: { provider: "bakong", idempotencyKey: `evt-${randomUUID()}`, headers: {}, rawBody: "{}", signatureValid: true },
      }),
    );
    const result = await new ResendWebhookService(undefined, SECRET).replay(
      other.id,
      { userId: randomUUID(), email: "x@phteah.test" },
      testMeta(),
    );
    expect(result.status).toBe(404);
  });
});

// The webhook inbox (server/core/webhook-inbox.public.ts) on its own, against the real
// database: what it guarantees for every provider and the provider tests do not pin down — the
// hourly cap on kept rejected deliveries, the header allow-list, and what a processing error
// leaves behind (rolled back, marked failed, 500, processed once on the retry), and the immediate
// "processing" answer to a delivery that arrives while another holds the event.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { platformDb } from "@/server/db/platform-db";
import { REJECTED_KEPT_PER_HOUR, WebhookInbox, type WebhookHandler } from "@/server/core/webhook-inbox.public";
import { testMeta } from "./support/meta";
import { manualClock, MIN } from "./support/team";

const SAFE = ["content-type", "x-signature", "x-absent"];

/** An inbox for a provider of its own, so counts and rows never meet another test's. */
function inboxFor(clock = manualClock()) {
  const provider = `test-${randomUUID().slice(0, 8)}`;
  const inbox = new WebhookInbox({
    provider,
    safeHeaders: SAFE,
    clock,
    logName: `${provider} webhook`,
  });
  return { inbox, provider, clock };
}

function headers() {
  return new Headers({
    "content-type": "application/json",
    "x-signature": "s".repeat(600),
    authorization: "Bearer not-to-be-kept",
    cookie: "session=not-to-be-kept",
  });
}

const KEPT_HEADERS = { "content-type": "application/json", "x-signature": "s".repeat(500) };

function rowsOf(provider: string) {
  return platformDb.run((tx) => tx.webhookEvent.findMany({ where: { provider }, orderBy: { id: "asc" } }));
}

function rowOf(id: string) {
  return platformDb.run((tx) => tx.webhookEvent.findUniqueOrThrow({ where: { id } }));
}

describe("WebhookInbox: rejected deliveries", () => {
  it(`keeps at most ${REJECTED_KEPT_PER_HOUR} an hour per provider, each under a key of its own, ignored, with only the allowed headers`, async () => {
    const { inbox, provider, clock } = inboxFor();
    const other = inboxFor(clock);
    // one short of the cap already kept this hour
    await platformDb.run((tx) =>
      tx.webhookEvent.createMany({
        data: Array.from({ length: REJECTED_KEPT_PER_HOUR - 1 }, (_, i) => ({
          provider,
          idempotencyKey: `rejected:seed-${i}`,
          headers: {},
          rawBody: "seed",
          signatureValid: false,
          status: "ignored" as const,
        })),
      }),
    );

    await inbox.keepRejected(headers(), '{"forged":1}', "bad_signature", testMeta());
    const kept = (await rowsOf(provider)).filter((r) => r.rawBody !== "seed");
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      signatureValid: false,
      status: "ignored",
      attempts: 0,
      tenantId: null,
      rawBody: '{"forged":1}',
      lastError: "signature rejected: bad_signature",
      headers: KEPT_HEADERS,
      processedAt: clock(),
    });
    expect(kept[0]?.idempotencyKey).toMatch(/^rejected:[0-9a-f-]{36}$/);

    // the cap is reached: the next one is answered (by the caller) but not kept
    await inbox.keepRejected(headers(), '{"forged":2}', "stale_timestamp", testMeta());
    expect(await rowsOf(provider)).toHaveLength(REJECTED_KEPT_PER_HOUR);
    // another provider's rejected deliveries are counted apart
    await other.inbox.keepRejected(headers(), '{"forged":3}', "missing_headers", testMeta());
    expect(await rowsOf(other.provider)).toHaveLength(1);

    // an hour later the window has moved on
    clock.advance(61 * MIN);
    await inbox.keepRejected(headers(), '{"forged":4}', "bad_signature", testMeta());
    expect((await rowsOf(provider)).map((r) => r.rawBody)).toContain('{"forged":4}');
  });
});

describe("WebhookInbox: storing and processing", () => {
  it("stores a delivery once per key, keeping only the allowed headers, cut to 500 characters", async () => {
    const { inbox, provider } = inboxFor();
    const first = await inbox.storeOnce("evt-1", headers(), "first");
    const again = await inbox.storeOnce("evt-1", new Headers({ "content-type": "text/plain" }), "second");
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      provider,
      idempotencyKey: "evt-1",
      rawBody: "first",
      signatureValid: true,
      status: "received",
      attempts: 0,
    });
    expect(first.headers).toEqual(KEPT_HEADERS);
    expect(await rowsOf(provider)).toHaveLength(1);
  });

  it("a processing error rolls the attempt back, marks the event failed and answers 500; the retry processes it once", async () => {
    const { inbox, provider, clock } = inboxFor();
    const event = await inbox.storeOnce(`evt-${randomUUID()}`, headers(), "{}");

    const failing: WebhookHandler = async (tx, claimed, now) => {
      expect(claimed).toMatchObject({ id: event.id, attempts: 1 });
      // written, then undone with the rest of the attempt
      await inbox.finish(tx, claimed.id, "processed", null, null, now);
      throw new Error(`boom ${"x".repeat(2000)}`);
    };
    expect(await inbox.process(event.id, failing)).toEqual({ status: 500, body: { error: "processing failed" } });
    const failed = await rowOf(event.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 0, processedAt: null });
    expect(failed.lastError).toHaveLength(1000);
    expect(failed.lastError).toMatch(/^boom x+$/);

    clock.advance(MIN);
    let calls = 0;
    const succeeding: WebhookHandler = async (tx, claimed, now) => {
      calls += 1;
      await inbox.finish(tx, claimed.id, "processed", null, null, now);
      return { status: 200, body: { ok: true } };
    };
    expect(await inbox.process(event.id, succeeding)).toEqual({ status: 200, body: { ok: true } });
    expect(await rowOf(event.id)).toMatchObject({ status: "processed", attempts: 1, lastError: null, processedAt: clock() });

    // a repeat never reaches the handler
    expect(await inbox.process(event.id, succeeding)).toEqual({ status: 200, body: { ok: true, duplicate: true, status: "processed" } });
    expect(calls).toBe(1);
    expect(await rowsOf(provider)).toHaveLength(1);
  });

  it("a delivery that arrives while another is processing the event answers 'processing' at once", async () => {
    const { inbox } = inboxFor();
    const event = await inbox.storeOnce(`evt-${randomUUID()}`, headers(), "{}");
    let innerCalls = 0;
    const inner: WebhookHandler = () => {
      innerCalls += 1;
      return Promise.resolve({ status: 200, body: { ok: true } });
    };

    const outer = await inbox.process(event.id, async (tx, claimed, now) => {
      // a second connection, while this transaction holds the event's row lock: no waiting
      const concurrent = await inbox.process(event.id, inner);
      expect(concurrent).toEqual({ status: 200, body: { ok: true, duplicate: true, status: "processing" } });
      await inbox.finish(tx, claimed.id, "ignored", "nothing to do", null, now);
      return { status: 200, body: { ok: true, ignored: true } };
    });
    expect(outer).toEqual({ status: 200, body: { ok: true, ignored: true } });
    expect(innerCalls).toBe(0);
    expect(await rowOf(event.id)).toMatchObject({ status: "ignored", attempts: 1, lastError: "nothing to do" });
  });
});

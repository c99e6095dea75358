// The message log and suppression list through the tRPC callers (workspace `messages.*`,
// console `adminMessages.*`), against the real database: listing with filters and keyset
// paging, details, retry rules (and the retry actually sending), suppressions lifted and added
// by hand, audit rows and permissions.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_CATALOG } from "@/lib/notifications/catalog";
import type { Prisma } from "@/server/db/generated/client";
import { TenantDb } from "@/server/db/tenant-db";
import { setMailTransportForTests, type MailMessage } from "@/server/notifications/mail";
import { flushDeliveries } from "@/server/notifications/queue";
import { addMember, createTenant, createUser, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { APEX, callerFor, expectTRPCError, hostOf, passMfa, sessionFor, signedIn, type Caller } from "./support/world";

const sent: MailMessage[] = [];
beforeAll(() =>
  setMailTransportForTests({
    name: "resend",
    async send(message) {
      sent.push(message);
      return { id: `re-${randomUUID()}` };
    },
  }),
);
afterAll(() => setMailTransportForTests(undefined));

const VARS = { ...MESSAGE_CATALOG["team.invitation"].sample };
const T0 = Date.now() - 3600_000;

type Over = Partial<Omit<Prisma.OutboundMessageUncheckedCreateInput, "tenantId">>;

/** A message row as the pipeline leaves it (status, times, provider id), written straight to the table. */
function insertMessage(t: CreatedTenant, over: Over = {}) {
  return new TenantDb(t.tenantId).run((tx) =>
    tx.outboundMessage.create({
      data: {
        tenantId: t.tenantId,
        key: "team.invitation",
        locale: "en",
        to: `someone@${t.slug}.test`,
        dedupeKey: `test:${randomUUID()}`,
        variables: VARS,
        ...over,
      },
    }),
  );
}

function messageRow(t: CreatedTenant, id: string) {
  return new TenantDb(t.tenantId).run((tx) => tx.outboundMessage.findUniqueOrThrow({ where: { id } }));
}

function auditOf(t: CreatedTenant, action: string) {
  return new TenantDb(t.tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } }));
}

interface World {
  t: CreatedTenant;
  other: CreatedTenant;
  owner: Caller;
  viewer: Caller;
  manager: Caller;
}

async function world(prefix: string): Promise<World> {
  const t = await createTenant({ slug: uniqueSlug(prefix) });
  const other = await createTenant({ slug: uniqueSlug(`${prefix}o`) });
  const viewer = await addMember(t, { email: `viewer@${t.slug}.test`, role: "viewer" });
  const manager = await addMember(t, { email: `manager@${t.slug}.test`, role: "manager" });
  return {
    t,
    other,
    owner: await signedIn(t.owner.userId, hostOf(t.slug)),
    viewer: await signedIn(viewer.userId, hostOf(t.slug)),
    manager: await signedIn(manager.userId, hostOf(t.slug)),
  };
}

describe("messages.list", () => {
  let w: World;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    w = await world("mlog");
    // seven messages a minute apart (oldest first), and one of another workspace
    const rows: Array<[string, Over]> = [
      ["inv1", { to: "Ana@Example.test", status: "delivered", subject: "Invite 1", sentAt: new Date(T0), deliveredAt: new Date(T0) }],
      ["inv2", { to: "bora@example.test", status: "failed", attempts: 5, lastError: "stub failure" }],
      ["due", { key: "billing.invoice_issued", to: "owner@example.test", status: "sent", variables: {} }],
      ["past", { key: "billing.past_due", to: "owner@example.test", status: "queued", variables: {} }],
      ["bounce", { to: "chan@example.test", status: "bounced", lastError: "bounced: Permanent" }],
      ["supp", { to: "dara@example.test", status: "suppressed" }],
      ["reset", { key: "auth.password_reset", to: "ana@example.test", status: "sent", variables: {} }],
    ];
    for (const [i, [name, over]] of rows.entries()) {
      ids[name] = (await insertMessage(w.t, { createdAt: new Date(T0 + i * 60_000), ...over })).id;
    }
    ids.foreign = (await insertMessage(w.other, { to: "ana@example.test", status: "failed" })).id;
  });

  it("lists the workspace's messages newest first, without template variables", async () => {
    const page = await w.viewer.messages.list({});
    expect(page.items.map((m) => m.id)).toEqual(["reset", "supp", "bounce", "past", "due", "inv2", "inv1"].map((n) => ids[n]));
    expect(page.nextCursor).toBeNull();
    expect(page.items.find((m) => m.id === ids.inv2)).toMatchObject({
      status: "failed",
      attempts: 5,
      lastError: "stub failure",
      retryable: true,
    });
    expect(page.items.find((m) => m.id === ids.inv1)).toMatchObject({ status: "delivered", retryable: false, subject: "Invite 1" });
    expect(page.items.find((m) => m.id === ids.bounce)).toMatchObject({ retryable: true });
    expect(page.items.find((m) => m.id === ids.supp)).toMatchObject({ retryable: false });
    expect(JSON.stringify(page)).not.toContain("sample-token");
    expect(JSON.stringify(page)).not.toContain(ids.foreign);
  });

  it("pages with a keyset cursor: every message once, in order", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await w.owner.messages.list({ limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((m) => m.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["reset", "supp", "bounce", "past", "due", "inv2", "inv1"].map((n) => ids[n]));
    await expectTRPCError(w.owner.messages.list({ cursor: "not-a-cursor" }), "BAD_REQUEST");
  });

  it("filters by status, by key (exact or a prefix ending in '.') and by recipient", async () => {
    const names = async (input: Parameters<Caller["messages"]["list"]>[0]) => {
      const page = await w.owner.messages.list(input);
      return page.items.map((m) => Object.entries(ids).find(([, id]) => id === m.id)?.[0]);
    };
    expect(await names({ status: "failed" })).toEqual(["inv2"]);
    expect(await names({ status: "sent" })).toEqual(["reset", "due"]);
    expect(await names({ key: "team.invitation" })).toEqual(["supp", "bounce", "inv2", "inv1"]);
    expect(await names({ key: "billing." })).toEqual(["past", "due"]);
    expect(await names({ key: "billing" })).toEqual([]);
    // part of the address, any case
    expect(await names({ search: "ANA@" })).toEqual(["reset", "inv1"]);
    expect(await names({ search: "ana", status: "delivered" })).toEqual(["inv1"]);
    expect(await names({ search: "  " })).toHaveLength(7);
  });

  it("shows one message's details: text as sent, attempts, last error, provider id, times", async () => {
    const body = "Dara invited you to join Acme as Manager.\n\n[Accept the invitation] [hidden]";
    const m = await insertMessage(w.t, {
      status: "bounced",
      to: "Eve@Example.test",
      subject: "You are invited",
      bodyText: body,
      attempts: 1,
      provider: "resend",
      providerId: `re-${randomUUID()}`,
      sentAt: new Date(T0),
      bouncedAt: new Date(T0 + 1000),
      lastError: "bounced: Permanent: General",
    });
    const detail = await w.viewer.messages.get({ messageId: m.id });
    expect(detail).toMatchObject({
      id: m.id,
      key: "team.invitation",
      to: "Eve@Example.test",
      status: "bounced",
      attempts: 1,
      subject: "You are invited",
      bodyText: body,
      provider: "resend",
      providerId: m.providerId,
      dedupeKey: m.dedupeKey,
      lastError: "bounced: Permanent: General",
      sentAt: new Date(T0),
      bouncedAt: new Date(T0 + 1000),
      deliveredAt: null,
      retryable: true,
      suppression: null,
    });
    expect(detail).not.toHaveProperty("variables");
    await expectTRPCError(w.owner.messages.get({ messageId: ids.foreign! }), "NOT_FOUND");
    await expectTRPCError(w.owner.messages.get({ messageId: randomUUID() }), "NOT_FOUND");
  });
});

describe("messages.retry", () => {
  it("sends a failed message again: queued, audited, then delivered right away", async () => {
    const w = await world("mretry");
    const m = await insertMessage(w.t, { to: `retry@${w.t.slug}.test`, status: "failed", attempts: 5, lastError: "stub failure" });

    const row = await w.owner.messages.retry({ messageId: m.id });
    expect(row).toMatchObject({ id: m.id, status: "queued", attempts: 0, lastError: null });
    await flushDeliveries();

    const after = await messageRow(w.t, m.id);
    expect(after).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    expect(after.providerId).toMatch(/^re-/);
    expect(sent.filter((s) => s.to === `retry@${w.t.slug}.test`)).toHaveLength(1);
    expect(await auditOf(w.t, "message.retried")).toEqual([
      expect.objectContaining({
        actorUserId: w.t.owner.userId,
        targetType: "outbound_message",
        targetId: m.id,
        metadata: expect.objectContaining({
          key: "team.invitation",
          before: { status: "failed", attempts: 5, lastError: "stub failure" },
          after: { status: "queued" },
        }),
      }),
    ]);
    // sent now: not again
    await expectTRPCError(w.owner.messages.retry({ messageId: m.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "messagesLog.errors.notRetryable",
    });
  });

  it("refuses every status but failed and bounced", async () => {
    const w = await world("mrules");
    for (const status of ["queued", "sending", "sent", "delivered", "complained", "suppressed"] as const) {
      const m = await insertMessage(w.t, { status });
      await expectTRPCError(w.owner.messages.retry({ messageId: m.id }), "PRECONDITION_FAILED", { key: "messagesLog.errors.notRetryable" });
      expect((await messageRow(w.t, m.id)).status).toBe(status);
    }
    expect(await auditOf(w.t, "message.retried")).toEqual([]);
  });

  it("refuses a bounced message while its address is suppressed; after lifting it, the retry sends", async () => {
    const w = await world("mbounce");
    const to = `bounced@${w.t.slug}.test`;
    const m = await insertMessage(w.t, { to, status: "bounced", providerId: `re-${randomUUID()}`, lastError: "bounced" });
    const s = await w.owner.messages.suppress({ address: ` ${to.toUpperCase()} ` });
    expect(s).toMatchObject({ address: to, reason: "manual" });
    expect((await w.owner.messages.get({ messageId: m.id })).suppression).toMatchObject({ id: s.id, reason: "manual" });

    await expectTRPCError(w.owner.messages.retry({ messageId: m.id }), "PRECONDITION_FAILED", {
      key: "messagesLog.errors.addressSuppressed",
    });
    expect((await messageRow(w.t, m.id)).status).toBe("bounced");

    await w.owner.messages.liftSuppression({ suppressionId: s.id });
    await w.owner.messages.retry({ messageId: m.id });
    await flushDeliveries();
    expect((await messageRow(w.t, m.id)).status).toBe("sent");
    expect(sent.filter((x) => x.to === to)).toHaveLength(1);
  });

  it("refuses a message whose single-use link is gone (cleared once sent); other keys keep their content", async () => {
    const w = await world("mgone");
    // an invitation that went out and then bounced: its link (token) is not kept
    const invite = await insertMessage(w.t, { status: "bounced", variables: {}, providerId: `re-${randomUUID()}` });
    const row = (await w.owner.messages.list({ key: "team.invitation" })).items.find((m) => m.id === invite.id);
    expect(row).toMatchObject({ status: "bounced", retryable: false });
    expect(await w.owner.messages.get({ messageId: invite.id })).toMatchObject({ linkGone: true, retryable: false });
    await expectTRPCError(w.owner.messages.retry({ messageId: invite.id }), "PRECONDITION_FAILED", { key: "messagesLog.errors.linkGone" });
    expect((await messageRow(w.t, invite.id)).status).toBe("bounced");

    // a billing e-mail has no secret: its variables stay, and it can be sent again
    const bill = await insertMessage(w.t, {
      key: "billing.past_due",
      status: "failed",
      to: `owner@${w.t.slug}.test`,
      variables: { ...MESSAGE_CATALOG["billing.past_due"].sample },
    });
    expect(await w.owner.messages.get({ messageId: bill.id })).toMatchObject({ linkGone: false, retryable: true });
    await w.owner.messages.retry({ messageId: bill.id });
    await flushDeliveries();
    expect(await messageRow(w.t, bill.id)).toMatchObject({ status: "sent", variables: MESSAGE_CATALOG["billing.past_due"].sample });
  });

  it("needs messages.manage: a viewer and a manager may read the log but not retry", async () => {
    const w = await world("mperm");
    const m = await insertMessage(w.t, { status: "failed" });
    for (const caller of [w.viewer, w.manager]) {
      await expect(caller.messages.get({ messageId: m.id })).resolves.toMatchObject({ id: m.id });
      await expectTRPCError(caller.messages.retry({ messageId: m.id }), "FORBIDDEN", { key: "errors.missingPermission" });
      await expectTRPCError(caller.messages.suppress({ address: "x@example.test" }), "FORBIDDEN");
    }
    expect((await messageRow(w.t, m.id)).status).toBe("failed");
    await expectTRPCError(w.owner.messages.retry({ messageId: (await insertMessage(w.other, { status: "failed" })).id }), "NOT_FOUND");
  });
});

describe("suppressions", () => {
  it("adds an address by hand (normalised, audited, once) and lifts it (audited)", async () => {
    const w = await world("msupp");
    const added = await w.owner.messages.suppress({ address: "  Stop.Me@Example.TEST " });
    expect(added).toMatchObject({
      address: "stop.me@example.test",
      reason: "manual",
      channel: "email",
      createdById: w.t.owner.userId,
      messageId: null,
    });
    await expectTRPCError(w.owner.messages.suppress({ address: "stop.me@example.test" }), "CONFLICT", {
      key: "messagesLog.errors.alreadySuppressed",
    });
    await expectTRPCError(w.owner.messages.suppress({ address: "not an address" }), "BAD_REQUEST");
    await w.owner.messages.suppress({ address: "other@example.test" });

    const list = await w.viewer.messages.suppressions({});
    expect(list.items.map((s) => s.address)).toEqual(["other@example.test", "stop.me@example.test"]);
    expect((await w.viewer.messages.suppressions({ search: "STOP" })).items.map((s) => s.id)).toEqual([added.id]);
    const paged = await w.viewer.messages.suppressions({ limit: 1 });
    expect(paged.items).toHaveLength(1);
    expect((await w.viewer.messages.suppressions({ limit: 1, cursor: paged.nextCursor! })).items.map((s) => s.id)).toEqual([added.id]);
    expect(await auditOf(w.t, "suppression.added")).toEqual([
      expect.objectContaining({
        targetId: added.id,
        metadata: { after: { address: "stop.me@example.test", channel: "email", reason: "manual" } },
      }),
      expect.objectContaining({ metadata: expect.objectContaining({ after: expect.objectContaining({ address: "other@example.test" }) }) }),
    ]);

    // another workspace does not see it, and cannot lift it
    const otherOwner = await signedIn(w.other.owner.userId, hostOf(w.other.slug));
    expect((await otherOwner.messages.suppressions({})).items).toEqual([]);
    await expectTRPCError(otherOwner.messages.liftSuppression({ suppressionId: added.id }), "NOT_FOUND");
    await expectTRPCError(w.viewer.messages.liftSuppression({ suppressionId: added.id }), "FORBIDDEN");

    expect(await w.owner.messages.liftSuppression({ suppressionId: added.id })).toMatchObject({
      id: added.id,
      address: "stop.me@example.test",
    });
    await expectTRPCError(w.owner.messages.liftSuppression({ suppressionId: added.id }), "NOT_FOUND");
    expect((await w.owner.messages.suppressions({})).items.map((s) => s.address)).toEqual(["other@example.test"]);
    expect(await auditOf(w.t, "suppression.lifted")).toEqual([
      expect.objectContaining({
        actorUserId: w.t.owner.userId,
        targetId: added.id,
        metadata: { before: { address: "stop.me@example.test", channel: "email", reason: "manual", messageId: null } },
      }),
    ]);
  });
});

describe("adminMessages", () => {
  let admin: Caller;
  beforeAll(async () => {
    const user = await createUser({ email: `staff-${uniqueSlug("msg")}@phteah.test`, isPlatformAdmin: true });
    admin = await callerFor(APEX, await passMfa(await sessionFor(user.id, APEX)));
  });

  it("lists every workspace's messages, filtered by workspace, with the workspace named", async () => {
    const w = await world("madm");
    const a = await insertMessage(w.t, { status: "failed", to: `x@${w.t.slug}.test` });
    const b = await insertMessage(w.other, { status: "failed", to: `x@${w.other.slug}.test` });
    const mine = await admin.adminMessages.list({ tenant: w.t.slug });
    expect(mine.items.map((m) => m.id)).toEqual([a.id]);
    expect(mine.items[0]).toMatchObject({ tenant: { id: w.t.tenantId, slug: w.t.slug } });
    const both = await admin.adminMessages.list({ search: "x@", status: "failed", limit: 100 });
    expect(both.items.map((m) => m.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await admin.adminMessages.get({ messageId: b.id })).tenant.slug).toBe(w.other.slug);
    await expectTRPCError(admin.adminMessages.list({ tenant: "Not A Slug!" }), "BAD_REQUEST");
  });

  it("retries a failed message of any workspace, audited in that workspace as the admin", async () => {
    const w = await world("madmr");
    const to = `again@${w.t.slug}.test`;
    const m = await insertMessage(w.t, { status: "failed", to, attempts: 5, lastError: "stub failure" });
    expect(await admin.adminMessages.retry({ messageId: m.id })).toMatchObject({ id: m.id, status: "queued", tenant: { slug: w.t.slug } });
    await flushDeliveries();
    expect((await messageRow(w.t, m.id)).status).toBe("sent");
    expect(sent.filter((x) => x.to === to)).toHaveLength(1);
    const audit = await auditOf(w.t, "admin.message.retried");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).not.toBe(w.t.owner.userId);
    await expectTRPCError(admin.adminMessages.retry({ messageId: m.id }), "PRECONDITION_FAILED", {
      key: "messagesLog.errors.notRetryable",
    });
    await expectTRPCError(admin.adminMessages.retry({ messageId: randomUUID() }), "NOT_FOUND");
  });
});

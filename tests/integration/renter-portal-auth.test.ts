// Issue 18, renter portal sign-in and sessions (docs/RENTER_PORTAL.md): one-time codes (sent by
// e-mail and Telegram, the same answer for an unknown address, hashed at rest, single use, 10
// minutes on an injected clock, 5 attempts, throttled per identifier and per IP, two concurrent
// checks of one code: exactly one wins) and renter sessions (bound to the workspace and host,
// separate from staff sessions both ways, sign-out and archive end them).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { setMailTransportForTests, type MailMessage, type MailTransport } from "@/server/notifications/mail";
import { createRenter, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { readSession } from "@/server/core/session";
import {
  hashSessionToken,
  LOGIN_CODE_MAX_ATTEMPTS,
  LOGIN_CODE_TTL_MS,
  RENTER_SESSION_ABSOLUTE_MS,
  RENTER_SESSION_IDLE_MS,
  RenterAuthService,
  renterCookieName,
  updateRenterSettings,
} from "@/server/portal/renter-auth";
import { callerFor, expectTRPCError, hostOf, sessionFor, testMeta, uniqueIp } from "./support/world";

const mails: MailMessage[] = [];
const capture: MailTransport = {
  name: "capture",
  async send(message) {
    mails.push(message);
    return { id: `captured-${mails.length}` };
  },
};

let stub: FakeTelegram;
let a: CreatedTenant;
let b: CreatedTenant;

const T0 = new Date("2026-03-01T08:00:00Z");
const at = (ms: number) => () => new Date(T0.getTime() + ms);

function service(t: CreatedTenant, opts: { ip?: string; clock?: () => Date; host?: string } = {}) {
  return new RenterAuthService(
    { tenantId: t.tenantId, hostname: opts.host ?? hostOf(t.slug) },
    testMeta({ ip: opts.ip ?? uniqueIp() }),
    opts.clock ?? at(0),
  );
}

/** The 6 digits of the last code mailed to `email`. */
function lastCode(email: string): string {
  const m = mails.filter((x) => x.to === email).at(-1);
  if (!m) throw new Error(`no mail to ${email}`);
  const found = /\b(\d{6})\b/.exec(m.text);
  if (!found) throw new Error(`no code in ${m.text}`);
  return found[1]!;
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function renterWithEmail(t: CreatedTenant, extra: Parameters<typeof createRenter>[0] extends infer P ? Partial<P> : never = {}) {
  const email = `${uniqueSlug("r")}@example.com`;
  const renter = await createRenter({ tenantId: t.tenantId, email, locale: "en", ...extra });
  return { ...renter, email };
}

/** Signs a renter in by e-mail code and returns the session token. */
async function signIn(t: CreatedTenant, email: string, clock = at(0)): Promise<string> {
  const s = service(t, { clock });
  expect(await s.requestCode(email)).toEqual({ throttled: false });
  const result = await s.verifyCode(email, lastCode(email));
  if (!result.ok) throw new Error(`sign-in failed: ${JSON.stringify(result)}`);
  return result.token;
}

beforeAll(async () => {
  stub = await startFakeTelegram();
  process.env.TELEGRAM_BOT_TOKEN = stub.token;
  process.env.TELEGRAM_BOT_USERNAME = "phteah_test_bot";
  process.env.TELEGRAM_WEBHOOK_SECRET = "renter-portal-test-webhook-secret-0123";
  process.env.TELEGRAM_API_ROOT = stub.url;
  validateEnv();
  setMailTransportForTests(capture);
  a = await createTenant({ slug: uniqueSlug("rpauth-a") });
  b = await createTenant({ slug: uniqueSlug("rpauth-b") });
}, 60_000);

afterAll(async () => {
  setMailTransportForTests(undefined);
  await stub?.close();
});

describe("sign-in codes", () => {
  it("sends a 6-digit code by e-mail; only an HMAC is stored; the message log keeps nothing", async () => {
    const r = await renterWithEmail(a);
    expect(await service(a).requestCode(`  ${r.email.toUpperCase()} `)).toEqual({ throttled: false });
    const code = lastCode(r.email);
    const rows = await new TenantDb(a.tenantId).run((tx) => tx.renterLoginCode.findMany({ where: { renterId: r.id } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.codeHash).not.toContain(code);
    expect(rows[0]!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.expiresAt.getTime() - T0.getTime()).toBe(LOGIN_CODE_TTL_MS);
    const logged = await new TenantDb(a.tenantId).run((tx) => tx.outboundMessage.count({ where: { to: r.email } }));
    expect(logged).toBe(0);
  });

  it("sends the code to the linked Telegram chat (in the renter's language), and by phone number", async () => {
    const chat = String(700_000_000 + Math.floor(Math.random() * 1_000_000));
    const phone = `+8551${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const r = await createRenter({ tenantId: a.tenantId, phone, email: null, locale: "km" });
    await new TenantDb(a.tenantId).run((tx) =>
      tx.renter.update({ where: { id: r.id }, data: { telegramChatId: chat, telegramLinkedAt: T0, messageChannel: "telegram" } }),
    );
    expect(await service(a).requestCode(`0${phone.slice(4)}`)).toEqual({ throttled: false });
    const sent = stub.messages.filter((m) => m.chatId === chat);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("លេខកូដ");
    const code = /\b(\d{6})\b/.exec(sent[0]!.text)![1]!;
    const ok = await service(a).verifyCode(phone, code);
    expect(ok.ok).toBe(true);
  });

  it("answers an unknown, archived or other workspace's address exactly like a known one, and sends nothing", async () => {
    const archived = await renterWithEmail(a);
    await new TenantDb(a.tenantId).run((tx) => tx.renter.update({ where: { id: archived.id }, data: { archivedAt: T0 } }));
    const inB = await renterWithEmail(b);
    const before = mails.length;
    for (const id of ["nobody@example.com", archived.email, inB.email, "012 999 999"]) {
      expect(await service(a).requestCode(id)).toEqual({ throttled: false });
    }
    expect(mails.length).toBe(before);
  });

  it("is single use", async () => {
    const r = await renterWithEmail(a);
    await service(a).requestCode(r.email);
    const code = lastCode(r.email);
    expect((await service(a).verifyCode(r.email, code)).ok).toBe(true);
    expect(await service(a).verifyCode(r.email, code)).toEqual({ ok: false, reason: "invalid" });
  });

  it("expires after 10 minutes (injected clock)", async () => {
    const r = await renterWithEmail(a);
    await service(a).requestCode(r.email);
    const code = lastCode(r.email);
    expect(await service(a, { clock: at(LOGIN_CODE_TTL_MS) }).verifyCode(r.email, code)).toEqual({ ok: false, reason: "invalid" });
    expect((await service(a, { clock: at(LOGIN_CODE_TTL_MS - 1) }).verifyCode(r.email, code)).ok).toBe(true);
  });

  it("survives at most 5 wrong attempts: the right code after them is refused", async () => {
    const r = await renterWithEmail(a);
    await service(a).requestCode(r.email);
    const code = lastCode(r.email);
    for (let i = 0; i < LOGIN_CODE_MAX_ATTEMPTS; i++) {
      expect(await service(a).verifyCode(r.email, wrong(code))).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await service(a).verifyCode(r.email, code)).toEqual({ ok: false, reason: "invalid" });
    const row = await new TenantDb(a.tenantId).run((tx) => tx.renterLoginCode.findFirstOrThrow({ where: { renterId: r.id } }));
    expect(row.attempts).toBe(LOGIN_CODE_MAX_ATTEMPTS);
    expect(row.usedAt).toBeNull();
  });

  it("a new code replaces the previous one", async () => {
    const r = await renterWithEmail(a);
    await service(a).requestCode(r.email);
    const first = lastCode(r.email);
    await service(a).requestCode(r.email);
    const second = lastCode(r.email);
    if (first !== second) expect(await service(a).verifyCode(r.email, first)).toEqual({ ok: false, reason: "invalid" });
    expect((await service(a).verifyCode(r.email, second)).ok).toBe(true);
  });

  it("two concurrent checks of one right code: exactly one signs in", async () => {
    const r = await renterWithEmail(a);
    await service(a).requestCode(r.email);
    const code = lastCode(r.email);
    const results = await Promise.all(Array.from({ length: 4 }, () => service(a).verifyCode(r.email, code)));
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    const sessions = await new TenantDb(a.tenantId).run((tx) => tx.renterSession.count({ where: { renterId: r.id } }));
    expect(sessions).toBe(1);
  });

  it("throttles code requests per identifier (whatever the IP) and per IP (whatever the identifier)", async () => {
    const r = await renterWithEmail(a);
    for (let i = 0; i < 5; i++) expect(await service(a).requestCode(r.email)).toEqual({ throttled: false });
    const refused = await service(a).requestCode(r.email);
    expect(refused.throttled).toBe(true);

    const ip = uniqueIp();
    for (let i = 0; i < 5; i++)
      expect(await service(a, { ip }).requestCode(`${uniqueSlug("n")}@example.com`)).toEqual({ throttled: false });
    expect((await service(a, { ip }).requestCode(`${uniqueSlug("n")}@example.com`)).throttled).toBe(true);
  });

  it("throttles code checks per identifier across codes and IPs", async () => {
    const r = await renterWithEmail(a);
    let last: Awaited<ReturnType<RenterAuthService["verifyCode"]>> | null = null;
    for (let i = 0; i < 11; i++) last = await service(a).verifyCode(r.email, "000000");
    expect(last).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("audits the sign-in (never the code)", async () => {
    const r = await renterWithEmail(a);
    await signIn(a, r.email);
    const rows = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findMany({ where: { action: "renter.portal_signed_in", targetId: r.id } }),
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0]!.metadata)).not.toMatch(/\d{6}/);
  });
});

describe("renters sharing a phone number or an e-mail (one who rented twice, a family)", () => {
  const phoneOf = () => `+8551${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  /** Renters created oldest first (createdAt one hour apart), so the last one is the newest. */
  async function renters(t: CreatedTenant, rows: Array<{ name: string; phone: string; email: string | null }>) {
    const out = [];
    for (const [i, r] of rows.entries()) {
      const created = await createRenter({ tenantId: t.tenantId, nameLatin: r.name, phone: r.phone, email: r.email, locale: "en" });
      await new TenantDb(t.tenantId).run((tx) =>
        tx.renter.update({ where: { id: created.id }, data: { createdAt: new Date(T0.getTime() - (rows.length - i) * 3600_000) } }),
      );
      out.push(created);
    }
    return out;
  }

  it("one e-mail shared: the same answer and one code; after the code, the person chooses among them (names only) and switches", async () => {
    const email = `${uniqueSlug("fam")}@example.com`;
    const phone = phoneOf();
    const [older, newer] = await renters(a, [
      { name: "Older Rental", phone, email },
      { name: "Newer Rental", phone: phoneOf(), email: email.toUpperCase() },
    ]);
    // neither another e-mail on the same phone, nor an archived renter, nor another workspace's
    const [samePhone] = await renters(a, [{ name: "Same Phone Other Mail", phone, email: `${uniqueSlug("x")}@example.com` }]);
    const [archived] = await renters(a, [{ name: "Archived Rental", phone: phoneOf(), email }]);
    await new TenantDb(a.tenantId).run((tx) => tx.renter.update({ where: { id: archived!.id }, data: { archivedAt: T0 } }));
    const [inB] = await renters(b, [{ name: "Workspace B", phone: phoneOf(), email }]);

    // before the code: the answer is the one every address gets, one message, no other renter named
    const before = mails.length;
    expect(await service(a).requestCode(email)).toEqual({ throttled: false });
    const sent = mails.slice(before);
    expect(sent.map((m) => m.to.toLowerCase())).toEqual([email]);
    expect(sent[0]!.text).not.toContain("Older Rental");

    const s = service(a);
    // (the code is e-mailed to the newest renter's own spelling of the address)
    const result = await s.verifyCode(email, lastCode(email.toUpperCase()));
    expect(result).toMatchObject({ ok: true, choose: true, renterId: newer!.id });
    if (!result.ok) throw new Error("no session");
    expect(await s.readSession(result.token)).toMatchObject({ renterId: newer!.id, canSwitch: true });
    expect(await s.sessionChoices(result.token)).toEqual([
      { id: newer!.id, name: "Newer Rental", current: true },
      { id: older!.id, name: "Older Rental", current: false },
    ]);

    // none the code did not prove, whatever id is posted
    for (const id of [samePhone!.id, archived!.id, inB!.id, "00000000-0000-7000-8000-000000000000", "not-an-id"]) {
      expect(await s.switchRenter(result.token, id)).toBeNull();
    }
    expect(await s.readSession(result.token)).toMatchObject({ renterId: newer!.id });

    const switched = await service(a, { clock: at(60_000) }).switchRenter(result.token, older!.id);
    expect(switched).toMatchObject({ renterId: older!.id });
    expect(await s.readSession(result.token)).toBeNull();
    expect(await s.readSession(switched!.token)).toMatchObject({ renterId: older!.id, canSwitch: true });
    expect((await s.sessionChoices(switched!.token)).map((c) => [c.id, c.current])).toEqual([
      [older!.id, true],
      [newer!.id, false],
    ]);
    // choosing never lengthens the session: the same absolute end as the sign-in's
    const [first, second] = await new TenantDb(a.tenantId).run((tx) =>
      Promise.all([
        tx.renterSession.findUniqueOrThrow({ where: { id: result.sessionId } }),
        tx.renterSession.findUniqueOrThrow({ where: { id: switched!.sessionId } }),
      ]),
    );
    expect(second.expiresAt).toEqual(first.expiresAt);
    expect(second.host).toBe(first.host);
    const audited = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findMany({ where: { action: "renter.portal_signed_in", targetId: older!.id }, select: { metadata: true } }),
    );
    expect(audited.map((x) => x.metadata)).toEqual([{ via: "choice" }]);

    // a renter archived since drops out: one left, nothing to choose
    await new TenantDb(a.tenantId).run((tx) => tx.renter.update({ where: { id: newer!.id }, data: { archivedAt: T0 } }));
    expect(await s.sessionChoices(switched!.token)).toEqual([]);
    expect(await s.switchRenter(switched!.token, newer!.id)).toBeNull();
  });

  it("one phone shared: only the renters whose own address the code reached (the same e-mail), never one with another e-mail or a Telegram-only code", async () => {
    // different e-mails: the code goes to the newest renter's e-mail and proves only that renter
    const phone = phoneOf();
    const [otherMail, newest] = await renters(a, [
      { name: "Other Mail", phone, email: `${uniqueSlug("o")}@example.com` },
      { name: "Newest", phone, email: `${uniqueSlug("n")}@example.com` },
    ]);
    expect(await service(a).requestCode(phone)).toEqual({ throttled: false });
    const one = await service(a).verifyCode(phone, lastCode(newest!.email!));
    expect(one).toMatchObject({ ok: true, choose: false, renterId: newest!.id });
    if (!one.ok) throw new Error("no session");
    expect(await service(a).sessionChoices(one.token)).toEqual([]);
    expect(await service(a).switchRenter(one.token, otherMail!.id)).toBeNull();

    // the same e-mail on both: the code e-mailed there proves both
    const shared = `${uniqueSlug("s")}@example.com`;
    const phone2 = phoneOf();
    const [first, second] = await renters(a, [
      { name: "First", phone: phone2, email: shared },
      { name: "Second", phone: phone2, email: shared },
    ]);
    expect(await service(a).requestCode(phone2)).toEqual({ throttled: false });
    const both = await service(a).verifyCode(phone2, lastCode(shared));
    expect(both).toMatchObject({ ok: true, choose: true, renterId: second!.id });
    if (!both.ok) throw new Error("no session");
    expect((await service(a).sessionChoices(both.token)).map((c) => c.id)).toEqual([second!.id, first!.id]);

    // the newest chose Telegram: the code went to its chat only and proves only it, though the e-mail is shared
    const shared3 = `${uniqueSlug("t")}@example.com`;
    const phone3 = phoneOf();
    const chat = String(710_000_000 + Math.floor(Math.random() * 1_000_000));
    const [, tg] = await renters(a, [
      { name: "Mail Only", phone: phone3, email: shared3 },
      { name: "On Telegram", phone: phone3, email: shared3 },
    ]);
    await new TenantDb(a.tenantId).run((tx) =>
      tx.renter.update({ where: { id: tg!.id }, data: { telegramChatId: chat, telegramLinkedAt: T0, messageChannel: "telegram" } }),
    );
    const mailsBefore = mails.length;
    expect(await service(a).requestCode(phone3)).toEqual({ throttled: false });
    expect(mails.length).toBe(mailsBefore);
    const code = /\b(\d{6})\b/.exec(stub.messages.filter((m) => m.chatId === chat).at(-1)!.text)![1]!;
    const viaTelegram = await service(a).verifyCode(phone3, code);
    expect(viaTelegram).toMatchObject({ ok: true, choose: false, renterId: tg!.id });
  });
});

describe("renter sessions", () => {
  it("stores only a hash of the token; the cookie name differs from next-auth's", async () => {
    const r = await renterWithEmail(a);
    const token = await signIn(a, r.email);
    const row = await new TenantDb(a.tenantId).run((tx) => tx.renterSession.findFirstOrThrow({ where: { renterId: r.id } }));
    expect(row.tokenHash).toBe(hashSessionToken(token));
    expect(row.tokenHash).not.toContain(token);
    expect(row.host).toBe(hostOf(a.slug));
    expect(renterCookieName(false)).not.toMatch(/authjs|next-auth/);
    expect(renterCookieName(true)).toMatch(/^__Host-/);
  });

  it("is bound to its workspace and host: A's cookie is worthless on B (and on another host of A)", async () => {
    const r = await renterWithEmail(a);
    const token = await signIn(a, r.email);
    expect(await service(a).readSession(token)).toMatchObject({ renterId: r.id });
    expect(await service(b).readSession(token)).toBeNull();
    expect(await service(a, { host: `other.${hostOf(a.slug)}` }).readSession(token)).toBeNull();
    expect(await service(a).readSession(`${token}x`)).toBeNull();
    expect(await service(a).readSession("")).toBeNull();
  });

  it("ends after 7 idle days and 30 days after sign-in, whatever the activity", async () => {
    const r = await renterWithEmail(a);
    const token = await signIn(a, r.email);
    expect(await service(a, { clock: at(RENTER_SESSION_IDLE_MS + 1) }).readSession(token)).toBeNull();
    // kept alive every 6 days: still ends at 30 days
    const day = 24 * 3600_000;
    for (let d = 6; d < 30; d += 6) expect(await service(a, { clock: at(d * day) }).readSession(token)).not.toBeNull();
    expect(await service(a, { clock: at(RENTER_SESSION_ABSOLUTE_MS) }).readSession(token)).toBeNull();
  });

  it("sign-out revokes the session (and is audited)", async () => {
    const r = await renterWithEmail(a);
    const token = await signIn(a, r.email);
    await service(a).signOut(token);
    expect(await service(a).readSession(token)).toBeNull();
    const audit = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.count({ where: { action: "renter.portal_signed_out", targetId: r.id } }),
    );
    expect(audit).toBe(1);
  });

  it("an archived or erased renter loses their sessions", async () => {
    const r1 = await renterWithEmail(a);
    const r2 = await renterWithEmail(a);
    const [t1, t2] = [await signIn(a, r1.email), await signIn(a, r2.email)];
    await new TenantDb(a.tenantId).run(async (tx) => {
      await tx.renter.update({ where: { id: r1.id }, data: { archivedAt: T0 } });
      await tx.renter.update({ where: { id: r2.id }, data: { erasedAt: T0 } });
    });
    expect(await service(a).readSession(t1)).toBeNull();
    expect(await service(a).readSession(t2)).toBeNull();
  });

  it("a renter cookie on staff pages and tRPC is not signed in; a staff session is not a renter", async () => {
    const r = await renterWithEmail(a);
    const token = await signIn(a, r.email);
    const row = await new TenantDb(a.tenantId).run((tx) => tx.renterSession.findFirstOrThrow({ where: { renterId: r.id } }));
    // the renter's cookie (and no next-auth claims) on the workspace's API
    const withCookie = await callerFor(hostOf(a.slug), null, { cookie: `${renterCookieName()}=${token}` });
    await expectTRPCError(withCookie.renters.list({}), "UNAUTHORIZED");
    // the renter session's ids passed off as staff claims
    expect(await readSession({ uid: r.id, sid: row.id, host: hostOf(a.slug) }, hostOf(a.slug))).toBeNull();
    // a staff member's session on the portal: no renter
    const staff = await sessionFor(a.owner.userId, hostOf(a.slug));
    expect(await service(a).readSession(staff.sid)).toBeNull();
    expect(await getDb().userSession.count({ where: { id: row.id } })).toBe(0);
  });
});

describe("renter settings", () => {
  it("changes channel and language (audited); refuses a channel the renter cannot be reached on", async () => {
    const r = await renterWithEmail(a);
    const scope = { tenantId: a.tenantId, renterId: r.id };
    expect(await updateRenterSettings(scope, { messageChannel: "telegram" }, testMeta())).toEqual({
      ok: false,
      error: "telegramNotLinked",
    });
    expect(await updateRenterSettings(scope, { messageChannel: "fax" }, testMeta())).toEqual({ ok: false, error: "invalidChannel" });
    expect(await updateRenterSettings(scope, { locale: "fr" }, testMeta())).toEqual({ ok: false, error: "invalidLocale" });
    await new TenantDb(a.tenantId).run((tx) => tx.renter.update({ where: { id: r.id }, data: { telegramChatId: "12345" } }));
    expect(await updateRenterSettings(scope, { messageChannel: "both", locale: "km" }, testMeta())).toEqual({ ok: true });
    const saved = await new TenantDb(a.tenantId).run((tx) =>
      tx.renter.findFirstOrThrow({ where: { id: r.id }, select: { messageChannel: true, locale: true } }),
    );
    expect(saved).toEqual({ messageChannel: "both", locale: "km" });
    const audit = await new TenantDb(a.tenantId).run((tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "renter.portal_settings_changed", targetId: r.id } }),
    );
    expect(audit.metadata).toMatchObject({ messageChannel: { from: "email", to: "both" }, locale: { from: "en", to: "km" } });
    // another workspace's scope cannot reach this renter
    expect(await updateRenterSettings({ tenantId: b.tenantId, renterId: r.id }, { locale: "en" }, testMeta())).toEqual({
      ok: false,
      error: "notFound",
    });
  });
});

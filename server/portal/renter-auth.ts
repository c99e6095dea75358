import "server-only";
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { RateLimiter, type RateLimitRule } from "@/server/core/rate-limiter";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { AuditLogger } from "@/server/audit/audit-logger";
import { normalizeCambodianPhone } from "@/lib/rentals/phone";
import { asEnumValue, RENTER_MESSAGE_CHANNEL_VALUES, type RenterMessageChannel } from "@/lib/enums";
import { renderMessage } from "@/server/notifications/template-render";
import { sendMail } from "@/server/notifications/mail";
import { telegramChannel } from "@/server/notifications/channels/telegram";
import { telegramEnabled } from "@/server/notifications/telegram-config";
import { createTelegramLink, TELEGRAM_PAY_LINK_TTL_MS } from "@/server/notifications/telegram-link";
import { MAX_LIVE_LINKS } from "@/server/notifications/telegram-pay-link";
import QRCode from "qrcode";
import { logger } from "@/server/core/observability/logger";

// Renter portal sign-in without a password and renter sessions (docs/RENTER_PORTAL.md).
// Tenant code: every read and write runs under the workspace's row-level security (TenantDb);
// the workspace always comes from the request's host, never from the cookie or the form.

/** the most renters one sign-in offers to choose from (a shared phone or e-mail) */
const MAX_RENTER_CHOICES = 10;
/** a code works for 10 minutes */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;
/** wrong guesses one code survives */
export const LOGIN_CODE_MAX_ATTEMPTS = 5;
/** a session ends after 7 days without a request … */
export const RENTER_SESSION_IDLE_MS = 7 * 24 * 3600_000;
/** … and 30 days after sign-in whatever happens */
export const RENTER_SESSION_ABSOLUTE_MS = 30 * 24 * 3600_000;
/** how stale lastSeenAt may get before a request writes it again */
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/** codes asked per identifier and per IP (the answer is the same whether the address exists or not) */
export const CODE_REQUEST_RULE: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };
/** code checks per identifier and per IP (on top of the 5 attempts of one code) */
export const CODE_VERIFY_RULE: RateLimitRule = { limit: 10, windowMs: 15 * 60_000 };

/** The renter cookie: distinct from next-auth's, host-only (no Domain), HttpOnly, SameSite=Lax. */
export function renterCookieName(production = process.env.NODE_ENV === "production"): string {
  return production ? "__Host-phteah-renter" : "phteah-renter";
}

export function renterCookieOptions(production = process.env.NODE_ENV === "production") {
  return {
    httpOnly: true,
    secure: production,
    sameSite: "lax" as const,
    path: "/",
    maxAge: RENTER_SESSION_ABSOLUTE_MS / 1000,
  };
}

export type RenterIdentifier = { kind: "email"; value: string } | { kind: "phone"; value: string };

/** A phone number (Cambodian, any usual spelling) or an e-mail address; null when it is neither. */
export function parseRenterIdentifier(raw: string): RenterIdentifier | null {
  const input = raw.normalize("NFKC").trim().slice(0, 254);
  if (input.includes("@")) {
    const email = input.toLowerCase();
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? { kind: "email", value: email } : null;
  }
  const phone = normalizeCambodianPhone(input);
  return phone.ok ? { kind: "phone", value: phone.e164 } : null;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function identifierHash(id: RenterIdentifier): string {
  return sha256(`${id.kind}:${id.value}`);
}

/** Codes are kept as an HMAC (a 6-digit space is too small for a plain hash), bound to their row. */
function codeHash(codeId: string, code: string): string {
  return createHmac("sha256", `renter-login-code:${process.env.AUTH_SECRET ?? "phteah-dev"}`)
    .update(`${codeId}:${code}`, "utf8")
    .digest("hex");
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

export function hashSessionToken(token: string): string {
  return sha256(`renter-session:${token}`);
}

export type RequestCodeResult = { throttled: false } | { throttled: true; retryAfterSeconds: number };

export type VerifyCodeResult =
  /** `choose`: the code proved two or more renters (a shared phone or e-mail): the person picks one (sessionChoices) */
  | { ok: true; token: string; sessionId: string; renterId: string; expiresAt: Date; choose: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export interface RenterSessionRow {
  sessionId: string;
  renterId: string;
  locale: "en" | "km";
  /** the sign-in proved other renters too (a shared phone or e-mail): the portal offers to switch */
  canSwitch: boolean;
}

export interface RenterWorkspace {
  tenantId: string;
  hostname: string;
}

/** What the renter sees of themselves in the portal shell and settings. */
export interface RenterProfile {
  id: string;
  name: string;
  locale: "en" | "km";
  messageChannel: RenterMessageChannel;
  hasEmail: boolean;
  telegramLinked: boolean;
}

const ACTIVE_RENTER = { archivedAt: null, erasedAt: null } as const;

/** The active renters of the workspace an identifier names (several when renters share a phone or an e-mail). */
function renterOfIdentifier(id: RenterIdentifier) {
  return {
    ...ACTIVE_RENTER,
    ...(id.kind === "email" ? { email: { equals: id.value, mode: "insensitive" as const } } : { phone: id.value }),
  };
}

/** A renter's name as the portal shows it: in the reader's language first. */
function renterName(r: { nameKm: string; nameLatin: string }, locale: "en" | "km"): string {
  return (locale === "km" ? r.nameKm || r.nameLatin : r.nameLatin || r.nameKm) || "";
}

/** One of the renters a sign-in proved, as the chooser shows it (names only). */
export interface RenterChoice {
  id: string;
  name: string;
  current: boolean;
}

export class RenterAuthService {
  private readonly db: TenantDb;
  private readonly audit: AuditLogger;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly workspace: RenterWorkspace,
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {
    this.db = new TenantDb(workspace.tenantId);
    this.audit = new AuditLogger(meta);
    this.limiter = new RateLimiter(clock);
  }

  private ipBucket(kind: string): string {
    return `renter-${kind}:ip:${this.meta.ip ?? "unknown"}`;
  }

  /**
   * Sends a 6-digit code to the renter's linked Telegram chat and/or e-mail (by their channel).
   * The answer never tells whether the identifier belongs to a renter: an unknown, archived or
   * unreachable renter gets the same `{ throttled: false }` and nothing is sent.
   */
  async requestCode(raw: string): Promise<RequestCodeResult> {
    const id = parseRenterIdentifier(raw);
    const idBucket = `renter-code:${this.workspace.tenantId}:${id ? identifierHash(id) : "invalid"}`;
    const slot = await this.limiter.consume([idBucket, this.ipBucket("code")], CODE_REQUEST_RULE);
    if (slot.limited) return { throttled: true, retryAfterSeconds: slot.retryAfterSeconds };
    if (!id) return { throttled: false };

    const now = this.clock();
    const prepared = await this.db.run(async (tx) => {
      const renter = await tx.renter.findFirst({
        where: renterOfIdentifier(id),
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: {
          id: true,
          email: true,
          telegramChatId: true,
          telegramBotId: true,
          messageChannel: true,
          locale: true,
          nameKm: true,
          nameLatin: true,
        },
      });
      if (!renter) return null;
      const channel = asEnumValue(RENTER_MESSAGE_CHANNEL_VALUES, renter.messageChannel);
      // a chat linked through the workspace's own bot (telegramBotId) is reachable without the platform bot
      const telegram =
        renter.telegramChatId && (renter.telegramBotId || telegramEnabled()) && channel !== "email" ? renter.telegramChatId : null;
      // a renter who chose Telegram but has no linked chat still gets the code by e-mail
      const email = renter.email && (channel !== "telegram" || !telegram) ? renter.email : null;
      if (!telegram && !email) return null;
      // the previous codes of this identifier stop working: only the newest one counts
      await tx.renterLoginCode.updateMany({
        where: { identifierHash: identifierHash(id), usedAt: null },
        data: { usedAt: now },
      });
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const row = await tx.renterLoginCode.create({
        data: {
          tenantId: this.workspace.tenantId,
          renterId: renter.id,
          identifierHash: identifierHash(id),
          codeHash: "pending",
          emailedTo: email,
          expiresAt: new Date(now.getTime() + LOGIN_CODE_TTL_MS),
        },
        select: { id: true },
      });
      await tx.renterLoginCode.update({ where: { id: row.id }, data: { codeHash: codeHash(row.id, code) } });
      const locale = renter.locale === "en" ? "en" : "km";
      const variables = {
        renter: renterName(renter, locale),
        code,
        minutes: String(LOGIN_CODE_TTL_MS / 60_000),
      };
      const base = { tenantId: this.workspace.tenantId, key: "renter.login_code", locale, variables };
      const mail = email ? await renderMessage(tx, { ...base, channel: "email" }) : null;
      const tg = telegram ? await renderMessage(tx, { ...base, channel: "telegram" }) : null;
      return { codeId: row.id, email, telegram, mail, tg };
    });
    if (!prepared) return { throttled: false };

    // Sent directly, never through the message queue: the log would otherwise keep the code where
    // staff could read it. A failed send is logged; the renter asks again (same answer).
    const sends: Promise<unknown>[] = [];
    if (prepared.email && prepared.mail) {
      const m = prepared.mail;
      sends.push(sendMail({ to: prepared.email, subject: m.subject, text: m.text, html: m.html, tags: { kind: "renter_login_code" } }));
    }
    if (prepared.telegram && prepared.tg) {
      const m = prepared.tg;
      sends.push(
        telegramChannel.send({
          tenantId: this.workspace.tenantId,
          to: prepared.telegram,
          subject: m.subject,
          text: m.text,
          html: "",
          tags: {},
          idempotencyKey: `renter-login-code:${prepared.codeId}`,
        }),
      );
    }
    for (const result of await Promise.allSettled(sends)) {
      if (result.status === "rejected") {
        logger.warn(
          { tenantId: this.workspace.tenantId, codeId: prepared.codeId, err: String(result.reason) },
          "renter sign-in code not sent",
        );
      }
    }
    return { throttled: false };
  }

  /**
   * Checks a code and, when right, opens a session. Atomic: the attempt is counted and the code
   * claimed by conditional updates, so of two concurrent checks of one right code exactly one wins.
   */
  async verifyCode(raw: string, code: string): Promise<VerifyCodeResult> {
    const id = parseRenterIdentifier(raw);
    const idBucket = `renter-verify:${this.workspace.tenantId}:${id ? identifierHash(id) : "invalid"}`;
    const slot = await this.limiter.consume([idBucket, this.ipBucket("verify")], CODE_VERIFY_RULE);
    if (slot.limited) return { ok: false, reason: "throttled", retryAfterSeconds: slot.retryAfterSeconds };
    const digits = code.normalize("NFKC").replace(/\s+/g, "");
    if (!id || !/^\d{6}$/.test(digits)) return { ok: false, reason: "invalid" };

    const now = this.clock();
    const token = randomBytes(32).toString("base64url");
    const result = await this.db.run(async (tx) => {
      const latest = await tx.renterLoginCode.findFirst({
        where: { identifierHash: identifierHash(id) },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true },
      });
      if (!latest) return null;
      // count the attempt first (only while the code is open): a 6th guess finds nothing to count
      const counted = await tx.renterLoginCode.updateManyAndReturn({
        where: { id: latest.id, usedAt: null, expiresAt: { gt: now }, attempts: { lt: LOGIN_CODE_MAX_ATTEMPTS } },
        data: { attempts: { increment: 1 } },
        select: { id: true, codeHash: true, renterId: true, emailedTo: true },
      });
      const row = counted[0];
      if (!row || !sameHash(row.codeHash, codeHash(row.id, digits))) return null;
      const claimed = await tx.renterLoginCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) return null;
      const renter = await tx.renter.findFirst({ where: { id: row.renterId, ...ACTIVE_RENTER }, select: { id: true } });
      if (!renter) return null;
      // Renters sharing the identifier (one who rented twice, a family): the code proves the address it
      // reached, so the person may open the renter it was sent for and those whose own e-mail is the
      // very address it was e-mailed to; never one the code did not reach (another e-mail, another chat).
      const sharing = await tx.renter.findMany({
        where: renterOfIdentifier(id),
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, email: true },
        take: MAX_RENTER_CHOICES,
      });
      const reached = row.emailedTo?.toLowerCase() ?? null;
      const proven = sharing.filter((r) => r.id === renter.id || (reached !== null && r.email?.toLowerCase() === reached)).map((r) => r.id);
      const renterChoices = proven.length > 1 ? proven : [];
      const expiresAt = new Date(now.getTime() + RENTER_SESSION_ABSOLUTE_MS);
      const session = await tx.renterSession.create({
        data: {
          tenantId: this.workspace.tenantId,
          renterId: renter.id,
          tokenHash: hashSessionToken(token),
          host: this.workspace.hostname,
          ip: this.meta.ip,
          userAgent: this.meta.userAgent?.slice(0, 500) ?? null,
          createdAt: now,
          lastSeenAt: now,
          expiresAt,
          renterChoices,
        },
        select: { id: true },
      });
      await this.audit.log(tx, this.workspace.tenantId, {
        action: "renter.portal_signed_in",
        targetType: "Renter",
        targetId: renter.id,
        metadata: { via: id.kind },
      });
      return { sessionId: session.id, renterId: renter.id, expiresAt, choose: renterChoices.length > 1 };
    });
    if (!result) return { ok: false, reason: "invalid" };
    await this.limiter.refund(slot);
    return { ok: true, token, ...result };
  }

  /** The session a cookie's token names, on this workspace and host; null when it does not hold. */
  async readSession(token: string | null | undefined): Promise<RenterSessionRow | null> {
    if (!token || token.length > 200) return null;
    const now = this.clock();
    const row = await this.db.run((tx) =>
      tx.renterSession.findFirst({
        where: { tokenHash: hashSessionToken(token) },
        select: {
          id: true,
          host: true,
          renterId: true,
          createdAt: true,
          lastSeenAt: true,
          expiresAt: true,
          revokedAt: true,
          renterChoices: true,
          renter: { select: { archivedAt: true, erasedAt: true, locale: true } },
        },
      }),
    );
    if (!row || row.host !== this.workspace.hostname || row.revokedAt) return null;
    if (row.expiresAt <= now || now.getTime() - row.lastSeenAt.getTime() > RENTER_SESSION_IDLE_MS) return null;
    // an archived or erased renter has no portal any more
    if (row.renter.archivedAt || row.renter.erasedAt) return null;
    if (now.getTime() - row.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
      await this.db.run((tx) => tx.renterSession.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastSeenAt: now } }));
    }
    return {
      sessionId: row.id,
      renterId: row.renterId,
      locale: row.renter.locale === "en" ? "en" : "km",
      canSwitch: row.renterChoices.length > 1,
    };
  }

  /**
   * The renters this session's sign-in proved (a shared phone or e-mail), names only, the session's
   * own first; empty when there is nothing to choose (one renter, or the others archived since).
   */
  async sessionChoices(token: string | null | undefined): Promise<RenterChoice[]> {
    const session = await this.readSession(token);
    if (!session) return [];
    return this.db.run(async (tx) => {
      const row = await tx.renterSession.findUnique({ where: { id: session.sessionId }, select: { renterChoices: true } });
      if (!row || row.renterChoices.length < 2) return [];
      const renters = await tx.renter.findMany({
        where: { id: { in: row.renterChoices }, ...ACTIVE_RENTER },
        select: { id: true, nameKm: true, nameLatin: true },
      });
      if (renters.length < 2) return [];
      const order = new Map(row.renterChoices.map((id, i) => [id, i]));
      return renters
        .sort((a, b) => Number(b.id === session.renterId) - Number(a.id === session.renterId) || order.get(a.id)! - order.get(b.id)!)
        .map((r) => ({ id: r.id, name: renterName(r, session.locale), current: r.id === session.renterId }));
    });
  }

  /**
   * Opens another of the renters this session's sign-in proved: a new session for that renter (same
   * host, same proven renters, the same absolute end: choosing never extends it), the old one revoked.
   * null when the renter is not one of them (another renter's id, archived since, anything else).
   */
  async switchRenter(
    token: string | null | undefined,
    renterId: string,
  ): Promise<{ token: string; sessionId: string; renterId: string } | null> {
    const session = await this.readSession(token);
    if (!session || !/^[0-9a-f-]{36}$/i.test(renterId)) return null;
    if (renterId === session.renterId) return { token: token!, sessionId: session.sessionId, renterId };
    const now = this.clock();
    const next = randomBytes(32).toString("base64url");
    const opened = await this.db.run(async (tx) => {
      const row = await tx.renterSession.findUnique({ where: { id: session.sessionId }, select: { renterChoices: true, expiresAt: true } });
      if (!row || !row.renterChoices.includes(renterId.toLowerCase())) return null;
      const renter = await tx.renter.findFirst({ where: { id: renterId, ...ACTIVE_RENTER }, select: { id: true } });
      if (!renter) return null;
      const revoked = await tx.renterSession.updateMany({ where: { id: session.sessionId, revokedAt: null }, data: { revokedAt: now } });
      if (revoked.count !== 1) return null;
      const created = await tx.renterSession.create({
        data: {
          tenantId: this.workspace.tenantId,
          renterId: renter.id,
          tokenHash: hashSessionToken(next),
          host: this.workspace.hostname,
          ip: this.meta.ip,
          userAgent: this.meta.userAgent?.slice(0, 500) ?? null,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: row.expiresAt,
          renterChoices: row.renterChoices,
        },
        select: { id: true },
      });
      await this.audit.log(tx, this.workspace.tenantId, {
        action: "renter.portal_signed_in",
        targetType: "Renter",
        targetId: renter.id,
        metadata: { via: "choice" },
      });
      return { sessionId: created.id, renterId: renter.id };
    });
    return opened ? { token: next, ...opened } : null;
  }

  /** Sign-out: the session is revoked (the cookie is cleared by the caller). */
  async signOut(token: string | null | undefined): Promise<void> {
    const session = await this.readSession(token);
    if (!session) return;
    const now = this.clock();
    await this.db.run(async (tx) => {
      const revoked = await tx.renterSession.updateMany({ where: { id: session.sessionId, revokedAt: null }, data: { revokedAt: now } });
      if (revoked.count === 1) {
        await this.audit.log(tx, this.workspace.tenantId, {
          action: "renter.portal_signed_out",
          targetType: "Renter",
          targetId: session.renterId,
        });
      }
    });
  }

  /** Ends every open session of a renter (erasure, archive, or a renter's "sign out everywhere"). */
  static async revokeAll(tx: DbTx, renterId: string, now: Date): Promise<number> {
    const { count } = await tx.renterSession.updateMany({ where: { renterId, revokedAt: null }, data: { revokedAt: now } });
    return count;
  }
}

/** The signed-in renter's own profile (the portal shell and settings). */
export async function renterProfile(scope: { tenantId: string; renterId: string }): Promise<RenterProfile | null> {
  const r = await new TenantDb(scope.tenantId).run((tx) =>
    tx.renter.findFirst({
      where: { id: scope.renterId, ...ACTIVE_RENTER },
      select: { id: true, nameKm: true, nameLatin: true, locale: true, messageChannel: true, email: true, telegramChatId: true },
    }),
  );
  if (!r) return null;
  const locale = r.locale === "en" ? "en" : "km";
  return {
    id: r.id,
    name: renterName(r, locale),
    locale,
    messageChannel: asEnumValue(RENTER_MESSAGE_CHANNEL_VALUES, r.messageChannel),
    hasEmail: Boolean(r.email),
    telegramLinked: Boolean(r.telegramChatId),
  };
}

/**
 * Whether the workspace's renters can link Telegram: through its own bot (WorkspaceTelegramBot,
 * docs/TELEGRAM.md "A workspace's own bot") or the platform bot. Read only where it is not already
 * known (the settings page without a link to show).
 */
export async function workspaceTelegramOn(tenantId: string): Promise<boolean> {
  if (telegramEnabled()) return true;
  return (await new TenantDb(tenantId).run((tx) => tx.workspaceTelegramBot.count({ where: { tenantId } }))) > 0;
}

export interface RenterSettingsInput {
  messageChannel?: string;
  locale?: string;
}

/**
 * The renter's own choices: message channel (telegram / email / both) and language. A channel the
 * renter cannot be reached on is refused (Telegram needs a linked chat, e-mail an address).
 */
export async function updateRenterSettings(
  scope: { tenantId: string; renterId: string },
  input: RenterSettingsInput,
  meta: RequestMeta,
): Promise<{ ok: true } | { ok: false; error: "invalidChannel" | "invalidLocale" | "telegramNotLinked" | "noEmail" | "notFound" }> {
  const channel = input.messageChannel;
  const locale = input.locale;
  if (channel !== undefined && !(RENTER_MESSAGE_CHANNEL_VALUES as readonly string[]).includes(channel))
    return { ok: false, error: "invalidChannel" };
  if (locale !== undefined && locale !== "en" && locale !== "km") return { ok: false, error: "invalidLocale" };
  return new TenantDb(scope.tenantId).run(async (tx) => {
    const r = await tx.renter.findFirst({
      where: { id: scope.renterId, ...ACTIVE_RENTER },
      select: { id: true, messageChannel: true, locale: true, email: true, telegramChatId: true },
    });
    if (!r) return { ok: false as const, error: "notFound" as const };
    if (channel && channel !== "email" && !r.telegramChatId) return { ok: false as const, error: "telegramNotLinked" as const };
    if (channel && channel !== "telegram" && !r.email) return { ok: false as const, error: "noEmail" as const };
    const data: { messageChannel?: string; locale?: string } = {};
    if (channel && channel !== r.messageChannel) data.messageChannel = channel;
    if (locale && locale !== r.locale) data.locale = locale;
    if (Object.keys(data).length === 0) return { ok: true as const };
    await tx.renter.update({ where: { id: r.id }, data });
    await new AuditLogger(meta).log(tx, scope.tenantId, {
      action: "renter.portal_settings_changed",
      targetType: "Renter",
      targetId: r.id,
      metadata: {
        ...(data.messageChannel ? { messageChannel: { from: r.messageChannel, to: data.messageChannel } } : {}),
        ...(data.locale ? { locale: { from: r.locale, to: data.locale } } : {}),
      },
    });
    return { ok: true as const };
  });
}

/**
 * A one-time Telegram deep link (and its QR code) for the signed-in renter's settings page: only
 * while the bot is on and the renter has no chat; 30 minutes, at most MAX_LIVE_LINKS live at once
 * (as the pay page's box: page views cannot pile up link rows).
 */
export async function renterTelegramLink(
  scope: { tenantId: string; renterId: string },
  now: Date = new Date(),
): Promise<{ url: string; qr: string } | null> {
  // no bot (neither the workspace's own nor the platform's): createTelegramLink answers null
  const link = await new TenantDb(scope.tenantId).run(async (tx) => {
    const r = await tx.renter.findFirst({ where: { id: scope.renterId, ...ACTIVE_RENTER }, select: { id: true, telegramChatId: true } });
    if (!r || r.telegramChatId) return null;
    const live = await tx.telegramLinkToken.count({ where: { renterId: r.id, usedAt: null, expiresAt: { gt: now } } });
    if (live >= MAX_LIVE_LINKS) return null;
    return createTelegramLink(tx, { tenantId: scope.tenantId, renterId: r.id, createdById: null, now, ttlMs: TELEGRAM_PAY_LINK_TTL_MS });
  });
  if (!link) return null;
  return { url: link.url, qr: await QRCode.toDataURL(link.url, { margin: 1, width: 180 }) };
}

import "server-only";
import { createHash, randomBytes } from "node:crypto";
import QRCode from "qrcode";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { DbTx } from "@/server/db/tenant-db";
import { asEnumValue, RENTER_MESSAGE_CHANNEL_VALUES, type RenterMessageChannel } from "@/lib/enums";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { telegramDeepLink, workspaceBotUsername } from "./telegram-config";

// Linking a renter's Telegram chat (docs/TELEGRAM.md, "Linking"): staff (or the pay page) get a
// one-time deep link https://t.me/<bot>?start=<token>; the renter opens it, Telegram sends the bot
// "/start <token>" and the bot links that chat (telegram-bot.public.ts). The token is random (144
// bits), stored only as its SHA-256, bound to one tenant and one renter, single-use and expiring.
// Staff never type chat ids. Tenant code: everything here runs under the tenant's row-level security.

/** How long a link made by staff works (shared by hand: the renter may open it days later). */
export const TELEGRAM_LINK_TTL_MS = 7 * 24 * 3600_000;
/**
 * How long a link shown on the pay page works: the renter is looking at it, so it expires quickly
 * (whoever holds the pay link sees it too; each view mints a new one, MAX_LIVE_LINKS at most).
 */
export const TELEGRAM_PAY_LINK_TTL_MS = 30 * 60_000;

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new one-time link token (24 URL-safe characters, as Telegram's start parameter allows). */
export function newLinkToken(): string {
  return randomBytes(18).toString("base64url");
}

/** Writes a link token for the renter in the caller's (tenant) transaction; returns the deep link. */
export async function createTelegramLink(
  tx: DbTx,
  args: { tenantId: string; renterId: string; createdById: string | null; now: Date; ttlMs?: number; username?: string },
): Promise<{ url: string; expiresAt: Date } | null> {
  // the bot the workspace uses now: its own, else the platform bot (docs/TELEGRAM.md)
  const username = args.username ?? (await workspaceBotUsername(tx, args.tenantId));
  if (!username) return null;
  const token = newLinkToken();
  const expiresAt = new Date(args.now.getTime() + (args.ttlMs ?? TELEGRAM_LINK_TTL_MS));
  await tx.telegramLinkToken.create({
    data: { tenantId: args.tenantId, renterId: args.renterId, tokenHash: hashLinkToken(token), expiresAt, createdById: args.createdById },
  });
  return { url: telegramDeepLink(username, token), expiresAt };
}

export interface TelegramRenterStatus {
  /** a bot is available: the workspace's own or the platform's (otherwise messages go by e-mail) */
  enabled: boolean;
  botUsername: string | null;
  linked: boolean;
  linkedAt: Date | null;
  /** the Telegram account's name when it was linked ("First Last (@username)") */
  telegramName: string | null;
  messageChannel: RenterMessageChannel;
  hasEmail: boolean;
  /** the renter blocked the bot (a bounce): messages to the chat are suppressed until they link again */
  blocked: { at: Date; reason: string } | null;
}

export class TelegramLinkService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: Clock = systemClock,
  ) {}

  private audit() {
    return tenantAudit(this.ctx);
  }

  private async renter(tx: DbTx, renterId: string) {
    const r = await tx.renter.findFirst({
      where: { id: renterId },
      select: {
        id: true,
        email: true,
        telegramChatId: true,
        telegramLinkedAt: true,
        telegramName: true,
        messageChannel: true,
        archivedAt: true,
        erasedAt: true,
      },
    });
    if (!r) throw new AppError("NOT_FOUND", "renters.errors.notFound");
    return r;
  }

  async status(renterId: string): Promise<TelegramRenterStatus> {
    return this.ctx.db.run(async (tx) => {
      const r = await this.renter(tx, renterId);
      const username = await workspaceBotUsername(tx, this.ctx.tenantId);
      const suppressed = r.telegramChatId
        ? await tx.suppressedAddress.findFirst({
            where: { channel: "telegram", address: r.telegramChatId },
            select: { createdAt: true, reason: true, messageId: true },
          })
        : null;
      let reason = suppressed?.reason ?? "";
      if (suppressed?.messageId) {
        const m = await tx.outboundMessage.findFirst({ where: { id: suppressed.messageId }, select: { lastError: true } });
        if (m?.lastError) reason = m.lastError;
      }
      return {
        enabled: username !== null,
        botUsername: username,
        linked: r.telegramChatId !== null,
        linkedAt: r.telegramLinkedAt,
        telegramName: r.telegramChatId ? r.telegramName : null,
        messageChannel: asEnumValue(RENTER_MESSAGE_CHANNEL_VALUES, r.messageChannel),
        hasEmail: Boolean(r.email),
        blocked: suppressed ? { at: suppressed.createdAt, reason } : null,
      };
    });
  }

  /** A new one-time link for staff to share, with its QR code (a PNG data URL) for the renter to scan. */
  async createLink(renterId: string): Promise<{ url: string; expiresAt: Date; qr: string }> {
    const link = await this.ctx.db.run(async (tx) => {
      const r = await this.renter(tx, renterId);
      if (r.archivedAt || r.erasedAt) throw new AppError("INVALID_STATE", "renters.errors.archived");
      // one chat per renter: linking another one starts with unlinking this one (docs/TELEGRAM.md)
      if (r.telegramChatId) throw new AppError("INVALID_STATE", "telegram.errors.alreadyLinked");
      const link = await createTelegramLink(tx, { tenantId: this.ctx.tenantId, renterId, createdById: this.ctx.userId, now: this.clock() });
      if (!link) throw new AppError("INVALID_STATE", "telegram.errors.off");
      await this.audit().log(tx, {
        action: "renter.telegram_link_created",
        targetType: "Renter",
        targetId: renterId,
        metadata: { after: { expiresAt: link.expiresAt.toISOString() } },
      });
      return link;
    });
    return { ...link, qr: await QRCode.toDataURL(link.url, { margin: 1, width: 220 }) };
  }

  /** Staff unlink the renter's chat (the renter can also send /stop). */
  async unlink(renterId: string): Promise<{ id: string }> {
    return this.ctx.db.run(async (tx) => {
      const r = await this.renter(tx, renterId);
      if (!r.telegramChatId) return { id: r.id };
      await tx.renter.update({
        where: { id: r.id },
        data: { telegramChatId: null, telegramLinkedAt: null, telegramName: null, telegramBotId: null },
      });
      await this.audit().log(tx, {
        action: "renter.telegram_unlinked",
        targetType: "Renter",
        targetId: r.id,
        metadata: { before: { linked: true, telegramName: r.telegramName }, after: { linked: false } },
      });
      return { id: r.id };
    });
  }

  /** Where the renter's messages go: email, telegram or both. */
  async setChannel(renterId: string, channel: RenterMessageChannel): Promise<{ id: string; messageChannel: RenterMessageChannel }> {
    return this.ctx.db.run(async (tx) => {
      const r = await this.renter(tx, renterId);
      if (r.messageChannel !== channel) {
        await tx.renter.update({ where: { id: r.id }, data: { messageChannel: channel } });
        await this.audit().log(tx, {
          action: "renter.message_channel_changed",
          targetType: "Renter",
          targetId: r.id,
          metadata: { before: { messageChannel: r.messageChannel }, after: { messageChannel: channel } },
        });
      }
      return { id: r.id, messageChannel: channel };
    });
  }
}

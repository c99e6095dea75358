import "server-only";
import QRCode from "qrcode";
import { TenantDb } from "@/server/db/tenant-db";
import { createTelegramLink, TELEGRAM_PAY_LINK_TTL_MS } from "./telegram-link";
import { workspaceBotUsername } from "./telegram-config";

// The "Get your invoices on Telegram" box of the renter pay page (docs/TELEGRAM.md, "Linking"):
// for the invoice's renter while their chat is not linked, a fresh one-time deep link (and its QR
// code). The pay page itself is throttled; at most MAX_LIVE_LINKS unused, unexpired links per renter
// exist at once (past that the box is not shown), so page views cannot pile up link rows.
// Whoever holds the pay link sees the box too, so (docs/TELEGRAM.md, "Linking"): the link is only
// for the invoice's own renter, only while that renter has no chat (one chat per renter: a linked
// renter's chat is never replaced through it), only for an invoice the pay page shows, and it
// expires after TELEGRAM_PAY_LINK_TTL_MS (30 minutes); the renter is told by e-mail when it links.

export const MAX_LIVE_LINKS = 20;

export async function telegramLinkForPayToken(
  tenantId: string,
  payToken: string,
  now: Date = new Date(),
): Promise<{ url: string; qr: string } | null> {
  if (!payToken || payToken.length > 200) return null;
  const link = await new TenantDb(tenantId).run(async (tx) => {
    // the workspace's own bot, else the platform bot; neither: no box
    const username = await workspaceBotUsername(tx, tenantId);
    if (!username) return null;
    const invoice = await tx.rentInvoice.findFirst({
      where: { payToken },
      select: {
        status: true,
        contract: { select: { renter: { select: { id: true, telegramChatId: true, archivedAt: true, erasedAt: true } } } },
      },
    });
    const renter = invoice?.contract.renter;
    if (!invoice || invoice.status === "void" || invoice.status === "draft") return null;
    if (!renter || renter.telegramChatId || renter.archivedAt || renter.erasedAt) return null;
    const live = await tx.telegramLinkToken.count({ where: { renterId: renter.id, usedAt: null, expiresAt: { gt: now } } });
    if (live >= MAX_LIVE_LINKS) return null;
    return createTelegramLink(tx, { tenantId, renterId: renter.id, createdById: null, now, ttlMs: TELEGRAM_PAY_LINK_TTL_MS, username });
  });
  if (!link) return null;
  return { url: link.url, qr: await QRCode.toDataURL(link.url, { margin: 1, width: 180 }) };
}

import "server-only";
import { GrammyError, type Api } from "grammy";
import { z } from "zod";
import type { DbTx } from "@/server/db/tenant-db";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_META } from "@/server/core/request-meta";
import { createTranslator, type Translator } from "@/lib/i18n";
import { formatMoney } from "@/lib/money";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { OPEN_RENT_INVOICE_STATUSES } from "@/lib/rentals/invoice-state";
import { formatDay, renterDisplayName } from "@/server/rent-invoices/rent-messages";
import { createFormat } from "@/lib/i18n/format";
import { queueMessage } from "./queue";
import { logger } from "@/server/core/observability/logger";
import { hashLinkToken } from "./telegram-link";
import { telegramPayload } from "./channels/telegram";
import { normalizeAddress } from "./suppression";

// The bot's side of a Telegram update (docs/TELEGRAM.md, "Commands"). Platform code: a chat may
// be linked to renters of several workspaces, and a link token names its own tenant. Runs inside
// the webhook inbox's transaction (telegram-webhook.public.ts), so a failed reply rolls the update's
// changes back and the update is processed again.
// - /start <token>: links the chat to the token's renter (single-use, unexpired), lifts a block;
// - /stop: unlinks the chat from every renter at once;
// - /balance: what each linked renter owes, with a pay button per open invoice;
// - /receipt: each linked renter's last payment;
// - /help (and /start without a token): the list.
// A chat that blocks the bot (my_chat_member "kicked") is suppressed like a bounce.
// Per bot (docs/TELEGRAM.md, "A workspace's own bot"): the platform bot (scope null) sees only the
// chats linked through it (Renter.telegramBotId null) and links only renters of workspaces without
// a bot of their own; a workspace's own bot (scope) sees and links only that workspace's renters,
// through itself. A /start token of workspace A sent to workspace B's bot links nothing.

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: z
    .object({
      message_id: z.number().int(),
      chat: z.object({ id: z.number().int(), type: z.string().max(20) }),
      from: z
        .object({
          language_code: z.string().max(20).optional(),
          first_name: z.string().max(256).optional(),
          last_name: z.string().max(256).optional(),
          username: z.string().max(64).optional(),
        })
        .partial()
        .optional(),
      text: z.string().max(4096).optional(),
    })
    .optional(),
  my_chat_member: z
    .object({
      chat: z.object({ id: z.number().int() }),
      new_chat_member: z.object({ status: z.string().max(30) }),
    })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof updateSchema>;

export interface BotOutcome {
  /** what the update was: a command name, "blocked", or "ignored" */
  handled: string;
  /** the tenant the update linked to, when one did */
  tenantId: string | null;
}

type Reply = { text: string; buttons?: Array<{ label: string; url: string }> };

function localeOf(code: string | undefined): "km" | "en" {
  return code?.toLowerCase().startsWith("en") ? "en" : code?.toLowerCase().startsWith("km") ? "km" : "en";
}

/** The Telegram account's name as staff and the renter's notice show it: "First Last (@username)". */
export function telegramDisplayName(from: { first_name?: string; last_name?: string; username?: string } | undefined): string {
  const name = [from?.first_name, from?.last_name]
    .map((part) => (part ?? "").replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join(" ");
  const handle = from?.username && /^[A-Za-z0-9_]{3,64}$/.test(from.username) ? `@${from.username}` : "";
  const shown = name && handle ? `${name} (${handle})` : name || handle;
  return shown.slice(0, 200) || "Telegram";
}

function renterLocale(locale: string): "km" | "en" {
  return locale === "en" ? "en" : "km";
}

interface LinkedRenter {
  id: string;
  tenantId: string;
  locale: string;
  tenant: { name: string; slug: string; status: string };
}

/** The bot an update came to: null = the platform bot, else a workspace's own bot. */
export type BotScope = { tenantId: string; botId: string } | null;

/** The renters a chat is linked to through this bot. */
function chatWhere(chatId: string, scope: BotScope) {
  return scope
    ? { telegramChatId: chatId, tenantId: scope.tenantId, telegramBotId: scope.botId }
    : { telegramChatId: chatId, telegramBotId: null };
}

async function linkedRenters(tx: DbTx, chatId: string, scope: BotScope): Promise<LinkedRenter[]> {
  const renters = await tx.renter.findMany({
    where: { ...chatWhere(chatId, scope), erasedAt: null },
    select: { id: true, tenantId: true, locale: true },
    orderBy: { createdAt: "asc" },
    take: 20,
  });
  if (renters.length === 0) return [];
  const tenants = await tx.tenant.findMany({
    where: { id: { in: [...new Set(renters.map((r) => r.tenantId))] } },
    select: { id: true, name: true, slug: true, status: true },
  });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  return renters.flatMap((r) => {
    const tenant = byId.get(r.tenantId);
    return tenant ? [{ ...r, tenant }] : [];
  });
}

export async function handleTelegramUpdate(
  tx: DbTx,
  update: TelegramUpdate,
  now: Date,
  api: Api,
  scope: BotScope = null,
): Promise<BotOutcome> {
  if (update.my_chat_member) {
    const chatId = String(update.my_chat_member.chat.id);
    if (update.my_chat_member.new_chat_member.status === "kicked") {
      // the renter blocked the bot: a bounce for every workspace the chat is linked to
      for (const r of await linkedRenters(tx, chatId, scope)) {
        await tx.suppressedAddress.createMany({
          data: [{ tenantId: r.tenantId, channel: "telegram", address: normalizeAddress(chatId), reason: "bounced" }],
          skipDuplicates: true,
        });
      }
      return { handled: "blocked", tenantId: null };
    }
    return { handled: "ignored", tenantId: null };
  }
  const message = update.message;
  if (!message?.text || message.chat.type !== "private") return { handled: "ignored", tenantId: null };
  const chatId = String(message.chat.id);
  const match = /^\/([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?:\s+(\S+))?/.exec(message.text.trim());
  const command = match?.[1]?.toLowerCase() ?? "";
  const arg = match?.[2];
  const fallbackLocale = localeOf(message.from?.language_code);

  let reply: Reply;
  let tenantId: string | null = null;
  if (command === "start" && arg) {
    const linked = await linkChat(tx, chatId, arg, now, telegramDisplayName(message.from), scope);
    if (linked.outcome === "linked") {
      tenantId = linked.tenantId;
      reply = { text: createTranslator(linked.locale)("telegram.bot.linked", { workspace: linked.workspace }) };
    } else if (linked.outcome === "invalid") reply = { text: createTranslator(fallbackLocale)("telegram.bot.linkInvalid") };
    else
      reply = {
        text: createTranslator(linked.locale)(
          linked.outcome === "renter_taken" ? "telegram.bot.linkRenterTaken" : "telegram.bot.linkChatTaken",
          {
            workspace: linked.workspace,
          },
        ),
      };
  } else if (command === "stop") {
    const renters = await linkedRenters(tx, chatId, scope);
    const t = createTranslator(renters[0] ? renterLocale(renters[0].locale) : fallbackLocale);
    await tx.renter.updateMany({
      where: chatWhere(chatId, scope),
      data: { telegramChatId: null, telegramLinkedAt: null, telegramName: null, telegramBotId: null },
    });
    for (const r of renters) {
      await new AuditLogger(SYSTEM_META).log(tx, r.tenantId, {
        action: "renter.telegram_unlinked",
        actorEmail: "telegram",
        targetType: "Renter",
        targetId: r.id,
        metadata: { before: { linked: true }, after: { linked: false }, by: "renter" },
      });
    }
    reply = { text: t("telegram.bot.stopped") };
  } else if (command === "balance" || command === "receipt") {
    const renters = (await linkedRenters(tx, chatId, scope)).filter((r) => r.tenant.status === "active");
    if (renters.length === 0) reply = { text: createTranslator(fallbackLocale)("telegram.bot.notLinked") };
    else reply = command === "balance" ? await balance(tx, renters) : await receipt(tx, renters);
  } else if (command === "help" || command === "start") {
    const renters = await linkedRenters(tx, chatId, scope);
    const t = createTranslator(renters[0] ? renterLocale(renters[0].locale) : fallbackLocale);
    reply = { text: command === "start" ? `${t("telegram.bot.welcome")}\n\n${t("telegram.bot.help")}` : t("telegram.bot.help") };
  } else {
    const renters = await linkedRenters(tx, chatId, scope);
    reply = { text: createTranslator(renters[0] ? renterLocale(renters[0].locale) : fallbackLocale)("telegram.bot.unknown") };
  }

  const { text, reply_markup } = telegramPayload(reply);
  try {
    await api.sendMessage(chatId, text, { ...(reply_markup ? { reply_markup } : {}), link_preview_options: { is_disabled: true } });
  } catch (error) {
    // a chat that blocked the bot meanwhile cannot be answered; anything else fails the update (retried)
    if (!(error instanceof GrammyError && error.error_code === 403)) throw error;
    logger.info({ chatId }, "telegram: reply refused (bot blocked)");
  }
  return { handled: command || "text", tenantId };
}

type LinkOutcome =
  | { outcome: "linked"; tenantId: string; workspace: string; locale: "km" | "en" }
  | { outcome: "invalid" }
  /** the renter already has another chat: staff unlink it first (never replaced silently) */
  | { outcome: "renter_taken"; workspace: string; locale: "km" | "en" }
  /** this chat is another renter's of the same workspace: /stop first (never moved silently) */
  | { outcome: "chat_taken"; workspace: string; locale: "km" | "en" };

/**
 * /start <token>: the token's renter gets this chat (once; an expired or used token links nothing).
 * One chat per renter and one renter per chat in a workspace (docs/TELEGRAM.md, "Linking"): a renter
 * already linked to another chat, or a chat already linked to another renter of the workspace, links
 * nothing (the token stays unused). When it links, the renter is told on their e-mail.
 */
async function linkChat(tx: DbTx, chatId: string, token: string, now: Date, telegramName: string, scope: BotScope): Promise<LinkOutcome> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { outcome: "invalid" };
  const row = await tx.telegramLinkToken.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { id: true, tenantId: true, renterId: true, usedAt: true, expiresAt: true },
  });
  if (!row || row.usedAt || row.expiresAt <= now) return { outcome: "invalid" };
  // a workspace's own bot links only its workspace's renters
  if (scope && row.tenantId !== scope.tenantId) return { outcome: "invalid" };
  // links of one workspace one at a time: two chats redeeming two tokens of one renter, or one chat
  // redeeming two renters' tokens, at the same moment would each pass the checks below
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`telegram-link:${row.tenantId}`}))`;
  const renter = await tx.renter.findFirst({
    where: { tenantId: row.tenantId, id: row.renterId, erasedAt: null, archivedAt: null },
    select: { id: true, locale: true, email: true, nameKm: true, nameLatin: true, telegramChatId: true },
  });
  const tenant = await tx.tenant.findUnique({ where: { id: row.tenantId }, select: { name: true, status: true, timezone: true } });
  if (!renter || !tenant || tenant.status !== "active") return { outcome: "invalid" };
  // the link must arrive at the bot the workspace uses now (its own, else the platform bot)
  const own = await tx.workspaceTelegramBot.findFirst({ where: { tenantId: row.tenantId }, select: { botId: true } });
  if ((own?.botId ?? null) !== (scope?.botId ?? null)) return { outcome: "invalid" };
  const locale = renterLocale(renter.locale);
  if (renter.telegramChatId && renter.telegramChatId !== chatId) return { outcome: "renter_taken", workspace: tenant.name, locale };
  const other = await tx.renter.findFirst({
    where: { tenantId: row.tenantId, telegramChatId: chatId, telegramBotId: scope?.botId ?? null, NOT: { id: renter.id } },
    select: { id: true },
  });
  if (other) return { outcome: "chat_taken", workspace: tenant.name, locale };
  // single use: only the delivery that marks it used links
  const { count } = await tx.telegramLinkToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (count !== 1) return { outcome: "invalid" };
  await tx.renter.updateMany({
    where: { tenantId: row.tenantId, id: row.renterId },
    data: { telegramChatId: chatId, telegramLinkedAt: now, telegramName, telegramBotId: scope?.botId ?? null },
  });
  if (renter.email && renter.telegramChatId !== chatId) {
    // the renter hears of it on their other channel: a link in the wrong hands does not go unnoticed
    await queueMessage(tx, {
      tenantId: row.tenantId,
      key: "renter.telegram_linked",
      channel: "email",
      to: renter.email,
      locale,
      dedupeKey: `telegram-linked:${row.id}`,
      variables: {
        workspace: tenant.name,
        renter: renterDisplayName(renter, locale),
        telegramName,
        date: createFormat(locale).dateTime(now, tenant.timezone),
      },
    });
  }
  // linking again after blocking the bot: the chat may be written to again
  await tx.suppressedAddress.deleteMany({ where: { tenantId: row.tenantId, channel: "telegram", address: normalizeAddress(chatId) } });
  await new AuditLogger(SYSTEM_META).log(tx, row.tenantId, {
    action: "renter.telegram_linked",
    actorEmail: "telegram",
    targetType: "Renter",
    targetId: row.renterId,
    metadata: { after: { linked: true, telegramName } },
  });
  return { outcome: "linked", tenantId: row.tenantId, workspace: tenant.name, locale };
}

function sumsByCurrency(rows: Array<{ currency: string; owed: number }>): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.currency, (m.get(r.currency) ?? 0) + r.owed);
  return m;
}

async function balance(tx: DbTx, renters: LinkedRenter[]): Promise<Reply> {
  const t: Translator = createTranslator(renterLocale(renters[0]!.locale));
  const locale = renterLocale(renters[0]!.locale);
  const parts: string[] = [];
  const buttons: Array<{ label: string; url: string }> = [];
  for (const r of renters) {
    const invoices = await tx.rentInvoice.findMany({
      where: { tenantId: r.tenantId, status: { in: [...OPEN_RENT_INVOICE_STATUSES] }, contract: { renterId: r.id } },
      select: { number: true, currency: true, total: true, amountPaid: true, dueDate: true, payToken: true },
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
      take: 10,
    });
    const open = invoices.map((i) => ({ ...i, owed: Math.max(0, i.total - i.amountPaid) })).filter((i) => i.owed > 0);
    if (open.length === 0) {
      parts.push(t("telegram.bot.balanceNothing", { workspace: r.tenant.name }));
      continue;
    }
    const total = [...sumsByCurrency(open)].map(([currency, owed]) => formatMoney(owed, currency, locale)).join(" + ");
    const lines = [t("telegram.bot.balanceHeader", { workspace: r.tenant.name, amount: total })];
    for (const i of open) {
      lines.push(
        t("telegram.bot.invoiceLine", {
          number: i.number,
          amount: formatMoney(i.owed, i.currency, locale),
          due: formatDay(i.dueDate, locale),
        }),
      );
      if (i.payToken)
        buttons.push({ label: t("telegram.bot.payButton", { number: i.number }), url: payLinkFor(r.tenant.slug, i.payToken) });
    }
    parts.push(lines.join("\n"));
  }
  return { text: parts.join("\n\n"), buttons };
}

async function receipt(tx: DbTx, renters: LinkedRenter[]): Promise<Reply> {
  const locale = renterLocale(renters[0]!.locale);
  const t: Translator = createTranslator(locale);
  const parts: string[] = [];
  for (const r of renters) {
    const p = await tx.payment.findFirst({
      where: { tenantId: r.tenantId, status: "paid", rentInvoice: { contract: { renterId: r.id } } },
      select: { amount: true, currency: true, method: true, paidAt: true, createdAt: true, rentInvoice: { select: { number: true } } },
      orderBy: [{ paidAt: "desc" }, { createdAt: "desc" }],
    });
    if (!p) {
      parts.push(t("telegram.bot.receiptNone", { workspace: r.tenant.name }));
      continue;
    }
    const method =
      p.method === "khqr" || p.method === "cash" || p.method === "bank_transfer" ? t(`telegram.bot.methods.${p.method}`) : p.method;
    parts.push(
      t("telegram.bot.receiptLine", {
        workspace: r.tenant.name,
        amount: formatMoney(p.amount, p.currency, locale),
        date: formatDay(p.paidAt ?? p.createdAt, locale),
        method,
        number: p.rentInvoice?.number ?? "",
      }),
    );
  }
  return { text: parts.join("\n\n") };
}

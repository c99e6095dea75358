// A local stand-in for the Telegram Bot API (docs/TELEGRAM.md, "Local development and tests") on
// node:http, for the integration tests (through grammy's `apiRoot`), `npm run dev` and
// scripts/fake-telegram.ts. Same envelope as Telegram: { ok: true, result } or
// { ok: false, error_code, description, parameters? }.
//
// Bot API methods (POST /bot<token>/<method>, JSON or form body): getMe, sendMessage (recorded),
// getUpdates (long polling: the updates queued by /__fake/update), setWebhook, deleteWebhook.
// Development controls (never part of the real API):
//   POST /__fake/update {chatId, text, languageCode?}: a renter writes to the bot; delivered to the
//        webhook set with setWebhook (with its secret token) or queued for getUpdates
//   POST /__fake/reset · GET /__fake/messages (JSON) · GET / (the captured messages as chat bubbles)
//   POST /__fake/bots {token, username}: another bot (a workspace's own) · GET /__fake/webhook?token=…
// Test controls: failNext(…) (e.g. 429 with retry_after), block(chatId) (403 bot was blocked),
// addBot(token, username): another bot (a workspace's own bot) on the same server, with its own
// webhook; each recorded message says which bot sent it (`bot`, its username).
//
// No `server-only`, nothing from server/db: plain tsx scripts start it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The development bot of `npm run dev` (a valid-looking token; the fake accepts only it). */
export const FAKE_TELEGRAM_DEFAULT_TOKEN = "123456789:local-fake-telegram-token-000000";
export const FAKE_TELEGRAM_BOT_USERNAME = "phteah_local_bot";

export interface FakeTelegramMessage {
  messageId: number;
  chatId: string;
  text: string;
  /** the inline keyboard's URL buttons, row by row */
  buttons: Array<{ text: string; url: string }>;
  at: string;
  /** the username of the bot that sent it */
  bot: string;
}

export interface FakeTelegramFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

export interface FakeTelegram {
  url: string;
  token: string;
  /** every sendMessage accepted, in order */
  messages: FakeTelegramMessage[];
  /** every Bot API call (method names), accepted or not */
  calls: string[];
  /** the next `times` sendMessage calls answer this error */
  failNext(failure: FakeTelegramFailure, times?: number): void;
  /** sendMessage to this chat answers 403 "bot was blocked by the user" until unblocked */
  block(chatId: string | number): void;
  unblock(chatId: string | number): void;
  /** queues an update for getUpdates, or posts it to the webhook when one is set */
  sendUpdate(update: Record<string, unknown>, botToken?: string): Promise<void>;
  /** another bot this server answers for (a workspace's own bot); its id is the token's prefix */
  addBot(token: string, username: string): void;
  /** the webhook a bot set with setWebhook (null: none) */
  webhookOf(botToken?: string): { url: string; secret: string | null } | null;
  reset(): void;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The captured messages as Telegram-like chat bubbles (the docs' screenshot). */
export function renderMessagesHtml(messages: readonly FakeTelegramMessage[], botName = "Phteah"): string {
  const bubbles = messages
    .map(
      (m) => `<div class="msg"><div class="bubble"><div class="who">${escapeHtml(botName)} · chat ${escapeHtml(m.chatId)}</div>
<div class="text">${escapeHtml(m.text).replace(/\n/g, "<br>")}</div><div class="time">${escapeHtml(m.at.slice(11, 16))}</div></div>
${m.buttons.map((b) => `<a class="button" href="${escapeHtml(b.url)}">${escapeHtml(b.text)}</a>`).join("")}</div>`,
    )
    .join("\n");
  return `<!doctype html><html lang="km"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Telegram (local stub)</title><style>
body{margin:0;background:#8fb38f url() repeat;font:15px/1.45 "Noto Sans Khmer","Kantumruy Pro",system-ui,sans-serif;background:#b9cfa5}
header{background:#517da2;color:#fff;padding:12px 16px;font-weight:600}
main{max-width:460px;margin:0 auto;padding:16px 10px}
.msg{margin:0 0 14px}.bubble{background:#fff;border-radius:12px 12px 12px 4px;padding:8px 12px;box-shadow:0 1px 1px rgba(0,0,0,.15)}
.who{color:#3a8dd0;font-weight:600;font-size:13px;margin-bottom:2px}.time{color:#9aa;font-size:11px;text-align:right}
.button{display:block;margin-top:4px;background:rgba(60,90,60,.35);color:#fff;text-align:center;padding:9px;border-radius:8px;text-decoration:none;font-weight:600}
.empty{color:#334;text-align:center;margin-top:40px}
</style></head><body><header>${escapeHtml(botName)}</header><main>${bubbles || '<p class="empty">No message yet.</p>'}</main></body></html>`;
}

export async function startFakeTelegram(opts: { port?: number; host?: string; token?: string } = {}): Promise<FakeTelegram> {
  const token = opts.token ?? FAKE_TELEGRAM_DEFAULT_TOKEN;
  const messages: FakeTelegramMessage[] = [];
  const calls: string[] = [];
  const failures: FakeTelegramFailure[] = [];
  const blocked = new Set<string>();
  let updates: Array<Record<string, unknown>> = [];
  let nextUpdateId = 1;
  let nextMessageId = 1;
  type Bot = { username: string; webhook: { url: string; secret: string | null } | null; nextUpdateId: number };
  const bots = new Map<string, Bot>([[token, { username: FAKE_TELEGRAM_BOT_USERNAME, webhook: null, nextUpdateId }]]);
  const waiters: Array<() => void> = [];

  const deliver = async (update: Record<string, unknown>, botToken: string = token): Promise<void> => {
    const bot = bots.get(botToken);
    if (!bot) throw new Error("unknown bot");
    // update_id is per bot (as on Telegram): two bots' updates may carry the same number
    const full = { update_id: botToken === token ? nextUpdateId++ : bot.nextUpdateId++, ...update };
    const webhook = bot.webhook;
    if (webhook) {
      await fetch(webhook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(webhook.secret ? { "x-telegram-bot-api-secret-token": webhook.secret } : {}) },
        body: JSON.stringify(full),
      });
      return;
    }
    updates.push(full);
    for (const w of waiters.splice(0)) w();
  };

  const api = async (botToken: string, method: string, body: Record<string, unknown>, res: ServerResponse) => {
    calls.push(method);
    const bot = bots.get(botToken)!;
    switch (method) {
      case "getMe":
        return json(res, 200, {
          ok: true,
          result: { id: Number(botToken.split(":")[0]), is_bot: true, first_name: "Phteah", username: bot.username },
        });
      case "setWebhook":
        bot.webhook = { url: String(body.url ?? ""), secret: body.secret_token ? String(body.secret_token) : null };
        return json(res, 200, { ok: true, result: true });
      case "deleteWebhook":
        bot.webhook = null;
        return json(res, 200, { ok: true, result: true });
      case "getUpdates": {
        const offset = Number(body.offset ?? 0);
        updates = updates.filter((u) => Number(u.update_id) >= offset);
        if (updates.length === 0) {
          const timeout = Math.min(Number(body.timeout ?? 0), 30) * 1000;
          if (timeout > 0)
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, timeout);
              waiters.push(() => {
                clearTimeout(t);
                resolve();
              });
            });
        }
        return json(res, 200, { ok: true, result: updates.slice(0, Number(body.limit ?? 100)) });
      }
      case "sendMessage": {
        const chatId = String(body.chat_id ?? "");
        const failure = failures.shift();
        if (failure) return json(res, failure.error_code, { ok: false, ...failure });
        if (blocked.has(chatId))
          return json(res, 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
        if (!/^-?\d+$/.test(chatId)) return json(res, 400, { ok: false, error_code: 400, description: "Bad Request: chat not found" });
        const markup = (typeof body.reply_markup === "string" ? JSON.parse(body.reply_markup) : body.reply_markup) as
          { inline_keyboard?: Array<Array<{ text: string; url?: string }>> } | undefined;
        const buttons = (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, url: b.url ?? "" }));
        const m: FakeTelegramMessage = {
          messageId: nextMessageId++,
          chatId,
          text: String(body.text ?? ""),
          buttons,
          at: new Date().toISOString(),
          bot: bot.username,
        };
        messages.push(m);
        return json(res, 200, {
          ok: true,
          result: {
            message_id: m.messageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(chatId), type: "private" },
            text: m.text,
          },
        });
      }
      default:
        return json(res, 404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      try {
        if (req.method === "GET" && url.pathname === "/") {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(renderMessagesHtml(messages));
        }
        if (req.method === "GET" && url.pathname === "/__fake/messages") return json(res, 200, messages);
        if (req.method === "POST" && url.pathname === "/__fake/reset") {
          messages.length = 0;
          return json(res, 200, { ok: true });
        }
        if (req.method === "POST" && url.pathname === "/__fake/bots") {
          const b = await readBody(req);
          const botToken = String(b.token ?? "");
          if (!/^\d{1,20}:[A-Za-z0-9_-]{30,100}$/.test(botToken)) return json(res, 400, { ok: false, description: "bad token" });
          if (!bots.has(botToken)) bots.set(botToken, { username: String(b.username ?? "own_bot"), webhook: null, nextUpdateId: 1 });
          return json(res, 200, { ok: true });
        }
        if (req.method === "GET" && url.pathname === "/__fake/webhook") {
          return json(res, 200, { ok: true, webhook: bots.get(url.searchParams.get("token") ?? token)?.webhook ?? null });
        }
        if (req.method === "POST" && url.pathname === "/__fake/update") {
          const b = await readBody(req);
          const chatId = Number(b.chatId ?? 1000);
          await deliver({
            message: {
              message_id: nextMessageId++,
              date: Math.floor(Date.now() / 1000),
              chat: { id: chatId, type: "private" },
              from: { id: chatId, is_bot: false, first_name: "Renter", language_code: String(b.languageCode ?? "km") },
              text: String(b.text ?? "/help"),
            },
          });
          return json(res, 200, { ok: true });
        }
        const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
        if (!m) return json(res, 404, { ok: false, error_code: 404, description: "Not Found" });
        if (!bots.has(m[1]!)) return json(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
        return await api(m[1]!, m[2]!, await readBody(req), res);
      } catch (e) {
        return json(res, 500, { ok: false, error_code: 500, description: e instanceof Error ? e.message : "error" });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    token,
    messages,
    calls,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    block(chatId) {
      blocked.add(String(chatId));
    },
    unblock(chatId) {
      blocked.delete(String(chatId));
    },
    sendUpdate: deliver,
    addBot(botToken, username) {
      if (!bots.has(botToken)) bots.set(botToken, { username, webhook: null, nextUpdateId: 1 });
    },
    webhookOf(botToken = token) {
      return bots.get(botToken)?.webhook ?? null;
    },
    reset() {
      messages.length = 0;
      calls.length = 0;
      failures.length = 0;
      blocked.clear();
      updates = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const w of waiters.splice(0)) w();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

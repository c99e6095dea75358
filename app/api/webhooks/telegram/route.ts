import { after } from "next/server";
import { MAX_UPDATE_BYTES, TelegramWebhookService } from "@/server/notifications/telegram-webhook.public";
import { metaFromHeaders } from "@/server/core/http";

export const dynamic = "force-dynamic";

// Telegram Bot API updates (docs/TELEGRAM.md, "Webhook"). STABLE CONTRACT: this path; a wrong or
// missing X-Telegram-Bot-Api-Secret-Token → 401/403, a malformed body → 4xx. The update is stored,
// answered at once and processed after the answer (and by the telegram-update function).
export async function POST(request: Request): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPDATE_BYTES) {
    return Response.json({ error: "payload too large" }, { status: 413, headers });
  }
  const raw = await request.text();
  const service = new TelegramWebhookService();
  const result = await service.receive(raw, request.headers, metaFromHeaders(request.headers));
  const eventId = result.inserted ? result.eventId : undefined;
  if (eventId) after(() => service.process(eventId).then(() => undefined));
  return Response.json(result.body, { status: result.status, headers });
}

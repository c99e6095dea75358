import { MAX_WEBHOOK_BYTES, ResendWebhookService } from "@/server/notifications/resend-webhook.public";
import { metaFromHeaders } from "@/server/core/http";

export const dynamic = "force-dynamic";

// Delivery events from Resend (delivered, bounced, complained …), signed the Svix way. The raw
// body is read as text before anything parses it: the signature covers those exact bytes.
export async function POST(request: Request): Promise<Response> {
  // refuse an oversized body before reading it (the service checks the bytes it got, too)
  if (Number(request.headers.get("content-length") ?? 0) > MAX_WEBHOOK_BYTES) {
    return Response.json({ error: "payload too large" }, { status: 413, headers: { "Cache-Control": "no-store" } });
  }
  const raw = await request.text();
  const result = await new ResendWebhookService().receive(raw, request.headers, metaFromHeaders(request.headers));
  return Response.json(result.body, { status: result.status, headers: { "Cache-Control": "no-store" } });
}

import { BakongWebhookService, MAX_CALLBACK_BYTES } from "@/server/payments/bakong-webhook.public";
import { metaFromHeaders } from "@/server/core/http";

export const dynamic = "force-dynamic";

// Signed payment callbacks from a Bakong relay (docs/PAYMENTS.md). The raw body is read as text
// before anything parses it: the HMAC covers those exact bytes.
export async function POST(request: Request): Promise<Response> {
  // refuse an oversized body before reading it (the service checks the bytes it got, too)
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CALLBACK_BYTES) {
    return Response.json({ error: "payload too large" }, { status: 413, headers: { "Cache-Control": "no-store" } });
  }
  const raw = await request.text();
  const result = await new BakongWebhookService().receive(raw, request.headers, metaFromHeaders(request.headers));
  return Response.json(result.body, { status: result.status, headers: { "Cache-Control": "no-store" } });
}

import { BakongWebhookService } from "@/server/services/platform/bakong-webhook-service";
import { metaFromHeaders } from "@/server/http";

export const dynamic = "force-dynamic";

// Signed payment callbacks from a Bakong relay (docs/PAYMENTS.md). The raw body is read as text
// before anything parses it: the HMAC covers those exact bytes.
export async function POST(request: Request): Promise<Response> {
  const raw = await request.text();
  const result = await new BakongWebhookService().receive(raw, request.headers, metaFromHeaders(request.headers));
  return Response.json(result.body, { status: result.status, headers: { "Cache-Control": "no-store" } });
}

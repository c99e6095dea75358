import { after } from "next/server";
import { findWorkspaceSchema } from "@/lib/schemas/find-workspace";
import { parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { FindWorkspaceService } from "@/server/auth/find-workspace.public";

// "Find my workspace" (apex only). The answer is decided before anything is looked up: one neutral
// 202 for any address; the lookup and the e-mail run after the response (docs/AUTH.md).
export const POST = route(
  async ({ request, meta, locale }) => {
    const body = await parseBody(request, findWorkspaceSchema, locale);
    if (!body.ok) return body.response;
    const result = await new FindWorkspaceService(meta).request(body.data.email, locale);
    if (result.throttled) return tooManyRequests(locale, result.retryAfterSeconds);
    after(() => result.delivery);
    return Response.json({ ok: true }, { status: 202, headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "apex", form: { page: "/find-workspace", done: "/find-workspace?sent=1" } },
);

import { cookies, headers } from "next/headers";
import { REQUEST_ID_HEADER } from "@/server/core/http";
import { getLocale, getRequestResolver, getScope } from "@/server/core/page-context";
import { renderPayPage } from "@/server/pay-page/render.public";

// The renter's pay page on the tenant host (/pay/<token>, rewritten here by proxy.ts): outside the
// workspace, no session, the token in the URL is the key. A route handler that writes the page's
// HTML (server/pay-page/render.public.ts and document.ts), not a React page: issues 13 (the page's server
// time within twice its SQL) and 17 (no framework JavaScript on a renter's phone). The tenant comes
// from the Host header (getScope), never from the URL segment alone: the segment must name it.
// In the production server a renter's view (no session cookie) is answered by server.mjs's hook
// before Next (server/pay-page/hook.public.ts) with the same renderPayPage; this handler answers the rest
// (a signed-in visitor, `next dev`, a server without the hook).
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string; token: string }> }): Promise<Response> {
  const [h, jar, { tenant, token }] = await Promise.all([headers(), cookies(), params]);
  const reply = await renderPayPage({
    slug: tenant,
    token,
    query: new URL(request.url).searchParams,
    nonce: h.get("x-nonce") ?? "",
    requestId: h.get(REQUEST_ID_HEADER),
    cookie: (name) => jar.get(name)?.value,
    locale: getLocale,
    scope: getScope,
    meta: (await getRequestResolver()).meta,
  });
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

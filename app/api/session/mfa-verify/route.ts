import { verifyMfaSchema } from "@/lib/schemas/mfa";
import { parseBody, route } from "@/server/api/route-kit";
import { MfaService } from "@/server/auth/mfa.admin";

// The admin's per-session 2FA check as a plain form post (the page before it hydrates, or no
// JavaScript); the hydrated form calls the same service through mfa.verify.
export const POST = route(
  async ({ request, meta, locale, platformAdmin }) => {
    // apex, a session (401), a platform admin (404); 2FA not yet passed: this is the 2FA step
    const session = await platformAdmin({ pendingMfa: true });
    const body = await parseBody(request, verifyMfaSchema, locale);
    if (!body.ok) return body.response;
    await new MfaService(meta).verify(session, body.data.code);
    return Response.json({ redirectTo: "/admin" }, { headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "apex", form: { page: "/admin/mfa" } },
);

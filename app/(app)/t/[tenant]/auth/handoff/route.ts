import { signIn } from "@/server/auth/next-auth.public";

// Lands a user who signed up (or was handed over) on this subdomain with a session cookie of
// its own. The ticket is single-use, two minutes, bound to this host; a bad one goes to login.
export async function GET(request: Request) {
  const ticket = new URL(request.url).searchParams.get("token") ?? "";
  let ok = false;
  if (ticket) {
    try {
      await signIn("handoff", { ticket, redirect: false });
      ok = true;
    } catch {
      ok = false;
    }
  }
  return new Response(null, { status: 303, headers: { Location: ok ? "/" : "/login?handoff=expired", "Cache-Control": "no-store" } });
}

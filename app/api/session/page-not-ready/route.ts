import { route } from "@/server/api/route-kit";

// The target of forms that cannot work without JavaScript (new recovery codes are shown once, on
// the page that asked for them). Posted before the page hydrated, such a form lands here: nothing
// is done, the fields are dropped, and the page says so. Only a path of this site is accepted.
const BACK = /^\/[a-z0-9/-]{0,100}$/;

export const POST = route(
  async ({ request }) => {
    const back = new URL(request.url).searchParams.get("back") ?? "";
    const page = BACK.test(back) && !back.startsWith("//") ? back : "/";
    return new Response(null, { status: 303, headers: { Location: `${page}?error=notReady`, "Cache-Control": "no-store" } });
  },
  { sameOrigin: true },
);

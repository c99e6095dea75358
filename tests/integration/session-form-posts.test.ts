// A session form posted without JavaScript (or before its page hydrated) is a plain
// urlencoded/multipart POST. The handlers answer it with a 303: where the script would go on
// success, back to the form with only an error code on failure. Nothing the person typed (password,
// e-mail) may ever appear in the Location; the hydrated form's JSON answers stay as they were.
// (login, accept-invitation and mfa-verify use the same wrapper; they load next-auth, which vitest
// cannot: e2e/no-js-forms.spec.ts covers them in the browser.)
import { describe, expect, it } from "vitest";
import { addMember, createTenant, uniqueSlug } from "@/server/testing/factories";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as forgotPassword } from "@/app/api/session/forgot-password/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as resetPassword } from "@/app/api/session/reset-password/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as signup } from "@/app/api/session/signup/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { POST as pageNotReady } from "@/app/api/session/page-not-ready/route";
import { APEX, PORT, hostOf, uniqueEmail, uniqueIp } from "./support/world";

type Handler = (request: Request) => Promise<Response>;

function formPost(
  handler: Handler,
  hostname: string,
  path: string,
  fields: Record<string, string>,
  opts: { multipart?: boolean; origin?: string } = {},
): Promise<Response> {
  const host = `${hostname}:${PORT}`;
  let body: BodyInit;
  const headers: Record<string, string> = {
    host,
    origin: opts.origin ?? `http://${host}`,
    "x-forwarded-for": uniqueIp(),
    "accept-language": "en",
  };
  if (opts.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    body = form;
  } else {
    body = new URLSearchParams(fields).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  return handler(new Request(`http://${host}${path}`, { method: "POST", headers, body }));
}

function location(res: Response): string {
  expect(res.status).toBe(303);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return res.headers.get("location") ?? "";
}

function expectNoneOf(url: string, secrets: string[]): void {
  const decoded = decodeURIComponent(url);
  for (const s of secrets) expect(decoded, url).not.toContain(s);
}

async function workspace() {
  const slug = uniqueSlug("nojs");
  const tenant = await createTenant({ slug });
  const email = uniqueEmail("member", slug);
  await addMember(tenant, { email, name: "Member", password: "member-password-123", role: "viewer" });
  return { slug, email };
}

describe("forgot-password as a form post", () => {
  it("urlencoded and multipart: 303 to the page's 'sent' notice, without the e-mail", async () => {
    const { slug, email } = await workspace();
    for (const multipart of [false, true]) {
      const to = location(await formPost(forgotPassword, hostOf(slug), "/api/session/forgot-password", { email }, { multipart }));
      expect(to).toBe("/forgot-password?sent=1");
    }
  });

  it("a malformed e-mail: back to the form with the code and the field only", async () => {
    const { slug } = await workspace();
    const to = location(await formPost(forgotPassword, hostOf(slug), "/api/session/forgot-password", { email: "not an e-mail" }));
    expect(to).toBe("/forgot-password?error=email&field=email");
  });

  it("JSON (the hydrated form) is answered as before", async () => {
    const { slug, email } = await workspace();
    const host = `${hostOf(slug)}:${PORT}`;
    const res = await forgotPassword(
      new Request(`http://${host}/api/session/forgot-password`, {
        method: "POST",
        headers: { host, origin: `http://${host}`, "content-type": "application/json", "x-forwarded-for": uniqueIp() },
        body: JSON.stringify({ email }),
      }),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("from another origin: refused (403), not redirected", async () => {
    const { slug, email } = await workspace();
    const res = await formPost(forgotPassword, hostOf(slug), "/api/session/forgot-password", { email }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("location")).toBeNull();
  });
});

describe("reset-password as a form post", () => {
  it("an unknown token: back to the link's page with the link error, never the password", async () => {
    const { slug } = await workspace();
    const token = "t".repeat(43);
    const password = "secret-new-password-1";
    const to = location(await formPost(resetPassword, hostOf(slug), "/api/session/reset-password", { token, password }));
    expect(to).toBe(`/reset-password?token=${token}&error=resetLink`);
    expectNoneOf(to, [password]);
  });

  it("a short password: the field and its code only", async () => {
    const { slug } = await workspace();
    const token = "u".repeat(43);
    const to = location(await formPost(resetPassword, hostOf(slug), "/api/session/reset-password", { token, password: "short1" }));
    expect(to).toBe(`/reset-password?token=${token}&error=passwordTooShort&field=password`);
    expectNoneOf(to, ["short1"]);
  });
});

describe("signup as a form post", () => {
  it("creates the workspace and redirects into it; the password and e-mail stay out of the URL", async () => {
    const slug = uniqueSlug("nojs-su");
    const email = uniqueEmail("founder", slug);
    const password = "founder-secret-password-1";
    const fields = { name: "Founder", email, password, workspaceName: "No Script Co", slug, acceptTerms: "on" };
    const to = location(await formPost(signup, APEX, "/api/session/signup", fields));
    expect(to.startsWith(`http://${hostOf(slug)}:${PORT}/auth/handoff?token=`)).toBe(true);
    expectNoneOf(to, [password, email]);

    // the same address again: the taken error, nothing typed echoed
    const again = location(await formPost(signup, APEX, "/api/session/signup", { ...fields, email: uniqueEmail("other", slug) }));
    expect(again).toBe("/signup?error=slugTaken");
  });

  it("a refused field comes back by name; an unknown field name is never echoed", async () => {
    const to = location(
      await formPost(signup, APEX, "/api/session/signup", {
        name: "X",
        email: "x@example.test",
        password: "short",
        workspaceName: "X Co",
        slug: uniqueSlug("nojs-short"),
      }),
    );
    expect(to).toBe("/signup?error=passwordTooShort&field=password");
  });

  it("on a workspace host: not found, as a redirect back to the form", async () => {
    const { slug } = await workspace();
    const to = location(
      await formPost(signup, hostOf(slug), "/api/session/signup", { email: "x@example.test", password: "whatever-12345" }),
    );
    expect(to).toBe("/signup?error=failed");
  });
});

describe("page-not-ready", () => {
  it("does nothing and sends the form's page its notice; only a path of this site", async () => {
    const host = `${APEX}:${PORT}`;
    const post = (back: string) =>
      pageNotReady(
        new Request(`http://${host}/api/session/page-not-ready?back=${encodeURIComponent(back)}`, {
          method: "POST",
          headers: { host, origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" },
          body: "code=123456",
        }),
      );
    expect(location(await post("/admin/security"))).toBe("/admin/security?error=notReady");
    for (const bad of ["//evil.example/x", "https://evil.example", "/admin?x=1", "/../x\\y"]) {
      expect(location(await post(bad)), bad).toBe("/?error=notReady");
    }
  });
});

import { expect, test } from "./fixtures/test";
import { adminTest } from "./fixtures/admin";
import { login, origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

test("an owner signs in on acme and sees the workspace and its members", async ({ page }) => {
  await login(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await expect(page.getByTestId("workspace-title")).toHaveText("Acme Apartments");
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("members-table")).toContainText("manager@acme.test");
  await expect(page.getByTestId("members-table")).not.toContainText("globex");
});

test("acme's session cookie copied to globex gives no access", async ({ page, context }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  const cookies = await context.cookies(origin("acme"));
  const session = cookies.find((c) => c.name.includes("session-token"));
  expect(session, "session cookie on acme").toBeTruthy();

  // host-only: the browser does not send it to globex by itself
  await page.goto(`${origin("globex")}/`);
  await expect(page).toHaveURL(`${origin("globex")}/login`);

  // copied by hand onto globex, it is still refused (bound to acme.localhost)
  await context.addCookies([
    { name: session!.name, value: session!.value, domain: "globex.localhost", path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
  await page.goto(`${origin("globex")}/`);
  await expect(page).toHaveURL(`${origin("globex")}/login`);
  const api = await page.request.get(`${origin("globex")}/api/trpc/workspace.current`);
  expect(api.status()).toBe(401);
});

test("a user who is not a member cannot sign in to another workspace", async ({ page }) => {
  await login(page, "globex", "owner@acme.test");
  await expect(page.getByRole("alert").first()).toContainText("no access here");
  await expect(page).toHaveURL(`${origin("globex")}/login`);
});

// the 2FA-enrolled admin, signed in (password + TOTP) once per worker by the fixture
adminTest("a platform admin signs in on the apex and reaches /admin", async ({ adminPage: page }) => {
  await page.goto(`${origin()}/admin`);
  await expect(page).toHaveURL(`${origin()}/admin`);
  await expect(page.getByTestId("admin-heading")).toHaveText("Tenants");
  // the first page is the newest workspaces (the suite creates many before this test may run):
  // the seeded ones are found by the console's search
  await expect(page.getByTestId("tenants-table").locator("tbody tr").first()).toBeVisible();
  for (const slug of ["acme", "globex"]) {
    await page.getByRole("searchbox").fill(slug);
    await expect(page.getByTestId("tenants-table")).toContainText(slug);
  }
});

test("/admin does not exist on a tenant host, even for a signed-in owner", async ({ page }) => {
  const anon = await page.request.get(`${origin("acme")}/admin`);
  expect(anon.status()).toBe(404);
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  const res = await page.goto(`${origin("acme")}/admin`);
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("an owner cannot reach /admin on the apex", async ({ page }) => {
  await login(page, undefined, "owner@acme.test");
  await expect(page.getByRole("alert").first()).toBeVisible();
  await page.goto(`${origin()}/admin`);
  await expect(page).toHaveURL(`${origin()}/login`);
});

test("unknown workspaces, internal paths on the apex and sign-up on a tenant host are 404", async ({ request }) => {
  expect((await request.get(`${origin("no-such-tenant")}/`)).status()).toBe(404);
  expect((await request.get(`${origin()}/t/acme`)).status()).toBe(404);
  expect((await request.get(`${origin()}/t/acme/members`)).status()).toBe(404);
  expect((await request.get(`${origin("acme")}/signup`)).status()).toBe(404);
});

test("logout ends the session on the server too", async ({ page, context }) => {
  await login(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  const before = (await context.cookies(origin("acme"))).find((c) => c.name.includes("session-token"))!;
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login\?signedOut=1$/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  // replaying the old cookie does not bring the session back
  await context.addCookies([
    { name: before.name, value: before.value, domain: "acme.localhost", path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
  await page.goto(`${origin("acme")}/`);
  await expect(page).toHaveURL(`${origin("acme")}/login`);
});

test("HTML responses carry the security headers with a per-request CSP nonce", async ({ request }) => {
  const a = await request.get(`${origin()}/`);
  const b = await request.get(`${origin("acme")}/login`);
  for (const res of [a, b]) {
    const h = res.headers();
    expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    expect(h["strict-transport-security"]).toContain("max-age=");
  }
  const nonce = (h: string) => /nonce-([^']+)/.exec(h)?.[1];
  expect(nonce(a.headers()["content-security-policy"]!)).not.toBe(nonce(b.headers()["content-security-policy"]!));
  const html = await a.text();
  expect(html).toContain(`nonce="${nonce(a.headers()["content-security-policy"]!)}"`);
});

test("health reports the database", async ({ request }) => {
  const res = await request.get(`${origin()}/api/health`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({
    status: "ok",
    db: "ok",
    components: { database: "ok", migrations: "ok", outbox: "ok", jobs: "ok", files: "ok", backup: "skipped" },
    failing: [],
  });
  const live = await request.get(`${origin()}/api/health/live`);
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });
});

test("a suspended workspace shows the suspended page and its API refuses work", async ({ page, request }) => {
  await page.goto(`${origin("frozen")}/`);
  await expect(page.getByTestId("suspended")).toContainText("This workspace is suspended");
  await page.goto(`${origin("frozen")}/login`);
  await expect(page.getByTestId("suspended")).toBeVisible();
  const api = await request.get(`${origin("frozen")}/api/trpc/workspace.current`);
  expect(api.status()).toBe(403);
});

test("a viewer sees members but no actions; the API agrees", async ({ page }) => {
  await signedIn(page, "acme", "viewer@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await expect(page.getByTestId("your-role")).toContainText("Viewer");
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("members-table")).toContainText("owner@acme.test");
  await expect(page.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: "Change role" })).toHaveCount(0);
  const res = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/members.setStatus", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ json: { membershipId: "00000000-0000-4000-8000-000000000000", status: "deactivated" } }),
    });
    return { status: r.status, body: await r.json() };
  });
  expect(res.status).toBe(403);
  expect(JSON.stringify(res.body)).toContain("members.manage");
});

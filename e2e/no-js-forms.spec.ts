import { expect, test, uniqueClientIp, type BrowserContext, type Page } from "./fixtures/test";
import { freshCode } from "./fixtures/admin";
import { E2E_ADMIN_EMAIL } from "./fixtures/constants";
import { DEMO_PASSWORD, emailsTo, origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

// Every form that carries a secret, submitted before the page hydrated: here with JavaScript
// off. The browser must POST (never a GET with the fields in the query), the session route
// answers with a redirect, and no password, code, token or e-mail ends up in any URL: not in a
// request the browser made, not in a redirect, not in the address bar.

test.use({ javaScriptEnabled: false });

/** Every URL the context requests from now on (navigations, redirects, assets). */
function recordUrls(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on("request", (r) => urls.push(r.url()));
  return urls;
}

function expectNoSecretInUrls(urls: readonly string[], secrets: readonly string[]): void {
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) {
    let decoded = url;
    try {
      decoded = decodeURIComponent(url.replace(/\+/g, " "));
    } catch {
      /* keep the raw form */
    }
    for (const secret of secrets) {
      expect(url, `a secret in ${url}`).not.toContain(secret);
      expect(decoded, `a secret in ${url}`).not.toContain(secret);
      expect(url, `a secret in ${url}`).not.toContain(encodeURIComponent(secret));
    }
  }
}

async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("workspace sign-in without JavaScript posts, signs in, and a wrong password comes back as an error code", async ({
  page,
  context,
}) => {
  const urls = recordUrls(context);
  const wrong = "not-the-password-42";
  await page.goto(`${origin("acme")}/login`);
  await submitLogin(page, "owner@acme.test", wrong);
  await page.waitForURL(`${origin("acme")}/login?error=invalid`);
  await expect(page.getByRole("alert")).toContainText("Email or password is wrong");

  await submitLogin(page, "owner@acme.test", DEMO_PASSWORD);
  await page.waitForURL(`${origin("acme")}/`);
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  expectNoSecretInUrls([...urls, page.url()], [DEMO_PASSWORD, wrong, "owner@acme.test"]);
  // the form posted: the session route saw the fields in the body
  expect(urls.filter((u) => u.startsWith(`${origin("acme")}/login?`) && !u.endsWith("?error=invalid"))).toEqual([]);
});

test("a field the server refuses comes back next to its field, without the value", async ({ page, context }) => {
  const urls = recordUrls(context);
  await page.goto(`${origin("acme")}/login`);
  await submitLogin(page, "not-an-email", "whatever-secret-1");
  await page.waitForURL(`${origin("acme")}/login?error=email&field=email`);
  await expect(page.locator("#email-error")).toContainText("Enter a valid email address");
  expectNoSecretInUrls(urls, ["whatever-secret-1", "not-an-email"]);
});

test("a form post from another site is refused, not redirected", async ({ request }) => {
  const res = await request.post(`${origin("acme")}/api/session/login`, {
    form: { email: "owner@acme.test", password: DEMO_PASSWORD },
    headers: { Origin: "http://evil.test" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(403);
  expect(res.headers()["set-cookie"]).toBeUndefined();
});

test("apex sign-in and the 2FA code without JavaScript", async ({ page, context }) => {
  test.setTimeout(90_000);
  const urls = recordUrls(context);
  await page.goto(`${origin()}/login`);
  await submitLogin(page, E2E_ADMIN_EMAIL, DEMO_PASSWORD);
  await page.waitForURL(`${origin()}/admin/mfa`);

  // a malformed code is refused without being echoed
  await page.getByLabel("Authentication code").fill("12ab");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${origin()}/admin/mfa?error=codeOrRecovery&field=code`);
  await expect(page.getByRole("alert")).toContainText("Enter a 6-digit code or a recovery code");

  const code = await freshCode();
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${origin()}/admin`);
  await expect(page.getByTestId("admin-heading")).toBeVisible();

  // new recovery codes are shown once, by the script: without it nothing is done, and it says so
  await page.goto(`${origin()}/admin/security`);
  await page.getByLabel("Authentication code").fill("654321");
  await page.getByRole("button", { name: "Generate new recovery codes" }).click();
  await page.waitForURL(`${origin()}/admin/security?error=notReady`);
  await expect(page.getByRole("alert")).toContainText("had not finished loading");
  expectNoSecretInUrls([...urls, page.url()], [DEMO_PASSWORD, E2E_ADMIN_EMAIL, code, "12ab", "654321"]);
});

test("sign-up without JavaScript: a refused field comes back, then the workspace opens signed in", async ({ page, context }) => {
  const slug = `nojs-${Date.now().toString(36)}`;
  const email = `nojs+${slug}@example.test`;
  const password = `sign-up-secret-${slug}`;
  const urls = recordUrls(context);
  await page.goto(`${origin()}/signup`);
  const fill = async (pw: string) => {
    await page.getByLabel("Your name").fill("Dara No-Script");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(pw);
    await page.getByLabel("Business name").fill("No Script Rentals");
    await page.getByLabel("Workspace address").fill(slug);
    await page.getByLabel(/I accept the terms of service/).check();
    await page.getByRole("button", { name: "Create workspace" }).click();
  };
  await fill("short");
  await page.waitForURL(`${origin()}/signup?error=passwordTooShort&field=password`);
  await expect(page.locator("#password-error")).toContainText("at least 10 characters");

  await fill(password);
  await page.waitForURL(`${origin(slug)}/`);
  await expect(page.getByTestId("dashboard-heading")).toHaveText("Welcome, Dara No-Script");
  expectNoSecretInUrls([...urls, page.url()], [password, email, "short"]);
});

test("invitation, account password change, forgotten password and reset without JavaScript", async ({
  page,
  context,
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const invitee = `nojs-${Date.now().toString(36)}@example.test`;
  const first = "invitee-secret-pass-1";
  const second = "reset-secret-pass-22";

  // the owner invites with the app as usual (JavaScript on, another browser)
  const owner = await browser.newContext({
    javaScriptEnabled: true,
    locale: "en-US",
    extraHTTPHeaders: { "X-Forwarded-For": uniqueClientIp() },
  });
  const ownerPage = await owner.newPage();
  await signedIn(ownerPage, "acme", "owner@acme.test");
  await ownerPage.waitForURL(`${origin("acme")}/`);
  await ownerPage.getByRole("link", { name: "Members" }).click();
  await ownerPage.getByLabel("Email address").fill(invitee);
  await ownerPage.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await ownerPage.getByRole("button", { name: "Send invitation" }).click();
  await expect(ownerPage.getByTestId("invitations")).toContainText(invitee);
  await owner.close();

  let inviteLink: string | undefined;
  await expect
    .poll(
      async () => (inviteLink = /https?:\/\/\S+\/invite\?token=([\w-]+)/.exec((await emailsTo(request, invitee)).at(-1)?.text ?? "")?.[0]),
    )
    .toBeTruthy();
  const inviteToken = new URL(inviteLink!).searchParams.get("token")!;

  const urls = recordUrls(context);
  await page.goto(inviteLink!);
  // a refused password: back on the invitation (its own link), never with the password
  await page.getByLabel("Your name").fill("Vanna No-Script");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Accept and join" }).click();
  await expect(page.getByRole("alert").first()).toContainText("at least 10 characters");
  await page.getByLabel("Your name").fill("Vanna No-Script");
  await page.getByLabel("Password").fill(first);
  await page.getByRole("button", { name: "Accept and join" }).click();
  await page.waitForURL(`${origin("acme")}/`);
  await expect(page.getByTestId("your-role")).toContainText("Viewer");
  expectNoSecretInUrls([...urls, page.url()], [first, "short", invitee]);
  // the token only ever appears in the e-mailed link itself
  expect(urls.filter((u) => u.includes(inviteToken) && !u.startsWith(`${origin("acme")}/invite?`))).toEqual([]);

  // the account page's password change: a wrong current password comes back at its field
  const changed = "changed-secret-pass-4";
  urls.length = 0;
  await page.goto(`${origin("acme")}/account`);
  await page.getByLabel("Current password").fill("wrong-current-pass-9");
  await page.getByLabel("New password", { exact: true }).fill(changed);
  await page.getByLabel("Confirm new password").fill(changed);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#current-password-error")).toContainText("current password is not correct");
  await page.getByLabel("Current password").fill(first);
  await page.getByLabel("New password", { exact: true }).fill(changed);
  await page.getByLabel("Confirm new password").fill(changed);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/account");
  expectNoSecretInUrls([...urls, page.url()], [first, changed, "wrong-current-pass-9"]);

  // forgotten password, then the e-mailed link
  await context.clearCookies();
  urls.length = 0;
  await page.goto(`${origin("acme")}/forgot-password`);
  await page.getByLabel("Email").fill(invitee);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.waitForURL(`${origin("acme")}/forgot-password?sent=1`);
  await expect(page.getByRole("status")).toContainText("reset link is on its way");
  expectNoSecretInUrls([...urls, page.url()], [invitee]);

  let resetLink: string | undefined;
  await expect
    .poll(
      async () =>
        (resetLink = /https?:\/\/\S+reset-password\?token=[\w-]+/.exec((await emailsTo(request, invitee)).at(-1)?.text ?? "")?.[0]),
    )
    .toBeTruthy();
  const resetToken = new URL(resetLink!).searchParams.get("token")!;
  urls.length = 0;
  await page.goto(resetLink!);
  await page.getByLabel("New password").fill(second);
  await page.getByRole("button", { name: "Save new password" }).click();
  await page.waitForURL(`${origin("acme")}/login?reset=1`);
  await expect(page.getByText("Your password was changed")).toBeVisible();
  await submitLogin(page, invitee, second);
  await page.waitForURL(`${origin("acme")}/`);
  expectNoSecretInUrls([...urls, page.url()], [second, invitee]);
  expect(urls.filter((u) => u.includes(resetToken) && u !== resetLink)).toEqual([]);

  // the link works once: a second use is refused on the page, still without the password
  await context.clearCookies();
  urls.length = 0;
  await page.goto(resetLink!);
  await page.getByLabel("New password").fill("third-secret-pass-333");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByRole("alert").first()).toContainText("invalid, expired or already used");
  expectNoSecretInUrls([...urls, page.url()], ["third-secret-pass-333"]);
});

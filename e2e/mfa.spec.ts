import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "./fixtures/test";
import { totpCode, totpStep } from "../server/auth/totp-code";
import { adminTest, freshCode } from "./fixtures/admin";
import { emailsTo, login, origin } from "./fixtures/helpers";

// Two-factor authentication of platform admins, in the browser against the production build.
// admin@phteah.test starts without 2FA: its sign-in e-mails a one-time enrolment link (read from
// the mail stub), it enrols through that link (reading the secret off the page, like someone
// typing it into an app), then signs in with a TOTP code and with a recovery code.

const ADMIN = "admin@phteah.test";

// the two tests share nothing (admin@phteah.test here, ops@phteah.test in the second): they may
// run in parallel workers, each waiting for its own next time step
test.describe.configure({ mode: "parallel" });

// The server accepts a code of the current time step or of either neighbour (clock drift,
// matchTotp in server/auth/totp-code.ts), and each step once per account, in increasing order. This
// tracker is for the secret enrolled here (one test, one browser: its codes are sent in order); the
// fixture's `freshCode` keeps its own for ops@phteah.test. A second code within one step uses the
// next step, which the server accepts as the clock's neighbour, instead of waiting up to 30 s for it;
// it waits only when the next unused step is two ahead.
let lastStep = -1;
async function nextCode(secret: string): Promise<string> {
  let step = Math.max(totpStep(new Date()), lastStep + 1);
  if (step > totpStep(new Date()) + 1) {
    await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 200));
    step = Math.max(totpStep(new Date()), lastStep + 1);
  }
  lastStep = step;
  return totpCode(secret, step);
}

/** A well-formed code that is valid for none of the steps the server would accept now. */
function wrongCode(secret: string): string {
  const now = totpStep(new Date());
  const valid = new Set([now - 1, now, now + 1, now + 2].map((s) => totpCode(secret, s)));
  for (let i = 0; ; i++) {
    const candidate = String(123456 + i).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login\?signedOut=1$/);
}

async function signInToMfa(page: Page): Promise<void> {
  await login(page, undefined, ADMIN);
  await page.waitForURL(`${origin()}/admin/mfa`);
  await expect(page.getByRole("heading", { name: "Two-factor check" })).toBeVisible();
}

test("an admin enrols in 2FA, then signs in with a TOTP code and with a recovery code", async ({ page, context }) => {
  // two codes of consecutive time steps: no wait for a new step (nextCode)
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: origin() });

  // 1. password sign-in lands on /admin/mfa, which shows no QR code: the password alone does not
  //    bind an authenticator. A one-time enrolment link goes to the admin's own address.
  await login(page, undefined, ADMIN);
  await page.waitForURL(`${origin()}/admin/mfa`);
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await expect(page.getByTestId("mfa-check-email")).toContainText(ADMIN);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toHaveCount(0);
  await expect(page.getByTestId("totp-secret")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  // a made-up link is refused (and shows no QR code either)
  await page.goto(`${origin()}/admin/mfa?enrol=made-up-token`);
  await expect(page.getByText("That set-up link is not valid any more")).toBeVisible();
  await expect(page.getByTestId("totp-secret")).toHaveCount(0);

  let link = "";
  await expect
    .poll(async () => {
      const mails = (await emailsTo(page.request, ADMIN)).filter((m) => m.subject.includes("two-factor"));
      link = /https?:\/\/[^\s"<>]+\/admin\/mfa\?enrol=[A-Za-z0-9_-]+/.exec(mails.at(-1)?.text ?? "")?.[0] ?? "";
      return link;
    })
    .not.toBe("");
  // reloading the page within five minutes sends no second mail
  expect((await emailsTo(page.request, ADMIN)).filter((m) => m.subject.includes("two-factor"))).toHaveLength(1);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
  await expect(qr).toBeVisible();
  // the SVG really rendered (a broken image would still show its alt text)
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/mfa-enrol.png", fullPage: true });
  const secret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.goto(`${origin()}/admin/jobs`);
  await expect(page).toHaveURL(`${origin()}/admin/mfa`);
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  const api = await page.request.get(`${origin()}/api/trpc/admin.jobs`);
  expect(api.status()).toBe(403);
  // the link works until the enrolment completes; opening it again replaces the pending secret
  await page.goto(link);
  const current = (await page.getByTestId("totp-secret").textContent())!.replace(/\s+/g, "");
  expect(current).not.toBe(secret);

  // 2. a wrong code is refused next to the field; the right one turns 2FA on
  await page.getByLabel("Authentication code").fill(wrongCode(current));
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not valid" })).toBeVisible();
  await page.getByLabel("Authentication code").fill(await nextCode(current));
  await page.getByRole("button", { name: "Turn on two-factor" }).click();

  // 3. the recovery codes, shown once, with copy and download
  const list = page.getByTestId("recovery-codes");
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
  expect(new Set(codes).size).toBe(10);

  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.locator(".notyf__toast--success").filter({ hasText: "Recovery codes copied." })).toBeVisible();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  for (const c of codes) expect(clipboard).toContain(c);

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download (.txt)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("phteah-recovery-codes.txt");
  const file = await readFile((await download.path())!, "utf8");
  expect(file).toContain(ADMIN);
  for (const c of codes) expect(file).toContain(c);

  await page.getByRole("button", { name: "I have saved them" }).click();
  await page.waitForURL(`${origin()}/admin`);
  await expect(page.getByTestId("admin-heading")).toHaveText("Tenants");
  // verified: the 2FA page sends the admin on
  await page.goto(`${origin()}/admin/mfa`);
  await expect(page).toHaveURL(`${origin()}/admin`);
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page.getByTestId("mfa-status")).toContainText("Unused recovery codes: 10 of 10.");

  // the enrolment used the link up
  await page.goto(link);
  await expect(page).toHaveURL(`${origin()}/admin`);

  // 4. second sign-in: the code used to enrol is refused (replay), a fresh one works
  await signOut(page);
  await signInToMfa(page);
  await page.screenshot({ path: "test-results/mfa-verify.png", fullPage: true });
  await page.goto(`${origin()}/admin`);
  await expect(page).toHaveURL(`${origin()}/admin/mfa`);
  await page.getByLabel("Authentication code").fill(totpCode(current, lastStep));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not valid" })).toBeVisible();
  await page.getByLabel("Authentication code").fill(await nextCode(current));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${origin()}/admin`);
  await expect(page.getByTestId("admin-heading")).toHaveText("Tenants");

  // 5. third sign-in with a recovery code (typed in capitals, without the hyphen)
  await signOut(page);
  await signInToMfa(page);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(codes[0]!.replace("-", "").toUpperCase());
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${origin()}/admin`);
  await page.goto(`${origin()}/admin/security`);
  await expect(page.getByTestId("mfa-status")).toContainText("Unused recovery codes: 9 of 10.");

  // 6. the same recovery code does not work twice
  await signOut(page);
  await signInToMfa(page);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(codes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not valid" })).toBeVisible();
  await expect(page).toHaveURL(`${origin()}/admin/mfa`);
  await signOut(page);
});

adminTest("an admin replaces the recovery codes from /admin/security after confirming", async ({ adminPage: page }) => {
  // the fixture's sign-in may have used the current time step: waiting for the next one takes ≤ 30 s
  adminTest.setTimeout(90_000);
  await page.goto(`${origin()}/admin`);
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page.getByTestId("security-heading")).toHaveText("Security");
  await expect(page.getByTestId("mfa-status")).toContainText("On since");

  // malformed input is caught next to the field, before any dialog
  await page.getByLabel("Authentication code").fill("12");
  await page.getByRole("button", { name: "Generate new recovery codes" }).click();
  await expect(page.getByText("Enter the 6 digits from your app.")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // cancelling the confirmation changes nothing
  await page.getByLabel("Authentication code").fill(await freshCode());
  await page.getByRole("button", { name: "Generate new recovery codes" }).click();
  await expect(page.getByRole("dialog")).toContainText("Replace your recovery codes?");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("recovery-codes")).toHaveCount(0);

  await page.getByRole("button", { name: "Generate new recovery codes" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Generate new recovery codes" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("New recovery codes generated");
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("mfa-status")).toContainText("Unused recovery codes: 10 of 10.");
});

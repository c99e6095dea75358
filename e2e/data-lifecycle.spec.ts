// Issue 14's screens in a browser, each on workspaces and users of its own (scripts/e2e-server.ts:
// closeme, erasure, reconsent, reconsentphone) so no other spec is disturbed:
// the sign-up consent box, the accept page after a new terms version (desktop and phone width), the
// Danger zone on /settings (close with typed address + password, members see the closed page, the
// owner restores), a renter's "Erase personal data" (typed phone, invoices kept), and "Delete my
// account" (refused for an owner, done for a member who owns no workspace).
import { expect, test, type Page } from "./fixtures/test";
import { DEMO_PASSWORD, login, origin } from "./fixtures/helpers";

const swal = (page: Page) => page.locator(".swal2-popup");
const toast = (page: Page, text: string | RegExp) => page.locator(".notyf__toast").filter({ hasText: text });

test("sign-up needs the consent box; its links open the current terms and privacy notice", async ({ page }) => {
  const slug = `cons-${Date.now().toString(36)}`;
  await page.goto(`${origin()}/signup`);
  await page.getByLabel("Your name").fill("Sokha Chan");
  await page.getByLabel("Email").fill(`sokha+${slug}@example.test`);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByLabel("Business name").fill("Sokha Rentals");
  await page.getByLabel("Workspace address").fill(slug);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.locator("#acceptTerms-error")).toHaveText("Tick the box to accept the terms of service and the privacy notice.");
  await expect(page).toHaveURL(`${origin()}/signup`);

  // the links open the texts (their version as the box states it)
  const box = page.getByTestId("signup-consent");
  const version = /version (\d{4}-\d{2}-\d{2})/.exec((await box.textContent()) ?? "")?.[1];
  expect(version).toBeTruthy();
  const [terms] = await Promise.all([
    page.context().waitForEvent("page"),
    box.getByRole("link", { name: "Read the terms of service" }).click(),
  ]);
  await expect(terms.getByRole("heading", { level: 1, name: "Terms of service" })).toBeVisible();
  await expect(terms.getByTestId("legal-version")).toHaveText(`Version ${version}`);
  await terms.getByRole("link", { name: "Read the privacy notice" }).click();
  await expect(terms.getByRole("heading", { level: 1, name: "Privacy notice" })).toBeVisible();
  await terms.close();

  await page.getByLabel(/I accept the terms of service/).check();
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(`${origin(slug)}/`);
  await expect(page.getByTestId("workspace-title")).toHaveText("Sokha Rentals");
});

test("the terms page reads in Khmer", async ({ page }) => {
  await page.context().addCookies([{ name: "phteah-locale", value: "km", url: origin() }]);
  await page.goto(`${origin()}/terms`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("លក្ខខណ្ឌប្រើប្រាស់");
});

async function reconsent(page: Page, slug: string) {
  await login(page, slug, `owner@${slug}.test`);
  // the accept page before anything else, whatever was asked for
  await page.waitForURL(`${origin(slug)}/accept-terms`);
  await expect(page.getByRole("heading", { name: "We have updated our terms" })).toBeVisible();
  await page.goto(`${origin(slug)}/renters`);
  await expect(page).toHaveURL(`${origin(slug)}/accept-terms`);
  // the server refuses the workspace's procedures too, with the reason
  const refused = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/account.profile");
    return { status: res.status, body: await res.text() };
  });
  expect(refused.status).toBe(403);
  expect(refused.body).toContain("Accept the updated terms of service and privacy notice to continue.");
  const docs = page.getByTestId("accept-terms-documents");
  await expect(docs.getByRole("link", { name: "Read the terms of service" })).toHaveAttribute("href", `${origin()}/terms`);
  await page.getByRole("button", { name: "Accept and continue" }).click();
  await page.waitForURL(`${origin(slug)}/`);
  await expect(page.getByTestId("workspace-title")).toHaveText("Reconsent Rentals");
  // accepted: no longer asked
  await page.goto(`${origin(slug)}/accept-terms`);
  await expect(page).toHaveURL(`${origin(slug)}/`);
}

test("an owner who accepted an older terms version accepts the new one before anything else", async ({ page }) => {
  await reconsent(page, "reconsent");
});

test("the accept page works at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await reconsent(page, "reconsentphone");
});

test("Danger zone: the owner closes the workspace, a member sees the closed page, the owner restores it", async ({ page, browser }) => {
  await login(page, "closeme", "owner@closeme.test");
  await page.waitForURL(`${origin("closeme")}/`);
  await page.goto(`${origin("closeme")}/settings`);
  const zone = page.getByTestId("danger-zone");
  await zone.getByTestId("delete-workspace").click();
  // a wrong address is refused in the dialog
  await swal(page).getByTestId("danger-slug").fill("not-this-one");
  await swal(page).getByTestId("danger-password").fill(DEMO_PASSWORD);
  await swal(page).getByRole("button", { name: "Close and delete" }).click();
  await expect(swal(page).locator(".swal2-validation-message")).toBeVisible();
  await swal(page).getByTestId("danger-slug").fill("closeme");
  await swal(page).getByRole("button", { name: "Close and delete" }).click();
  await expect(page.getByTestId("workspace-closed")).toBeVisible();
  await expect(page.getByRole("heading", { name: "This workspace is scheduled for deletion" })).toBeVisible();

  // a member signs in and sees the closed page, without Restore
  const member = await (await browser.newContext()).newPage();
  await login(member, "closeme", "member@closeme.test");
  await expect(member.getByTestId("workspace-closed")).toBeVisible();
  await expect(member.getByText("Only an owner of the workspace can restore it.")).toBeVisible();
  await expect(member.getByTestId("restore-workspace")).toHaveCount(0);

  // the owner restores it (SweetAlert2 confirmation, toast), and everyone has the workspace back
  await page.getByTestId("restore-workspace").click();
  await swal(page).getByRole("button", { name: "Restore the workspace" }).click();
  // restored: the page reloads into the workspace (the toast goes with the reload)
  await expect(page.getByTestId("workspace-closed")).toHaveCount(0);
  await expect(page.getByTestId("workspace-title")).toHaveText("Close Me Rentals");
  await member.reload();
  await expect(member.getByTestId("workspace-title")).toHaveText("Close Me Rentals");
  await member.context().close();
});

test("Erase personal data: the typed phone erases the renter, the invoices stay under the anonymised name", async ({ page }) => {
  await login(page, "erasure", "owner@erasure.test");
  await page.waitForURL(`${origin("erasure")}/`);
  await page.goto(`${origin("erasure")}/renters`);
  await page.getByRole("link", { name: "Chan Vibol" }).first().click();
  const erasure = page.getByTestId("renter-erasure");
  await erasure.getByRole("button", { name: "Erase personal data" }).click();
  await swal(page).locator("input.swal2-input").fill("012 999 999");
  await swal(page).getByRole("button", { name: "Erase", exact: true }).click();
  await expect(toast(page, "The phone number you typed does not match this renter.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chan Vibol");

  await erasure.getByRole("button", { name: "Erase personal data" }).click();
  await swal(page).locator("input.swal2-input").fill("012 345 678");
  await swal(page).getByRole("button", { name: "Erase", exact: true }).click();
  await expect(toast(page, "The renter's personal data was erased.")).toBeVisible();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(/^Erased renter #[0-9a-f]{8}$/);
  const short = /#([0-9a-f]{8})/.exec((await heading.textContent()) ?? "")![1];
  await expect(page.getByTestId("renter-erasure")).toHaveCount(0);
  await expect(page.getByTestId("renter-detail")).not.toContainText("Chan Vibol");

  // the invoice is still there, under the anonymised renter (in the workspace's language)
  const invoices = await page.evaluate(async () => {
    const res = await fetch(`/api/trpc/rentInvoices.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    return res.text();
  });
  expect(invoices).toContain("2012-06");
  expect(invoices).toContain(`#${short}`);
  expect(invoices).not.toContain("Chan Vibol");
});

test("Delete my account: refused for an owner (naming the workspace), done for a member who owns none", async ({ page, browser }) => {
  await login(page, "erasure", "owner@erasure.test");
  await page.waitForURL(`${origin("erasure")}/`);
  await page.goto(`${origin("erasure")}/account`);
  const fill = async (p: Page, email: string) => {
    await p.getByTestId("account-deletion").getByRole("button", { name: "Delete my account" }).click();
    await swal(p).locator("#ad-email").fill(email);
    await swal(p).locator("#ad-password").fill(DEMO_PASSWORD);
    await swal(p).getByRole("button", { name: "Delete my account" }).click();
  };
  await fill(page, "owner@erasure.test");
  await expect(toast(page, /You own .*Make someone else an owner or delete the workspace first\./)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("account-deletion")).toBeVisible();

  const member = await (await browser.newContext()).newPage();
  await login(member, "erasure", "leaver@erasure.test");
  await member.waitForURL(`${origin("erasure")}/`);
  await member.goto(`${origin("erasure")}/account`);
  await fill(member, "leaver@erasure.test");
  // deleted: the page reloads without a session, onto the sign-in page
  await member.waitForURL(/\/login/);
  // the account is gone: its password no longer signs in
  await login(member, "erasure", "leaver@erasure.test");
  await expect(member.getByRole("alert").first()).toBeVisible();
  await expect(member).toHaveURL(/\/login/);
  await member.context().close();
});

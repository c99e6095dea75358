import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

// Issues 13 and 17: the workspace home carries no translator and no messages (it translates on the
// server); the other pages' layout gives them (server/core/app-providers.tsx). A member who opens the
// home and moves to another page through the menu (client navigation: the layouts above are not
// rendered again) must see that page translated, never a raw message key, in English and Khmer.

/** text that looks like a message key of the catalog's namespaces ("invoices.title", "common.save") */
const RAW_KEY =
  /\b(?:common|errors|validation|invoices|rentPayments|renters|contracts|properties|currency|files|billing|dashboard|onboarding|nav|app)\.[a-z][A-Za-z]+\b/;

async function noRawKeys(page: Page) {
  await expect(page.locator("#main")).not.toContainText(RAW_KEY);
  await expect(page.locator("body")).not.toContainText(RAW_KEY);
}

async function walk(page: Page, labels: { invoices: RegExp; payments: RegExp; dashboard: RegExp }) {
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  await noRawKeys(page);
  const menu = page.locator("#app-nav");
  await menu.getByRole("link", { name: labels.invoices }).click();
  await expect(page).toHaveURL(/\/invoices$/);
  await expect(page.getByTestId("invoices")).toBeVisible();
  await noRawKeys(page);
  await menu.getByRole("link", { name: labels.payments }).click();
  await expect(page).toHaveURL(/\/payments$/);
  await noRawKeys(page);
  await menu.getByRole("link", { name: labels.dashboard }).click();
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  await noRawKeys(page);
  await menu.getByRole("link", { name: labels.invoices }).click();
  await expect(page.getByTestId("invoices")).toBeVisible();
  await noRawKeys(page);
}

test("from the home to other pages through the menu, every string translated (English)", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await walk(page, { invoices: /^Invoices$/, payments: /^Payments$/, dashboard: /^Dashboard$/ });
});

test("the same in Khmer", async ({ page }) => {
  await page.context().addCookies([{ name: "phteah-locale", value: "km", url: origin("acme") }]);
  await signedIn(page, "acme", "owner@acme.test");
  await expect(page.locator("html")).toHaveAttribute("lang", "km");
  await walk(page, { invoices: /^វិក្កយបត្រ$/, payments: /^ការបង់ប្រាក់$/, dashboard: /^ផ្ទាំងគ្រប់គ្រង$/ });
});

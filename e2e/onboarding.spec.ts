import { randomInt } from "node:crypto";
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signUpWorkspace } from "./fixtures/signup";

// A new workspace's first visit (issue 17): the dashboard's set-up checklist in order, each step
// linking to its page and ticking itself off from the workspace's own data; the owner hides it.
// The menu shows a landlord's everyday pages first and the advanced ones under "Settings and
// tools", the same in the phone drawer. The Bakong account is asked for on the contract form.

async function signUp(page: Page): Promise<string> {
  return (await signUpWorkspace(page, { prefix: "onb", emailLocal: "sokha" })).slug;
}

async function trpc<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.evaluate(
    async ([p, i]) => {
      const r = await fetch(`/api/trpc/${p}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ json: i }),
      });
      return { status: r.status, body: await r.text() };
    },
    [path, input] as const,
  );
  expect(res.status, res.body).toBe(200);
  return (JSON.parse(res.body) as { result: { data: { json: T } } }).result.data.json;
}

const MAIN = ["Dashboard", "Properties", "Units", "Renters", "Contracts", "Meter readings", "Invoices", "Payments", "Account"];

test("a new workspace: the set-up checklist ticks itself off, the owner hides it; the menu puts the everyday pages first", async ({
  page,
}) => {
  const slug = await signUp(page);
  const checklist = page.getByTestId("onboarding-checklist");
  await expect(checklist).toBeVisible();
  await expect(page.getByTestId("onboarding-progress")).toHaveText("0 of 6 steps done");
  const steps = checklist.locator("li");
  await expect(steps).toHaveText([
    /Add a property and its rooms/,
    /Add your renters/,
    /Make the contracts/,
    /Add your Bakong account/,
    /Enter the first meter readings/,
    /Send the first invoices/,
  ]);
  await expect(page.getByTestId("onboarding-step-units").getByRole("link")).toHaveAttribute("href", "/properties");
  await expect(page.getByTestId("onboarding-step-bakong").getByRole("link")).toHaveAttribute("href", "/settings#settings-bakong");

  // the menu: everyday pages, then the advanced ones under their heading
  const nav = page.getByRole("navigation", { name: "Menu" });
  const settingsGroup = nav.getByRole("group", { name: "Settings and tools" });
  await expect(settingsGroup.getByRole("link")).toHaveText([
    "Settings",
    "Members",
    "Roles",
    "Billing",
    "Messages",
    "Message templates",
    "Import",
    "Audit log",
  ]);
  const allLinks = await nav.getByRole("link").allTextContents();
  expect(allLinks.slice(0, MAIN.length)).toEqual(MAIN);
  await page.screenshot({ path: "test-results/onboarding-desktop.png", fullPage: true });

  // a property with a unit and a renter (their own specs test those forms): two steps tick off
  const property = await trpc<{ id: string }>(page, "properties.create", { name: "Sokha House", type: "apartment_building" });
  await trpc(page, "properties.createUnit", { propertyId: property.id, code: "A-1", baseRent: 15_000, currency: "USD", floor: 1 });
  await trpc(page, "renters.create", { nameLatin: "Dara Kim", nameKm: "ដារ៉ា គឹម", phone: `+85512${randomInt(100_000, 999_999)}` });
  await page.reload();
  await expect(page.getByTestId("onboarding-progress")).toHaveText("2 of 6 steps done");
  await expect(page.getByTestId("onboarding-step-units")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("onboarding-step-renters")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("onboarding-step-contracts")).toHaveAttribute("data-done", "false");

  // the next step opens its page; with no Bakong account the contract form asks for one there
  await page.getByTestId("onboarding-step-contracts").getByRole("link").click();
  await page.waitForURL(`${origin(slug)}/contracts`);
  await page.goto(`${origin(slug)}/contracts/new`);
  const prompt = page.getByTestId("bakong-prompt");
  await expect(prompt).toContainText("Renters cannot pay by KHQR yet");
  await prompt.getByRole("link", { name: "Add the Bakong account" }).click();
  await page.waitForURL(`${origin(slug)}/settings#settings-bakong`);
  await expect(page.locator("#settings-bakong")).toBeVisible();

  // the owner hides the checklist (confirmed); it stays hidden
  await page.goto(`${origin(slug)}/`);
  await page.getByTestId("onboarding-dismiss").click();
  await expect(page.locator(".swal2-popup")).toContainText("Hide the set-up list?");
  await page.locator(".swal2-confirm").click();
  await expect(page.locator(".notyf__toast--success")).toContainText("The set-up list is hidden.");
  await expect(checklist).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  await expect(checklist).toHaveCount(0);
});

test("on a phone: the checklist fits the screen and the drawer menu has the same order and groups", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page);
  await expect(page.getByTestId("onboarding-checklist")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  const nav = page.getByRole("navigation", { name: "Menu" });
  await expect(nav).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(nav).toBeVisible();
  const allLinks = await nav.getByRole("link").allTextContents();
  expect(allLinks.slice(0, MAIN.length)).toEqual(MAIN);
  const settingsGroup = nav.getByRole("group", { name: "Settings and tools" });
  await expect(settingsGroup.getByRole("link").last()).toHaveText("Audit log");
  // the drawer scrolls to its last entry and a tap opens the page
  await settingsGroup.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(nav).toBeHidden();
  await page.screenshot({ path: "test-results/onboarding-mobile.png", fullPage: true });
});

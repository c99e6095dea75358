// Workspace settings (/settings) on a fresh workspace made by sign-up, so the seeded tenants
// other specs rely on keep their name, Bakong account and reminder days.
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signUpWorkspace } from "./fixtures/signup";

async function signUp(page: Page): Promise<string> {
  return (await signUpWorkspace(page, { prefix: "set", emailLocal: "sokha" })).slug;
}

const chips = (page: Page) => page.getByTestId("reminder-days").locator("li");

test("an owner sets the name, default language, Bakong account and reminder days", async ({ page }) => {
  const slug = await signUp(page);
  await page.goto(`${origin(slug)}/settings`);
  await expect(page.getByRole("heading", { name: "Workspace settings" })).toBeVisible();
  const form = page.getByTestId("workspace-settings-form");
  await expect(form.getByLabel("Workspace name")).toHaveValue("Sokha Rentals");
  await expect(chips(page)).toHaveText(["3 days before the due date", "1 day after the due date", "7 days after the due date"]);

  // a malformed Bakong id and an out-of-range day are refused inline, before anything is sent
  await form.getByLabel("Bakong account").fill("sokha");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(page.locator("#settings-bakong-error")).toContainText("sokha_apartments@aclb");
  await form.getByLabel("Days from the due date").fill("61");
  await form.getByRole("button", { name: "Add reminder" }).click();
  await expect(page.locator("#settings-day-error")).toHaveText("Use a day from −30 to 60.");
  await form.getByLabel("Days from the due date").fill("7");
  await form.getByLabel("Days from the due date").press("Enter");
  await expect(page.locator("#settings-day-error")).toHaveText("That day is already in the list.");

  await form.getByLabel("Workspace name").fill("Sokha Apartments");
  await form.getByLabel("ខ្មែរ").check();
  await form.getByLabel("Bakong account").fill("Sokha_Apartments@ACLB");
  await form.getByRole("button", { name: "Remove the reminder “1 day after the due date”" }).click();
  await form.getByLabel("Days from the due date").fill("0");
  await form.getByRole("button", { name: "Add reminder" }).click();
  await form.getByLabel("Days from the due date").fill("14");
  await form.getByLabel("Days from the due date").press("Enter");
  await expect(chips(page)).toHaveText([
    "3 days before the due date",
    "On the due date",
    "7 days after the due date",
    "14 days after the due date",
  ]);
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("Settings saved.");
  await expect(form.getByLabel("Bakong account")).toHaveValue("sokha_apartments@aclb");
  await expect(page.getByTestId("workspace-title")).toHaveText("Sokha Apartments");
  await expect(page.getByTestId("khqr-status").or(page.getByTestId("upgrade-hint-khqr_rent_collection"))).toBeVisible();

  // saved on the server: a reload shows the same values
  await page.reload();
  await expect(form.getByLabel("Workspace name")).toHaveValue("Sokha Apartments");
  await expect(form.getByLabel("ខ្មែរ")).toBeChecked();
  await expect(form.getByLabel("Bakong account")).toHaveValue("sokha_apartments@aclb");
  await expect(chips(page)).toHaveCount(4);
  await expect(chips(page).first()).toHaveAttribute("data-day", "-3");
  await expect(chips(page).last()).toHaveAttribute("data-day", "14");

  // on a phone: nothing wider than the screen
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(form.getByRole("button", { name: "Save settings" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

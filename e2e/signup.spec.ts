import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";

test("sign-up on the apex creates the workspace and lands signed in on its subdomain", async ({ page }) => {
  const slug = `e2e-${Date.now().toString(36)}`;
  await page.goto(`${origin()}/signup`);
  await page.getByLabel("Your name").fill("Sokha Chan");
  await page.getByLabel("Email").fill(`sokha+${slug}@example.test`);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByLabel("Business name").fill("Sokha Rentals");
  await page.getByLabel("Workspace address").fill(slug);
  await page.getByLabel(/I accept the terms of service/).check();
  await page.getByRole("button", { name: "Create workspace" }).click();

  await page.waitForURL(`${origin(slug)}/`);
  await expect(page.getByTestId("dashboard-heading")).toHaveText("Welcome, Sokha Chan");
  await expect(page.getByTestId("your-role")).toContainText("Owner");
  await expect(page.getByTestId("workspace-title")).toHaveText("Sokha Rentals");

  // the same address cannot be taken twice
  await page.context().clearCookies();
  await page.goto(`${origin()}/signup`);
  await page.getByLabel("Your name").fill("Someone Else");
  await page.getByLabel("Email").fill(`else+${slug}@example.test`);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByLabel("Business name").fill("Other");
  await page.getByLabel("Workspace address").fill(slug);
  await page.getByLabel(/I accept the terms of service/).check();
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("alert").first()).toContainText("taken");
});

test("reserved and malformed addresses are refused with an inline error", async ({ page }) => {
  await page.goto(`${origin()}/signup`);
  await page.getByLabel("Your name").fill("A");
  await page.getByLabel("Email").fill("a@example.test");
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByLabel("Business name").fill("Admin Co");
  await page.getByLabel("Workspace address").fill("admin");
  await page.getByLabel(/I accept the terms of service/).check();
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.locator("#slug-error")).toContainText("reserved");
  await page.getByLabel("Workspace address").fill("Bad_Slug");
  await page.getByLabel(/I accept the terms of service/).check();
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.locator("#slug-error")).toContainText("lowercase");
});

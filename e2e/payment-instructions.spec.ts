// The workspace's own cash and bank-transfer instructions (/settings → "Cash and bank transfer"),
// on a fresh workspace made by sign-up so the seeded tenants other specs rely on stay unchanged.
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signUpWorkspace } from "./fixtures/signup";

test("an owner saves the cash and bank-transfer instructions, with validation", async ({ page }) => {
  const { slug } = await signUpWorkspace(page, { prefix: "payi", emailLocal: "sokha" });

  await page.goto(`${origin(slug)}/settings`);
  const form = page.getByTestId("payment-instructions-form");
  await expect(form.getByRole("heading", { name: "Cash and bank transfer" })).toBeVisible();
  await form.getByLabel("Bank").fill("ABA Bank");
  await form.getByLabel("Account name").fill("Sokha Chan");
  await form.getByLabel("Account number").fill("12ab");
  await form.getByLabel("Phone for cash payments").fill("12");
  await form.getByRole("button", { name: "Save payment instructions" }).click();
  await expect(form).toContainText("Use digits only");
  await expect(form).toContainText("6 to 15 digits");

  await form.getByLabel("Account number").fill("000 123 456");
  await form.getByLabel("Phone for cash payments").fill("+855 12 345 678");
  await form.getByRole("button", { name: "Save payment instructions" }).click();
  // the toast itself (Notyf's screen-reader announcer repeats its text)
  await expect(page.locator(".notyf__message", { hasText: "Settings saved." })).toBeVisible();
  await page.reload();
  await expect(form.getByLabel("Account number")).toHaveValue("000 123 456");
  await expect(form.getByLabel("Phone for cash payments")).toHaveValue("+855 12 345 678");
});

import { expect, test } from "./fixtures/test";
import { emailsTo, login, origin } from "./fixtures/helpers";

test("password reset by emailed, single-use link", async ({ page, request }) => {
  const email = "viewer@globex.test";
  await page.goto(`${origin("globex")}/forgot-password`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("reset link is on its way");

  // the real Resend SDK delivered it to the local stub
  // the reset mail (this address also gets other specs' mail, e.g. find my workspace)
  const RESET_LINK = /https?:\/\/\S+reset-password\?token=[\w-]+/;
  let mails: Awaited<ReturnType<typeof emailsTo>> = [];
  await expect
    .poll(async () => (mails = (await emailsTo(request, email)).filter((m) => RESET_LINK.test(m.text ?? ""))).length)
    .toBeGreaterThan(0);
  const link = RESET_LINK.exec(mails.at(-1)!.text ?? "")?.[0];
  expect(link).toContain(`${origin("globex")}/reset-password?token=`);

  await page.goto(link!);
  await page.getByLabel("New password").fill("brand-new-password-1");
  await page.getByRole("button", { name: "Save new password" }).click();
  await page.waitForURL(/\/login\?reset=1$/);
  await expect(page.getByText("Your password was changed")).toBeVisible();

  await login(page, "globex", email, "brand-new-password-1");
  await page.waitForURL(`${origin("globex")}/`);

  // the link works once
  await page.context().clearCookies();
  await page.goto(link!);
  await page.getByLabel("New password").fill("another-password-22");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByRole("alert").first()).toContainText("invalid, expired or already used");
});

test("no email for an address that has no account here, and the same answer", async ({ page, request }) => {
  await page.goto(`${origin("acme")}/forgot-password`);
  await page.getByLabel("Email").fill("owner@globex.test");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("reset link is on its way");
  const mails = await emailsTo(request, "owner@globex.test");
  expect(mails.filter((m) => m.subject.includes("Acme"))).toHaveLength(0);
});

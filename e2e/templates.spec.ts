// Message templates in the browser: a platform admin edits a global template (inline validation,
// variable chips, live preview in a sandboxed frame, save, reset with confirmation), and the owner
// of acme (Pro: custom templates) overrides a template in Khmer and previews it.
import { expect, test, type Page } from "./fixtures/test";
import { adminTest } from "./fixtures/admin";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

/** The e-mail preview: an iframe with sandbox="" (no scripts, no same-origin access for its content). */
function previewFrame(page: Page) {
  return page.frameLocator('[data-testid="template-preview"]');
}

adminTest("an admin edits a global template and the preview follows", async ({ adminPage: page }) => {
  test.setTimeout(60_000);
  await page.goto(`${origin()}/admin/templates`);
  await expect(page.getByTestId("templates-heading")).toHaveText("Global message templates");
  await page.getByTestId("template-key").selectOption("contract.expiring");
  await page.getByTestId("template-locale-en").click();
  await expect(page.getByTestId("template-source")).toHaveText("In use: built-in default");
  await expect(page.getByTestId("template-preview")).toHaveAttribute("sandbox", "");
  await expect(previewFrame(page).getByRole("heading", { name: "Sokha Apartments" })).toBeVisible();
  // the renter has no login: the built-in text carries no link
  await expect(
    previewFrame(page).getByText("Your contract for unit A-203 at Sokha Apartments ends on 31 Jan 2027.", { exact: false }),
  ).toBeVisible();
  await expect(previewFrame(page).getByRole("link")).toHaveCount(0);

  // an unknown variable: inline error, nothing to save
  const subject = page.getByTestId("template-subject");
  const body = page.getByTestId("template-body");
  await subject.fill("Heads-up: {{unit}} ends {{endDate}} {{secret}}");
  await expect(page.getByTestId("template-problems")).toContainText("Unknown variables: {{secret}}");
  await expect(page.getByTestId("template-save")).toBeDisabled();

  // fixed, then a variable inserted with its chip; the preview catches up after a pause in typing
  await subject.fill("Heads-up: {{unit}} ends {{endDate}} at ");
  await page.getByTestId("template-var-workspace").click();
  await expect(subject).toHaveValue("Heads-up: {{unit}} ends {{endDate}} at {{workspace}}");
  await expect(page.getByTestId("template-problems")).toHaveText("");
  await expect(page.getByTestId("template-preview-subject")).toHaveText("Heads-up: A-203 ends 31 Jan 2027 at Sokha Apartments");
  // a variable another key has ({{link}}) is unknown here
  await body.fill("Dear {{renter}}, about <b>{{unit}}</b>.\n\n[See the contract]({{link}})");
  await expect(page.getByTestId("template-problems")).toContainText("Unknown variables: {{link}}");
  await expect(page.getByTestId("template-save")).toBeDisabled();
  await body.fill("Dear {{renter}}, about <b>{{unit}}</b>.\n\n[Contact us](https://sokha.example/contact)");
  await expect(page.getByTestId("template-problems")).toHaveText("");
  await expect(previewFrame(page).getByText("Dear Chan Sreyneang, about <b>A-203</b>.")).toBeVisible();
  await expect(previewFrame(page).getByRole("link", { name: "Contact us" })).toBeVisible();

  await page.getByTestId("template-save").click();
  await expect(page.locator(".notyf__toast--success", { hasText: "Template saved." })).toBeVisible();
  await expect(page.getByTestId("template-source")).toHaveText("In use: global template");
  await page.reload();
  await page.getByTestId("template-key").selectOption("contract.expiring");
  await page.getByTestId("template-locale-en").click();
  await expect(subject).toHaveValue("Heads-up: {{unit}} ends {{endDate}} at {{workspace}}");

  // back to the built-in text, after a confirmation
  await page.getByTestId("template-reset").click();
  await expect(page.locator(".swal2-popup")).toContainText("Reset this template?");
  await page.locator(".swal2-confirm").click();
  await expect(page.locator(".notyf__toast--success", { hasText: "The default wording is used again." })).toBeVisible();
  await expect(page.getByTestId("template-source")).toHaveText("In use: built-in default");
  await expect(subject).toHaveValue("Your rental of {{unit}} ends on {{endDate}}");
  await expect(page.getByTestId("template-reset")).toBeDisabled();
});

test("acme's owner overrides a template in Khmer and previews it", async ({ page }) => {
  test.setTimeout(60_000);
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.getByRole("link", { name: "Message templates" }).first().click();
  await page.waitForURL(`${origin("acme")}/messages/templates`);
  await expect(page.getByTestId("templates-heading")).toHaveText("Message templates");

  await page.getByTestId("template-key").selectOption("rent.reminder");
  await page.getByTestId("template-locale-km").click();
  const subject = page.getByTestId("template-subject");
  await expect(subject).toHaveValue("រំលឹក៖ វិក្កយបត្រថ្លៃជួល {{number}} ត្រូវបង់នៅថ្ងៃ {{due}}");

  await subject.fill("សូមបង់ថ្លៃជួល {{number}} មុនថ្ងៃ {{due}}");
  await page.getByTestId("template-body").fill("ជម្រាបសួរ {{renter}}\n\nថ្លៃជួលខែនេះគឺ {{amount}}។ សូមអរគុណ!\n\n[បង់តាម KHQR]({{payLink}})");
  await expect(page.getByTestId("template-preview-subject")).toHaveText("សូមបង់ថ្លៃជួល R-2026-0118 មុនថ្ងៃ 5 Dec 2026");
  const frame = previewFrame(page);
  await expect(frame.getByRole("heading", { name: "Acme Apartments" })).toBeVisible();
  await expect(frame.getByText("ថ្លៃជួលខែនេះគឺ $180.00។ សូមអរគុណ!")).toBeVisible();
  await expect(frame.getByRole("link", { name: "បង់តាម KHQR" })).toHaveAttribute("href", /^https:\/\//);
  await expect(frame.locator("html")).toHaveAttribute("lang", "km");
  // the Khmer font is asked for (with fallbacks) inside the e-mail itself
  expect(await frame.locator("td").first().getAttribute("style")).toContain("Noto Sans Khmer");

  await page.getByTestId("template-save").click();
  await expect(page.locator(".notyf__toast--success", { hasText: "Template saved." })).toBeVisible();
  await expect(page.getByTestId("template-source")).toHaveText("In use: your template");
  await expect(page.getByTestId("template-key").locator("option:checked")).toContainText("Customized");

  // leave the seeded workspace as it was
  await page.getByTestId("template-reset").click();
  await page.locator(".swal2-confirm").click();
  await expect(page.locator(".notyf__toast--success", { hasText: "The default wording is used again." })).toBeVisible();
  await expect(subject).toHaveValue("រំលឹក៖ វិក្កយបត្រថ្លៃជួល {{number}} ត្រូវបង់នៅថ្ងៃ {{due}}");
});

adminTest("a secret link can only be a button's address, inline in the console editor", async ({ adminPage: page }) => {
  test.setTimeout(60_000);
  await page.goto(`${origin()}/admin/templates`);
  await page.getByTestId("template-key").selectOption("auth.password_reset");
  await page.getByTestId("template-locale-en").click();
  await expect(page.getByTestId("template-secret-note")).toContainText("{{link}} is a single-use secret link");
  const subject = page.getByTestId("template-subject");
  const body = page.getByTestId("template-body");
  await expect(subject).toHaveValue("Reset your {{workspace}} password");

  // the attack: the reset link in the subject (stored and shown in the message log)
  await subject.fill("Reset your {{workspace}} password: {{link}}");
  await expect(page.getByTestId("template-problems")).toContainText("{{link}} is a secret link and cannot be in the subject.");
  await expect(subject).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("template-save")).toBeDisabled();
  // the preview never shows the link there either
  await expect(page.getByTestId("template-preview-subject")).toHaveText("Reset your Sokha Apartments password: [hidden]");

  await subject.fill("Reset your {{workspace}} password");
  await body.fill("Hello {{name}},\n\nPaste {{link}} into your browser.\n\n[Choose a new password]({{link}})");
  await expect(page.getByTestId("template-problems")).toContainText(
    "{{link}} is a secret link: use it only as the whole address of a button line",
  );
  await expect(page.getByTestId("template-save")).toBeDisabled();

  // as a button's address it is fine (nothing is saved: other tests share the global wording)
  await body.fill("Hello {{name}},\n\n[Choose a new password]({{link}})");
  await expect(page.getByTestId("template-problems")).toHaveText("");
  await expect(page.getByTestId("template-save")).toBeEnabled();
  await expect(previewFrame(page).getByRole("link", { name: "Choose a new password" })).toHaveAttribute("href", /reset-password\?token=/);
});

test("a workspace is not offered the security messages", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.goto(`${origin("acme")}/messages/templates`);
  await expect(page.getByTestId("templates-heading")).toHaveText("Message templates");
  await expect(page.getByTestId("template-security-note")).toHaveText(
    "Password reset and invitation e-mails are security messages: only Phteah can change their wording.",
  );
  const options = page.getByTestId("template-key").locator("option");
  await expect(options.first()).toHaveAttribute("value", "billing.invoice_issued");
  await expect(page.getByTestId("template-key").locator('option[value="auth.password_reset"]')).toHaveCount(0);
  await expect(page.getByTestId("template-key").locator('option[value="team.invitation"]')).toHaveCount(0);
  await expect(page.getByTestId("template-subject")).toHaveValue("New invoice {{number}} — {{workspace}}");
});

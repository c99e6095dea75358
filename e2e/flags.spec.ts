import { expect, type Browser, type Page, newClientContext } from "./fixtures/test";
import { adminTest as test } from "./fixtures/admin";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

const FLAG = "dashboard-whats-new";

/** `YYYY-MM-DD` in Phnom Penh, `days` from today (what the console's date field takes). */
function dateIn(days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Phnom_Penh", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** A member signed in on their own workspace, in a browser context of their own. */
async function memberDashboard(browser: Browser, slug: string, email: string): Promise<Page> {
  const context = await newClientContext(browser);
  const page = await context.newPage();
  await signedIn(page, slug, email);
  await page.waitForURL(`${origin(slug)}/`);
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  return page;
}

async function createFlag(page: Page, key: string, expires: string, description: string) {
  await page.getByRole("button", { name: "New flag" }).click();
  const form = page.getByTestId("flag-create-form");
  await form.getByLabel("Key", { exact: true }).fill(key);
  await form.getByLabel("Description", { exact: true }).fill(description);
  await form.getByLabel("Owner", { exact: true }).fill("platform team");
  await form.getByLabel("Expires on", { exact: true }).fill(expires);
  await expect(form.getByLabel("On by default")).not.toBeChecked();
  await form.getByRole("button", { name: "Create flag" }).click();
}

test("a flag pilots the dashboard's What's new card for one tenant only", async ({ adminPage: admin, browser, exclusive }) => {
  test.setTimeout(60_000);
  // acme's dashboard shows the card while the override is on: not in rentals.spec's screenshot of it
  await exclusive("acme-dashboard");
  await admin.goto(`${origin()}/admin/flags`);
  await expect(admin.getByTestId("flags-heading")).toHaveText("Feature flags");

  // the form validates with the shared schema, inline: a bad key and a past expiry
  await admin.getByRole("button", { name: "New flag" }).click();
  const form = admin.getByTestId("flag-create-form");
  await form.getByLabel("Key", { exact: true }).fill("Bad Key");
  await form.getByLabel("Expires on", { exact: true }).fill(dateIn(-2));
  await form.getByRole("button", { name: "Create flag" }).click();
  await expect(form.getByText("Use 3–50 lowercase letters, digits and hyphens, starting with a letter.")).toBeVisible();
  await expect(form.getByText("Pick a date after today")).toBeVisible();
  await expect(form.getByText("Required.")).toHaveCount(2); // description, owner
  await form.getByRole("button", { name: "Cancel" }).click();

  // create it: default off, owned, expiring next month
  await createFlag(admin, FLAG, dateIn(30), "Shows the What's new card on the workspace dashboard");
  await expect(admin.locator(".notyf__toast--success")).toContainText(`Flag ${FLAG} created.`);
  const row = admin.getByTestId("flags-table").getByRole("row").filter({ hasText: FLAG });
  await expect(row).toContainText("platform team");
  await expect(row).toContainText("Off");
  await expect(row.getByTestId("flag-expired")).toHaveCount(0);

  // the same key again: CONFLICT, shown next to the key and as a toast
  await createFlag(admin, FLAG, dateIn(30), "again");
  await expect(admin.getByTestId("flag-create-form")).toContainText(`A flag with the key ${FLAG} already exists.`);
  await expect(admin.locator(".notyf__toast--error")).toContainText("already exists");
  await admin.getByTestId("flag-create-form").getByRole("button", { name: "Cancel" }).click();

  // default off: acme has no card
  const acme = await memberDashboard(browser, "acme", "owner@acme.test");
  await expect(acme.getByTestId("whats-new")).toHaveCount(0);

  // pilot: override ON for acme, on the flag's page
  await row.getByRole("link", { name: FLAG }).click();
  await admin.waitForURL(`${origin()}/admin/flags/${FLAG}`);
  await expect(admin.getByTestId("flag-heading")).toHaveText(FLAG);
  await expect(admin.getByText("No overrides: every tenant follows the default.")).toBeVisible();
  await admin.getByLabel("Tenant address or id").fill("no-such-tenant");
  await admin.getByRole("button", { name: "Set override" }).click();
  await expect(admin.getByText("No tenant has the address or id “no-such-tenant”.").first()).toBeVisible();
  await admin.getByLabel("Tenant address or id").fill("acme");
  await admin.getByLabel("State").selectOption("on");
  await admin.getByRole("button", { name: "Set override" }).click();
  await expect(admin.locator(".notyf__toast--success").last()).toContainText(`acme: ${FLAG} is now on.`);
  await expect(admin.getByTestId("override-acme")).toContainText("Acme Apartments");
  await expect(admin.getByTestId("override-acme")).toContainText("On");

  // acme sees the card; globex does not
  await acme.reload();
  await expect(acme.getByTestId("whats-new")).toContainText("What's new");
  const globex = await memberDashboard(browser, "globex", "owner@globex.test");
  await expect(globex.getByTestId("dashboard-heading")).toBeVisible();
  await expect(globex.getByTestId("whats-new")).toHaveCount(0);

  // the list counts the override
  await admin.getByRole("link", { name: "All flags" }).click();
  await expect(admin.getByTestId("flags-table").getByRole("row").filter({ hasText: FLAG }).getByRole("cell").nth(4)).toHaveText("1");

  // clearing the override (confirmed) puts acme back on the default: no card
  await admin.getByTestId("flags-table").getByRole("link", { name: FLAG }).click();
  await admin.getByRole("button", { name: "Clear acme" }).click();
  await expect(admin.getByRole("dialog")).toContainText("Clear the override for acme?");
  await admin.getByRole("dialog").getByRole("button", { name: "Clear" }).click();
  await expect(admin.locator(".notyf__toast--success").last()).toContainText("The override for acme was cleared.");
  await expect(admin.getByTestId("override-acme")).toHaveCount(0);
  await acme.reload();
  await expect(acme.getByTestId("dashboard-heading")).toBeVisible();
  await expect(acme.getByTestId("whats-new")).toHaveCount(0);

  await acme.context().close();
  await globex.context().close();
});

test("an expired flag is highlighted in red, filterable, and deleted with its key typed", async ({ adminPage: admin }) => {
  const key = `e2e-old-${Date.now().toString(36)}`;
  await admin.goto(`${origin()}/admin/flags`);
  await createFlag(admin, key, dateIn(10), "A flag that outlived its purpose");
  await expect(admin.locator(".notyf__toast--success")).toContainText(`Flag ${key} created.`);

  // creation refuses past dates; editing may move the expiry into the past
  await admin.getByTestId("flags-table").getByRole("link", { name: key }).click();
  await admin.waitForURL(`${origin()}/admin/flags/${key}`);
  const edit = admin.getByTestId("flag-edit-form");
  await expect(edit.getByLabel("Key", { exact: true })).toBeDisabled();
  await edit.getByLabel("Expires on", { exact: true }).fill(dateIn(-3));
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(admin.locator(".notyf__toast--success").last()).toContainText(`Flag ${key} saved.`);
  await expect(admin.getByTestId("flag-expired").first()).toHaveText("Expired");
  await expect(admin.getByRole("status")).toContainText("remove the code path that checks it, then delete the flag");

  // the list: red badge, expired flags first, and the filter
  await admin.getByRole("link", { name: "All flags" }).click();
  const table = admin.getByTestId("flags-table");
  const row = table.getByRole("row").filter({ hasText: key });
  await expect(row.getByTestId("flag-expired")).toHaveText("Expired");
  await expect(row.getByTestId("flag-expired")).toHaveClass(/bg-red-100/);
  await expect(table.getByRole("row").nth(1)).toContainText("Expired");
  await admin.getByTestId("flags-filter").selectOption("active");
  await expect(table.getByRole("row").filter({ hasText: key })).toHaveCount(0);
  await admin.getByTestId("flags-filter").selectOption("expired");
  await expect(table.getByRole("row").filter({ hasText: key })).toHaveCount(1);
  await expect(table.getByRole("row").filter({ hasText: FLAG })).toHaveCount(0);

  // delete: the key must be typed
  await row.getByRole("button", { name: `Delete ${key}` }).click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog).toContainText(`Delete flag ${key}?`);
  await dialog.getByRole("textbox").fill("wrong");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog.locator(".swal2-validation-message")).toContainText(`Type ${key} to confirm`);
  await dialog.getByRole("textbox").fill(key);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(admin.locator(".notyf__toast--success").last()).toContainText(`Flag ${key} deleted.`);
  await expect(table.getByRole("row").filter({ hasText: key })).toHaveCount(0);
  await admin.goto(`${origin()}/admin/flags/${key}`);
  await expect(admin.getByText("Page not found")).toBeVisible();
});

import { readFile } from "node:fs/promises";
import { expect, newClientContext, test, type Download, type Page } from "./fixtures/test";
import { adminTest } from "./fixtures/admin";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

// The audit log end to end: a role change on /members shows up in the workspace's /audit
// (filtered by action) and in its CSV download; a viewer has neither the nav entry nor the
// page; the admin console finds acme's role changes under tenant acme and downloads its CSV.
// The console test uses another fixture set than the workspace tests, so Playwright may run it in
// another worker, before them: it makes its own role changes.

// the workspace's CSV is in words (issue 17): the reader's language, the workspace's clock, labels, the change as text
const HEADER = "Time (Phnom Penh time),Who,Support staff acting for them,What happened,Record,Reference,IP address,Device,Changes";

async function downloadText(page: Page): Promise<{ name: string; text: string }> {
  const pending = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download: Download = await pending;
  const file = await download.path();
  return { name: download.suggestedFilename(), text: (await readFile(file, "utf8")).replace(/^\uFEFF/, "") };
}

async function applyFilters(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Apply filters" }).click();
}

/** As acme's owner: two role changes that leave the seed as it was (manager → accountant → manager). */
async function changeManagerRoleTwice(page: Page): Promise<void> {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.getByRole("link", { name: "Members" }).click();
  const row = page.getByTestId("members-table").getByRole("row").filter({ hasText: "manager@acme.test" });
  await row.getByRole("combobox", { name: "Change role" }).selectOption({ label: "Accountant" });
  await expect(page.locator(".notyf__toast--success").filter({ hasText: "Role changed to Accountant." })).toBeVisible();
  await row.getByRole("combobox", { name: "Change role" }).selectOption({ label: "Manager" });
  await expect(page.locator(".notyf__toast--success").filter({ hasText: "Role changed to Manager." })).toBeVisible();
}

test("the owner changes a role, finds it in /audit filtered by action, and downloads it as CSV", async ({ page, exclusive }) => {
  // the counts below are of every role change in acme: none may happen in another spec meanwhile
  await exclusive("acme-roles");
  await changeManagerRoleTwice(page);

  await page.getByRole("link", { name: "Audit log" }).click();
  await page.waitForURL(`${origin("acme")}/audit`);
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await applyFilters(page, { Action: "membership.role_changed" });
  const table = page.getByTestId("audit-table");
  // our two changes (other specs may have changed acme's roles before; every row is one)
  await expect(table).toContainText("manager@acme.test");
  expect(await table.getByRole("row").count()).toBeGreaterThanOrEqual(1 + 2);
  await expect(table).toContainText("Member role changed");
  await expect(table).toContainText("owner@acme.test");
  await expect(table).not.toContainText("auth.login.succeeded");
  const shown = await table.getByRole("row").count();
  // the filter is in the address, so the view can be shared or reloaded
  await expect(page).toHaveURL(/\?action=membership\.role_changed$/);

  // no raw keys or ids in the list; the details drawer tells the change in words
  await expect(table).not.toContainText("membership.role_changed");
  await expect(table).not.toContainText("{");
  await table.getByTestId("audit-details-open").first().click();
  const drawer = page.getByRole("dialog", { name: "Member role changed" });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId("audit-details-changes")).toContainText(/Role: \w+ → \w+/);
  await expect(drawer).toContainText("manager@acme.test");
  await expect(drawer).toContainText(/Chrome on (Windows|Linux)/);
  await expect(drawer).not.toContainText("{");
  await expect(drawer).not.toContainText("Mozilla");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await page.screenshot({ path: "test-results/audit-desktop.png", fullPage: true });
  // on a phone: the same rows as cards, the filter fields stacked, no sideways scrolling
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("audit-cards").locator("li")).toHaveCount(shown - 1);
  await expect(table).toBeHidden();
  const [action, target] = [page.getByLabel("Action", { exact: true }), page.getByLabel("Target type", { exact: true })];
  expect((await target.boundingBox())!.y).toBeGreaterThan((await action.boundingBox())!.y);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: "test-results/audit-mobile.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  const { name, text } = await downloadText(page);
  expect(name).toMatch(/^audit-acme-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = text.split("\r\n").filter(Boolean);
  expect(lines[0]).toBe(HEADER);
  // one record per row of the filtered table, and nothing else
  expect(lines).toHaveLength(shown);
  for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},[^,]*,[^,]*,Member role changed,Member,/);
  // no record ids, JSON or raw browser strings in the file
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[{}]|Mozilla|membership\.role_changed/i);
  const ours = lines.filter((l) => l.includes(",owner@acme.test,,Member role changed,") && l.includes("User: manager@acme.test"));
  expect(ours.some((l) => l.includes("Role: manager → accountant"))).toBe(true);
  expect(ours.some((l) => l.includes("Role: accountant → manager"))).toBe(true);
  // Playwright's "Desktop Chrome" says Windows in its user agent
  expect(ours.every((l) => /,Chrome on (Windows|Linux),/.test(l))).toBe(true);
});

test("a viewer has no audit log: no nav entry, /audit is 404 and the export is refused", async ({ page }) => {
  await signedIn(page, "acme", "viewer@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await expect(page.getByRole("link", { name: "Members" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const res = await page.goto(`${origin("acme")}/audit`);
  expect(res?.status()).toBe(404);
  expect((await page.request.get(`${origin("acme")}/audit/export`)).status()).toBe(403);
});

adminTest(
  "the admin finds acme's role change in /admin/audit by tenant and downloads the console CSV",
  async ({ adminPage: page, browser, exclusive }) => {
    await exclusive("acme-roles");
    const owner = await newClientContext(browser);
    await changeManagerRoleTwice(await owner.newPage());
    await owner.close();
    await page.goto(`${origin()}/admin/audit`);
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await applyFilters(page, { Workspace: "acme", Action: "membership.role_changed" });
    const table = page.getByTestId("audit-table");
    await expect(table).toContainText("owner@acme.test");
    await expect(table).toContainText("Member role changed");
    await expect(table).not.toContainText("globex");
    const shown = await table.getByRole("row").count();
    expect(shown).toBeGreaterThanOrEqual(1 + 2);
    expect(await table.locator("code", { hasText: /^acme$/ }).count()).toBe(shown - 1);

    const { name, text } = await downloadText(page);
    expect(name).toMatch(/^audit-acme-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("time,tenant,actor,impersonator,action,target_type,target_id,ip,request_id,metadata");
    expect(lines).toHaveLength(shown);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,acme,[^,]*,[^,]*,membership\.role_changed,/);
    expect(
      lines.filter((l) => l.includes(",acme,owner@acme.test,,membership.role_changed,") && l.includes("manager@acme.test")).length,
    ).toBeGreaterThanOrEqual(2);
  },
);

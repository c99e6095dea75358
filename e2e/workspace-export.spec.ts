// "Export my data" on /settings: the owner downloads the whole workspace as a zip (streamed by
// /settings/export); a manager cannot. Reads acme and adds one audit row (tenant.exported), which
// no other spec counts.
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

test("the owner downloads the workspace export from /settings", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.goto(`${origin("acme")}/settings`);
  const section = page.getByTestId("workspace-export");
  await expect(page.getByRole("heading", { name: "Export my data" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), section.getByTestId("workspace-export-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^phteah-acme-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await readFile((await download.path())!);
  expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");
  for (const name of ["README.md", "manifest.json", "data/Renter.jsonl", "data/RentInvoice.jsonl", "users.jsonl"]) {
    expect(zip.includes(Buffer.from(name)), name).toBe(true);
  }
  await expect(page.locator(".notyf__toast--success").filter({ hasText: "Your export is downloading." })).toBeVisible();
});

test("a manager cannot export (403)", async ({ page }) => {
  await signedIn(page, "acme", "manager@acme.test");
  const res = await page.request.get(`${origin("acme")}/settings/export`);
  expect(res.status()).toBe(403);
});

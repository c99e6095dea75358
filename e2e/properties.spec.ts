import { randomBytes } from "node:crypto";
import { expect, newClientContext, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";
import { makePng, SAMPLE_PDF, SAMPLE_SVG } from "../server/testing/sample-files";

// Properties, photos, units and files on acme: a property created from the list, a photo uploaded
// (sniffed, public, cacheable), units added/edited/filtered through the URL/archived, a refused
// SVG, the workspace logo, private files (session + files.private), and the phone layout; an
// archived property restored from the archived filter with the units archived with it, and a unit
// archived on its own restored from /units?archived=1.
const ACME = origin("acme");
const toast = (page: Page, text: string) => page.locator(".notyf__message", { hasText: text });
const suffix = () => randomBytes(3).toString("hex");

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

async function signIn(page: Page, email: string) {
  await signedIn(page, "acme", email);
  await page.waitForURL(`${ACME}/`);
}

test("a property with a photo and units, filtered from the URL, on desktop and on a phone", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `Riverside ${suffix()}`;
  await signIn(page, "owner@acme.test");
  await page.getByRole("link", { name: "Properties" }).first().click();
  await page.waitForURL(`${ACME}/properties`);

  await page.getByTestId("new-property").click();
  const form = page.getByTestId("property-form");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Type").selectOption("apartment_building");
  await form.getByLabel("Address").fill("St 271, Phnom Penh");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(toast(page, `Property “${name}” created.`)).toBeVisible();
  await page.waitForURL(/\/properties\/[0-9a-f-]{36}$/);
  const propertyId = page.url().split("/").pop()!;
  await expect(page.getByTestId("property-name")).toHaveText(name);

  // an SVG is refused by its bytes, whatever its name
  const photos = page.getByTestId("property-photos");
  await photos.locator('input[type="file"]').setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: SAMPLE_SVG });
  await expect(photos.getByRole("alert")).toHaveText("Only photos can be uploaded here (PNG, JPEG or WebP).");
  // a real photo is attached and served publicly with long-lived caching
  await photos.locator('input[type="file"]').setInputFiles({ name: "front.png", mimeType: "image/png", buffer: makePng(320, 240) });
  await expect(toast(page, "Photo added.")).toBeVisible();
  const img = photos.locator("img").first();
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(320);
  const photoUrl = await img.getAttribute("src");
  expect(photoUrl).toMatch(/^\/files\/public\/[0-9a-f-]{36}$/);
  const anonymous = await newClientContext(page.context().browser()!);
  const publicRes = await anonymous.request.get(`${ACME}${photoUrl}`);
  expect(publicRes.status()).toBe(200);
  expect(publicRes.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  // stored re-encoded at upload (bounded, no metadata): a PNG photo without transparency becomes a JPEG
  expect(publicRes.headers()["content-type"]).toBe("image/jpeg");
  expect(publicRes.headers()["x-content-type-options"]).toBe("nosniff");
  // another workspace's host does not serve it
  expect((await anonymous.request.get(`${origin("globex")}${photoUrl}`)).status()).toBe(404);

  // units
  const units = page.getByTestId("units");
  const unitForm = page.getByTestId("unit-form");
  for (const [code, rent] of [
    ["A-101", "150"],
    ["A-102", "175.50"],
  ] as const) {
    await units.getByTestId("add-unit").click();
    await unitForm.getByLabel("Unit code").fill(code);
    await unitForm.getByLabel("Floor").fill("1");
    await unitForm.getByLabel("Base rent").fill(rent);
    await unitForm.getByRole("button", { name: "Create" }).click();
    await expect(toast(page, `Unit ${code} created.`)).toBeVisible();
  }
  const table = page.getByTestId("units-table");
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table).toContainText("$175.50");
  // a bad amount is shown next to the field
  await units.getByTestId("add-unit").click();
  await unitForm.getByLabel("Unit code").fill("A-103");
  await unitForm.getByLabel("Base rent").fill("12.345");
  await unitForm.getByRole("button", { name: "Create" }).click();
  await expect(unitForm.getByText("Enter an amount such as 150 or 150.50.")).toBeVisible();
  await unitForm.getByRole("button", { name: "Cancel" }).click();

  // edit: A-102 goes into maintenance
  await table.getByRole("button", { name: "Edit unit A-102" }).click();
  await unitForm.getByLabel("Status").selectOption("maintenance");
  await unitForm.getByRole("button", { name: "Save" }).click();
  await expect(toast(page, "Unit A-102 saved.")).toBeVisible();

  // /units from a dashboard-style link: filtered by the URL; changing a filter rewrites the URL
  await page.goto(`${ACME}/units?status=maintenance&propertyId=${propertyId}`);
  const all = page.getByTestId("units-table");
  await expect(all.getByRole("row")).toHaveCount(2);
  await expect(all).toContainText("A-102");
  await page.getByTestId("unit-status-filter").selectOption("vacant");
  await page.waitForURL(`${ACME}/units?status=vacant&propertyId=${propertyId}`);
  await expect(all.getByRole("row")).toHaveCount(2);
  await expect(all).toContainText("A-101");

  // archive a unit (confirmed)
  await all.getByRole("button", { name: "Archive" }).click();
  await page.locator(".swal2-confirm").click();
  await expect(toast(page, "Unit A-101 archived.")).toBeVisible();
  await expect(page.getByText("No units match these filters.")).toBeVisible();
  await page.screenshot({ path: "test-results/units.png", fullPage: true });
  // the nav link (no query) clears the filters
  await page.getByRole("link", { name: "Units", exact: true }).first().click();
  await page.waitForURL(`${ACME}/units`);
  await expect(page.getByTestId("unit-status-filter")).toHaveValue("");
  await expect(page.getByTestId("unit-property-filter")).toHaveValue("");

  // the phone: cards, no table
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${ACME}/properties`);
  const cards = page.getByTestId("properties-cards");
  await expect(cards.getByRole("link", { name })).toBeVisible();
  await expect(page.getByTestId("properties-table")).toBeHidden();
  await cards.getByRole("link", { name }).click();
  await page.waitForURL(`${ACME}/properties/${propertyId}`);
  await expect(page.getByTestId("units-cards")).toContainText("A-102");
  await expect(page.getByTestId("units-cards")).toContainText("Maintenance");
  await page.screenshot({ path: "test-results/property-mobile.png", fullPage: true });
  await anonymous.close();
});

test("private files: the session's workspace and files.private only; the workspace logo", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, "owner@acme.test");
  const upload = await page.request.post(`${ACME}/api/files`, {
    headers: { Origin: ACME },
    multipart: { purpose: "renter_id", file: { name: "id-card.pdf", mimeType: "application/pdf", buffer: SAMPLE_PDF } },
  });
  expect(upload.status()).toBe(201);
  const { id } = (await upload.json()) as { id: string };
  const own = await page.request.get(`${ACME}/files/${id}`);
  expect(own.status()).toBe(200);
  expect(own.headers()["cache-control"]).toBe("private, no-store");
  expect(own.headers()["content-disposition"]).toContain('inline; filename="id-card.pdf"');
  expect(own.headers()["content-type"]).toBe("application/pdf");
  // not public
  expect((await page.request.get(`${ACME}/files/public/${id}`)).status()).toBe(404);
  // cross-site upload refused
  const crossSite = await page.request.post(`${ACME}/api/files`, {
    headers: { Origin: "http://evil.localhost:1" },
    multipart: { purpose: "renter_id", file: { name: "x.pdf", mimeType: "application/pdf", buffer: SAMPLE_PDF } },
  });
  expect(crossSite.status()).toBe(403);

  const anonymous = await newClientContext(browser);
  expect((await anonymous.request.get(`${ACME}/files/${id}`)).status()).toBe(401);
  const viewer = await newClientContext(browser);
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, "viewer@acme.test");
  expect((await viewerPage.request.get(`${ACME}/files/${id}`)).status()).toBe(403);
  // the viewer sees properties but no "New property"
  await viewerPage.goto(`${ACME}/properties`);
  await expect(viewerPage.getByRole("heading", { name: "Properties" })).toBeVisible();
  await expect(viewerPage.getByTestId("new-property")).toHaveCount(0);
  const globex = await newClientContext(browser);
  const globexPage = await globex.newPage();
  await signedIn(globexPage, "globex", "owner@globex.test");
  await globexPage.waitForURL(`${origin("globex")}/`);
  expect((await globexPage.request.get(`${origin("globex")}/files/${id}`)).status()).toBe(404);

  // the workspace logo
  await page.goto(`${ACME}/settings`);
  const logo = page.getByTestId("workspace-logo");
  await logo
    .locator('input[type="file"]')
    .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: makePng(200, 80, [180, 40, 40]) });
  await expect(toast(page, "Logo saved.")).toBeVisible();
  await expect(logo.getByRole("img")).toBeVisible();
  await expect.poll(() => logo.getByRole("img").evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(200);
  await Promise.all([anonymous.close(), viewer.close(), globex.close()]);
});

test("an archived property comes back with the units archived with it; a unit archived on its own is restored from /units", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const name = `Restore house ${suffix()}`;
  await signIn(page, "owner@acme.test");
  // the records through the API (the forms have their own test above)
  const property = await trpc<{ id: string }>(page, "properties.create", { name, type: "boarding_house" });
  const unit = (code: string) => trpc<{ id: string }>(page, "properties.createUnit", { propertyId: property.id, code, baseRent: 9000 });
  await unit("R-1");
  await unit("R-2");
  const lone = await unit("R-3");
  await trpc(page, "properties.archiveUnit", { unitId: lone.id });

  // archive the property from its page (confirmed)
  await page.goto(`${ACME}/properties/${property.id}`);
  await page.getByTestId("archive-property").click();
  await page.locator(".swal2-confirm").click();
  await expect(toast(page, `Property “${name}” archived (2 units).`)).toBeVisible();
  await page.waitForURL(`${ACME}/properties`);
  const table = page.getByTestId("properties-table");
  await expect(table.getByRole("link", { name })).toHaveCount(0);

  // the archived filter lists it with a Restore button (no confirmation: nothing is lost)
  await page.getByLabel("Show archived").check();
  await expect(table.getByRole("link", { name })).toBeVisible();
  await table.getByRole("button", { name: `Restore ${name}` }).click();
  await expect(toast(page, `Property “${name}” restored (2 units).`)).toBeVisible();
  await expect(table.getByRole("link", { name })).toHaveCount(0);
  await expect(page.locator(".swal2-popup")).toHaveCount(0);

  // back in the active list, with its two units; R-3 (archived earlier, on its own) stays archived
  await page.getByLabel("Show archived").uncheck();
  await expect(table.getByRole("link", { name })).toBeVisible();
  await table.getByRole("link", { name }).click();
  await page.waitForURL(`${ACME}/properties/${property.id}`);
  await expect(page.getByTestId("property-archived")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeVisible();
  const units = page.getByTestId("units-table");
  await expect(units.getByRole("row")).toHaveCount(3);
  await expect(units).toContainText("R-1");
  await expect(units).toContainText("R-2");
  await expect(units).not.toContainText("R-3");

  // /units?archived=1 (the URL keeps the filter): restore R-3 on its own
  await page.goto(`${ACME}/units?propertyId=${property.id}&archived=1`);
  await expect(page.getByTestId("unit-archived-filter")).toBeChecked();
  const archivedUnits = page.getByTestId("units-table");
  await expect(archivedUnits.getByRole("row")).toHaveCount(2);
  await archivedUnits.getByRole("button", { name: "Restore unit R-3" }).click();
  await expect(toast(page, "Unit R-3 restored.")).toBeVisible();
  await expect(page.getByText("No units match these filters.")).toBeVisible();
  await page.getByTestId("unit-archived-filter").uncheck();
  await page.waitForURL(`${ACME}/units?propertyId=${property.id}`);
  await expect(archivedUnits.getByRole("row")).toHaveCount(4);
  await expect(archivedUnits).toContainText("R-3");

  // a viewer sees archived properties but no Restore
  await trpc(page, "properties.archive", { propertyId: property.id });
  const viewer = await newClientContext(page.context().browser()!);
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, "viewer@acme.test");
  await viewerPage.goto(`${ACME}/properties`);
  await viewerPage.getByLabel("Show archived").check();
  await expect(viewerPage.getByTestId("properties-table").getByRole("link", { name })).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: /Restore/ })).toHaveCount(0);
  await viewer.close();
  // leave acme as it was: the property back in the list
  await trpc(page, "properties.restore", { propertyId: property.id });
});

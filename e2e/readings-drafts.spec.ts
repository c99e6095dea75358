// Issue 17: meter readings typed while a month of the grid (re)loads must not vanish. The grid's
// month and property live in the URL; changing them used to `router.replace`, whose server render
// arrived after the new month's rows and remounted the grid, wiping what had been typed meanwhile
// ("0 changed", "Nothing to save"). Typed values now survive a month switch, the URL update, a
// reload of the page, and leaving with unsaved values asks first (SweetAlert2, not window.confirm).
// Nothing is saved: acme's readings of an old month stay as they were.
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

test("readings typed while the month (re)loads survive the URL update, month switches and a reload; leaving asks first", async ({
  page,
}) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.goto(`${origin("acme")}/readings?period=2019-01`);
  const grid = page.getByTestId("readings-grid");
  await expect(grid.getByTestId("reading-row").first()).toBeVisible();
  const unit = (await grid.getByTestId("reading-row").first().getAttribute("data-unit"))!;
  const cell = grid.getByTestId(`reading-${unit}-electricity`);

  // every server render (RSC request) of a month's navigation is held back a while, as on a slow
  // phone network: the new month's rows (a tRPC query) arrive first and the landlord starts typing.
  // (Only the grid's own month URLs: the menu's link prefetches, also RSC, come and go meanwhile.)
  let held = 0;
  const monthRender = (url: URL) => url.searchParams.has("_rsc") && url.pathname === "/readings" && url.searchParams.has("period");
  await page.route(monthRender, async (route) => {
    held += 1;
    await new Promise((r) => setTimeout(r, 2_500));
    await route.continue().catch(() => undefined);
    held -= 1;
  });

  await grid.getByRole("button", { name: "Next month" }).click();
  await expect(page.getByTestId("readings-month")).toHaveValue("2019-02");
  await expect(cell).toBeEditable();
  await cell.fill("4321");
  await expect(grid).toContainText("1 changed");
  // the URL has caught up and any server render of the navigation has arrived and been applied
  await expect(page).toHaveURL(/period=2019-02/);
  await expect.poll(() => held).toBe(0);
  await expect(page).toHaveURL(/period=2019-02/);
  await expect(cell).toHaveValue("4321");
  await expect(grid).toContainText("1 changed");

  // away to the previous month and back: each month keeps its own typed values
  await grid.getByRole("button", { name: "Previous month" }).click();
  await expect(page.getByTestId("readings-month")).toHaveValue("2019-01");
  await expect(cell).not.toHaveValue("4321");
  await expect(grid).toContainText("0 changed");
  await grid.getByRole("button", { name: "Next month" }).click();
  await expect(cell).toHaveValue("4321");
  await expect(grid).toContainText("1 changed");
  await page.unroute(monthRender);

  // a reload of the page (the browser's own "leave site?" is accepted) keeps them too
  page.on("dialog", (d) => void d.accept());
  await page.reload();
  await expect(page.getByTestId("readings-month")).toHaveValue("2019-02");
  await expect(cell).toHaveValue("4321");
  await expect(grid).toContainText("1 changed");

  // leaving through the menu asks with SweetAlert2: "Stay" keeps the page and the values
  await page.getByRole("link", { name: "Dashboard", exact: true }).first().click();
  const dialog = page.locator(".swal2-popup");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("You have unsaved readings");
  await dialog.getByRole("button", { name: "Stay" }).click();
  await expect(dialog).toBeHidden();
  expect(new URL(page.url()).pathname).toBe("/readings");
  await expect(cell).toHaveValue("4321");

  // "Leave without saving" goes, and the values are dropped
  await page.getByRole("link", { name: "Dashboard", exact: true }).first().click();
  await page.locator(".swal2-popup").getByRole("button", { name: "Leave without saving" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto(`${origin("acme")}/readings?period=2019-02`);
  await expect(grid.getByTestId("reading-row").first()).toBeVisible();
  await expect(cell).not.toHaveValue("4321");
  await expect(grid).toContainText("0 changed");
});

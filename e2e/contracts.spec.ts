import { randomBytes, randomInt } from "node:crypto";
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

// Contracts and meter readings on acme: a draft made from the form (money typed in dollars,
// stored in cents), activated (the unit becomes occupied), a second contract for the same unit
// refused, the contract ended with a partial deposit return (typed confirmation), the list
// filtered from the URL; then a building's month of readings saved from the grid on a phone
// (numeric keypad, Enter moves on), and a reading below last month's refused at its cell.
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

async function trpcQuery<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.evaluate(
    async ([p, i]) => {
      const r = await fetch(`/api/trpc/${p}?input=${encodeURIComponent(JSON.stringify({ json: i }))}`);
      return { status: r.status, body: await r.text() };
    },
    [path, input] as const,
  );
  expect(res.status, res.body).toBe(200);
  return (JSON.parse(res.body) as { result: { data: { json: T } } }).result.data.json;
}

/** A property with two units and a renter, made through the API (their own specs test those forms). */
async function building(page: Page) {
  const s = suffix();
  const property = await trpc<{ id: string; name: string }>(page, "properties.create", {
    name: `Contract House ${s}`,
    type: "apartment_building",
  });
  const u1 = await trpc<{ id: string; code: string }>(page, "properties.createUnit", {
    propertyId: property.id,
    code: "K-101",
    baseRent: 18_000,
    currency: "USD",
    floor: 1,
  });
  const u2 = await trpc<{ id: string; code: string }>(page, "properties.createUnit", {
    propertyId: property.id,
    code: "K-102",
    baseRent: 15_000,
    currency: "USD",
    floor: 1,
  });
  const renter = await trpc<{ id: string; name: string }>(page, "renters.create", {
    nameLatin: `Dara Kim ${s}`,
    nameKm: "ដារ៉ា គឹម",
    phone: `+85512${randomInt(100_000, 999_999)}`,
  });
  return { property, u1, u2, renter };
}

async function signIn(page: Page) {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${ACME}/`);
}

async function confirmSwal(page: Page, button: string, typed?: string) {
  const popup = page.locator(".swal2-popup");
  await expect(popup).toBeVisible();
  if (typed) await popup.locator("input.swal2-input").fill(typed);
  await popup.getByRole("button", { name: button }).click();
}

test("a contract from draft to ended, with one active contract per unit", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page);
  const { property, u1, renter } = await building(page);

  await page.getByRole("link", { name: "Contracts" }).first().click();
  await page.waitForURL(`${ACME}/contracts`);
  await page.getByTestId("new-contract").click();
  await page.waitForURL(`${ACME}/contracts/new`);
  const form = page.getByTestId("contract-form");
  await form.getByLabel("Property").selectOption(property.id);
  await form.getByLabel("Unit", { exact: true }).selectOption(u1.id);
  // the unit's base rent is offered as the contract rent
  await expect(form.getByLabel(/^Monthly rent/)).toHaveValue("180.00");
  await form.getByLabel("Search renters by name or phone").fill(renter.name);
  await form.getByLabel("Renter", { exact: true }).selectOption(renter.id);
  await form.getByLabel("Start date").fill("2026-01-01");
  await form.getByLabel("End date").fill("2026-12-31");
  await form.getByLabel(/^Deposit/).fill("360");
  await form.getByLabel("Billing day").fill("31");
  await form.getByTestId("contract-save").click();
  await expect(form.getByText("Enter a day between 1 and 28.")).toBeVisible();
  await form.getByLabel("Billing day").fill("5");
  await form.getByLabel(/^Electricity rate/).fill("0.25");
  await form.getByTestId("contract-save").click();
  await expect(toast(page, "Draft contract created.")).toBeVisible();
  await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
  const contractId = page.url().split("/").pop()!;
  const detail = page.getByTestId("contract-detail");
  await expect(detail).toHaveAttribute("data-status", "draft");
  await expect(detail.getByText("$180.00")).toBeVisible();
  await expect(detail.getByText("$360.00")).toBeVisible();
  await expect(detail.getByText("$0.25 per kWh")).toBeVisible();

  await page.getByTestId("contract-activate").click();
  await confirmSwal(page, "Activate");
  await expect(toast(page, "Contract activated. Unit K-101 is now occupied.")).toBeVisible();
  await expect(detail).toHaveAttribute("data-status", "active");
  const unit = await trpcQuery<{ status: string }>(page, "properties.unit", { unitId: u1.id });
  expect(unit.status).toBe("occupied");

  // a second contract for the same unit cannot be activated
  const second = await trpc<{ id: string }>(page, "contracts.create", {
    unitId: u1.id,
    renterId: renter.id,
    startDate: "2026-02-01",
    rentAmount: 18_000,
    currency: "USD",
    billingDay: 1,
  });
  await page.goto(`${ACME}/contracts/${second.id}`);
  await page.getByTestId("contract-activate").click();
  await confirmSwal(page, "Activate");
  await expect(toast(page, "Unit K-101 already has an active contract. End it first.")).toBeVisible();
  await expect(page.getByTestId("contract-detail")).toHaveAttribute("data-status", "draft");

  // end the first with part of the deposit returned
  await page.goto(`${ACME}/contracts/${contractId}`);
  await page.getByTestId("contract-end").click();
  const close = page.getByTestId("contract-close-form");
  await close.getByLabel("Move-out date").fill("2026-06-30");
  await close.getByLabel("Deposit").selectOption("partially_returned");
  await close.getByLabel("Amount given back").fill("400");
  await page.getByTestId("contract-close-submit").click();
  await expect(close.getByText("For a partial return enter an amount between 0 and the deposit.")).toBeVisible();
  await close.getByLabel("Amount given back").fill("250");
  await close.getByLabel("Reason").fill("Moved to Siem Reap");
  await page.getByTestId("contract-close-submit").click();
  await confirmSwal(page, "End contract", "END");
  await expect(toast(page, "Contract ended. Unit K-101 is vacant again.")).toBeVisible();
  await expect(page.getByTestId("contract-detail")).toHaveAttribute("data-status", "ended");
  await expect(page.getByTestId("deposit-outcome")).toHaveText("Partly returned: $250.00 given back");
  expect((await trpcQuery<{ status: string }>(page, "properties.unit", { unitId: u1.id })).status).toBe("vacant");

  // the list, filtered from the URL
  await page.goto(`${ACME}/contracts?status=ended&propertyId=${property.id}`);
  const list = page.getByTestId("contracts-table");
  await expect(page.getByTestId("contract-status-filter")).toHaveValue("ended");
  await expect(list.getByTestId("contract-link")).toHaveCount(1);
  await expect(list.getByRole("link", { name: "K-101" })).toHaveAttribute("href", `/contracts/${contractId}`);
  await page.getByTestId("contract-status-filter").selectOption("draft");
  await page.waitForURL(/status=draft/);
  await expect(list.getByTestId("contract-link")).toHaveCount(1);
  await expect(list.getByRole("link", { name: "K-101" })).toHaveAttribute("href", `/contracts/${second.id}`);
});

test("a building's month of meter readings from a phone", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  const { property } = await building(page);

  await page.goto(`${ACME}/readings?propertyId=${property.id}&period=2026-01`);
  const grid = page.getByTestId("readings-grid");
  await expect(grid.getByTestId("reading-row")).toHaveCount(2);
  const k101e = grid.getByTestId("reading-K-101-electricity");
  await expect(k101e).toHaveAttribute("inputmode", "numeric");
  await k101e.fill("1200");
  await k101e.press("Enter");
  // Enter moves to the next cell (K-101 water), and so on
  await expect(grid.getByTestId("reading-K-101-water")).toBeFocused();
  await page.keyboard.type("40");
  await page.keyboard.press("Enter");
  await expect(grid.getByTestId("reading-K-102-electricity")).toBeFocused();
  await page.keyboard.type("800");
  await page.keyboard.press("Enter");
  await page.keyboard.type("25");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("readings-save")).toBeFocused();
  await page.getByTestId("readings-save").click();
  await expect(toast(page, "4 readings saved.")).toBeVisible();

  // next month: last month's readings are shown, a lower one is refused at its cell and nothing is saved
  await page.goto(`${ACME}/readings?propertyId=${property.id}&period=2026-02`);
  await expect(grid.getByText("Previous: 1,200 (January 2026)")).toBeVisible();
  await grid.getByTestId("reading-K-101-electricity").fill("1350");
  await expect(grid.getByText("Used: 150")).toBeVisible();
  await grid.getByTestId("reading-K-102-electricity").fill("799");
  await page.getByTestId("readings-save").click();
  await expect(toast(page, "1 reading needs a look. Nothing was saved.")).toBeVisible();
  await expect(grid.getByTestId("reading-error")).toHaveText(
    "Lower than the previous reading (800 in January 2026): usage would be negative.",
  );
  const stored = await trpcQuery<{ rows: Array<{ code: string; meters: { electricity: { reading: number | null } } }> }>(
    page,
    "readings.grid",
    {
      propertyId: property.id,
      period: "2026-02",
    },
  );
  expect(stored.rows.map((r) => r.meters.electricity.reading)).toEqual([null, null]);
  await grid.getByTestId("reading-K-102-electricity").fill("870");
  await page.getByTestId("readings-save").click();
  await expect(toast(page, "2 readings saved.")).toBeVisible();
  // no sideways scrolling on the phone
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

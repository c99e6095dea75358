// Rental operations end to end (slice D): acme's seeded building on the dashboard, and the whole
// month on a fresh workspace per viewport (desktop: rentdesk, 390×844: rentphone, both Pro with a
// Bakong account, from scripts/e2e-server.ts): property → units → renter → contract (activate) →
// readings → invoice run for the property (progress bar) → one invoice paid in cash, one by KHQR
// on the renter's pay page → the dashboard's figures move.
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

// the three tests share nothing (acme, rentdesk, rentphone): they may run in parallel workers
test.describe.configure({ mode: "parallel" });

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe("acme's dashboard (seeded Sokha Apartments)", () => {
  test("shows occupancy, money per currency, contracts ending soon and the chart, each linking to its list", async ({
    page,
    exclusive,
  }) => {
    // its screenshot is for the docs: not while flags.spec pilots a card on acme's dashboard
    await exclusive("acme-dashboard");
    await signedIn(page, "acme", "owner@acme.test");
    await page.waitForURL(`${origin("acme")}/`);
    const figures = page.getByTestId("dashboard-figures");
    await expect(figures).toBeVisible();
    // other specs may add units to acme; the seeded building alone is 17 of 20
    await expect(page.getByTestId("dash-occupancy-summary")).toContainText(/\d+ of \d+ units occupied/);
    await expect(page.getByTestId("dash-units-vacant")).toHaveAttribute("href", "/units?status=vacant");
    await expect(page.getByTestId("dash-rent-due-USD")).toHaveAttribute("href", /^\/invoices\?period=\d{4}-\d{2}&currency=USD$/);
    await expect(page.getByTestId("dash-rent-due-KHR")).toContainText("៛");
    await expect(page.getByTestId("dash-overdue-USD")).toHaveAttribute("href", "/invoices?status=overdue&currency=USD");
    await expect(page.getByTestId("dash-ending-all")).toHaveAttribute("href", "/contracts?status=active&endingWithinDays=60");
    await expect(page.getByTestId("dash-ending-count")).toContainText(/\d+ contracts/);
    const chart = page.getByTestId("dash-chart-USD");
    await expect(chart.getByRole("group", { name: "Billed vs collected · USD" })).toBeVisible();
    // 12 months, each two links: billed to its invoices, collected to its payments
    await expect(chart.locator("a[data-kind='billed']")).toHaveCount(12);
    await expect(chart.locator("a[data-kind='collected']")).toHaveCount(12);
    await expect(chart.locator("a[data-kind='billed']").last()).toHaveAttribute("aria-label", /billed \$[\d,.]+, collected \$[\d,.]+/);
    await expect(chart.locator("a[data-kind='billed']").last()).toHaveAttribute("href", /^\/invoices\?period=\d{4}-\d{2}&currency=USD$/);
    await expect(chart.locator("a[data-kind='collected']").last()).toHaveAttribute("href", /^\/payments\?period=\d{4}-\d{2}&currency=USD$/);
    await page.screenshot({ path: "docs/screenshots/rentals-dashboard.png", fullPage: true });

    // Khmer labels
    await page.context().addCookies([{ name: "phteah-locale", value: "km", domain: "acme.localhost", path: "/" }]);
    await page.reload();
    await expect(page.getByTestId("dash-occupancy").getByRole("heading")).toHaveText("អត្រាជួល");
  });
});

// ───────────── the month of a fresh workspace ─────────────

type Viewport = "desktop" | "phone";

/** Today in Phnom Penh (UTC+7, no DST), as the workspace counts days. */
function phnomPenhToday(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

async function toastSays(page: Page, text: string | RegExp) {
  await expect(page.locator(".notyf__toast--success").filter({ hasText: text }).first()).toBeVisible();
}

async function gotoNav(page: Page, viewport: Viewport, name: string, path: string) {
  // navigate like a person would on each viewport: the side nav, or the drawer behind "Menu" on a phone
  if (viewport === "phone") await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name, exact: true }).first().click();
  await page.waitForURL((u) => u.pathname === path);
}

interface Flow {
  slug: string;
  viewport: Viewport;
  /** how the renter's KHQR payment is confirmed */
  khqr: "signed-callback" | "simulator";
}

const UNITS = [
  { code: "A-101", rent: "150", minor: 15000 },
  { code: "A-102", rent: "180", minor: 18000 },
] as const;
const RENTERS = [
  { km: "សុខ ដារ៉ា", latin: "Sok Dara", phone: "012 345 678" },
  { km: "ចាន់ សុភា", latin: "Chan Sophea", phone: "017 234 567" },
] as const;
// electricity $0.25/kWh, water $0.50/m³; readings last month → this month: 100 kWh and 5 m³ each
const ELECTRICITY = { rate: 25, from: 1200, to: 1300 };
const WATER = { rate: 50, from: 40, to: 45 };
const INVOICE_TOTALS = UNITS.map(
  (u) => u.minor + (ELECTRICITY.to - ELECTRICITY.from) * ELECTRICITY.rate + (WATER.to - WATER.from) * WATER.rate,
);
const usd = (minor: number) => `$${(minor / 100).toFixed(2)}`;

async function monthOfRent(page: Page, browser: import("@playwright/test").Browser, flow: Flow) {
  const { slug, viewport } = flow;
  const today = phnomPenhToday();
  const period = today.slice(0, 7);
  const [y, m] = period.split("-").map(Number) as [number, number];
  const lastPeriod = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;

  await test.step("dashboard starts empty", async () => {
    await signedIn(page, slug, `owner@${slug}.test`);
    await page.waitForURL(`${origin(slug)}/`);
    await expect(page.getByTestId("dash-occupancy")).toContainText("No units yet.");
    await expect(page.getByTestId("dash-rent-due")).toContainText("Nothing billed");
    await expect(page.getByTestId("dash-collected")).toContainText("Nothing collected yet this month.");
  });

  let propertyId = "";
  await test.step("create a property", async () => {
    await gotoNav(page, viewport, "Properties", "/properties");
    await page.getByTestId("new-property").click();
    const form = page.getByTestId("property-form");
    await form.getByLabel("Name").fill(`Riverside ${slug}`);
    await form.getByLabel("Type").selectOption("apartment_building");
    await form.getByLabel("Address").fill("St. 19, Chey Chumneas, Daun Penh, Phnom Penh");
    await form.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(/\/properties\/[0-9a-f-]{36}$/);
    propertyId = page.url().split("/").pop()!;
    await expect(page.getByTestId("property-name")).toHaveText(`Riverside ${slug}`);
  });

  await test.step("add two units", async () => {
    for (const u of UNITS) {
      await page.getByTestId("add-unit").click();
      const form = page.getByTestId("unit-form");
      await form.getByLabel("Unit code").fill(u.code);
      await form.getByLabel("Base rent").fill(u.rent);
      await form.getByLabel("Currency").selectOption("USD");
      await form.getByRole("button", { name: "Create" }).click();
      await toastSays(page, `Unit ${u.code} created.`);
    }
    await expect(page.getByTestId("units")).toContainText("A-102");
  });

  const renterIds: string[] = [];
  await test.step("add two renters (Khmer and Latin names, local phone numbers)", async () => {
    for (const r of RENTERS) {
      await gotoNav(page, viewport, "Renters", "/renters");
      await page.getByTestId("new-renter").click();
      const form = page.getByTestId("renter-form");
      await form.getByLabel("Name in Khmer").fill(r.km);
      await form.getByLabel("Name in Latin script").fill(r.latin);
      await form.getByLabel("Phone", { exact: true }).fill(r.phone);
      await form.getByRole("button", { name: "Create renter" }).click();
      await page.waitForURL(/\/renters\/[0-9a-f-]{36}$/);
      renterIds.push(page.url().split("/").pop()!);
      await expect(page.locator("main")).toContainText(r.latin);
      // stored as +855…, shown in the national format
      await expect(page.locator("main")).toContainText(r.phone);
    }
  });

  await test.step("contracts: create one per unit and activate it", async () => {
    for (const [i, u] of UNITS.entries()) {
      await gotoNav(page, viewport, "Contracts", "/contracts");
      await page.goto(`${origin(slug)}/contracts/new`);
      const form = page.getByTestId("contract-form");
      await form.locator("#contract-property").selectOption(propertyId);
      const unitOption = form.locator("#contract-unit option").filter({ hasText: u.code });
      await expect(unitOption).toHaveCount(1);
      await form.locator("#contract-unit").selectOption((await unitOption.getAttribute("value"))!);
      const renterOption = form.locator("#contract-renter option").filter({ hasText: RENTERS[i]!.latin });
      await expect(renterOption).toHaveCount(1);
      await form.locator("#contract-renter").selectOption((await renterOption.getAttribute("value"))!);
      await form.locator("#contract-start").fill(`${lastPeriod}-01`);
      await form.locator("#contract-currency").selectOption("USD");
      await form.locator("#contract-rent").fill(u.rent);
      await form.locator("#contract-deposit").fill(u.rent);
      await form.locator("#contract-billing-day").fill("1");
      await form.locator("#contract-electricity").fill((ELECTRICITY.rate / 100).toFixed(2));
      await form.locator("#contract-water").fill((WATER.rate / 100).toFixed(2));
      await page.getByTestId("contract-save").click();
      await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
      const detail = page.getByTestId("contract-detail");
      await expect(detail).toHaveAttribute("data-status", "draft");
      await page.getByTestId("contract-activate").click();
      await page.locator(".swal2-confirm").click();
      await toastSays(page, `Contract activated. Unit ${u.code} is now occupied.`);
      await expect(detail).toHaveAttribute("data-status", "active");
    }
    await gotoNav(page, viewport, "Units", "/units");
    await page.goto(`${origin(slug)}/units?status=occupied`);
    await expect(page.getByTestId("units")).toContainText("A-101");
    await expect(page.getByTestId("units")).toContainText("A-102");
  });

  await test.step("meter readings for the building: last month, then this month", async () => {
    await gotoNav(page, viewport, "Meter readings", "/readings");
    for (const [p, which] of [
      [lastPeriod, "from"],
      [period, "to"],
    ] as const) {
      await page.goto(`${origin(slug)}/readings?propertyId=${propertyId}&period=${p}`);
      const grid = page.getByTestId("readings-grid");
      await expect(grid.getByTestId("reading-row")).toHaveCount(UNITS.length);
      for (const u of UNITS) {
        await grid.getByTestId(`reading-${u.code}-electricity`).fill(String(ELECTRICITY[which]));
        await grid.getByTestId(`reading-${u.code}-water`).fill(String(WATER[which]));
      }
      await grid.getByTestId("readings-save").click();
      await toastSays(page, `${UNITS.length * 2} readings saved.`);
    }
    // this month's grid shows the use since last month
    await expect(page.getByTestId("readings-grid")).toContainText("100");
  });

  await test.step("run this month's invoices for the property, with a progress bar", async () => {
    await gotoNav(page, viewport, "Invoices", "/invoices");
    await page.goto(`${origin(slug)}/invoices/run`);
    await page.getByTestId("run-property").selectOption(propertyId);
    await page.getByTestId("run-start").click();
    const progress = page.getByTestId("run-progress");
    await expect(progress.getByRole("progressbar")).toBeVisible();
    await expect(progress).toHaveAttribute("data-status", "done", { timeout: 20_000 });
    await expect(page.getByTestId("run-summary")).toContainText("2 issued · 0 skipped · 0 failed");
  });

  await test.step("the dashboard shows what is due", async () => {
    await page.goto(`${origin(slug)}/`);
    await expect(page.getByTestId("dash-occupancy-rate")).toHaveText("100%");
    await expect(page.getByTestId("dash-occupancy-summary")).toHaveText("2 of 2 units occupied");
    await expect(page.getByTestId("dash-rent-due-USD")).toHaveText(usd(INVOICE_TOTALS[0]! + INVOICE_TOTALS[1]!));
    await expect(page.getByTestId("dash-outstanding-USD")).toHaveText(`${usd(INVOICE_TOTALS[0]! + INVOICE_TOTALS[1]!)} still to collect`);
    await expect(page.getByTestId("dash-collected")).toContainText("Nothing collected yet this month.");
  });

  const openInvoiceOf = async (unitCode: string) => {
    await page.goto(`${origin(slug)}/invoices?period=${period}&currency=USD`);
    const list = page.getByTestId("invoices");
    await expect(list.getByTestId("invoice-link").filter({ visible: true })).toHaveCount(2);
    // a table row on a desktop, a card on a phone (DataTable renders both, one hidden)
    const row = list
      .locator(viewport === "phone" ? "[data-testid$='-cards'] > li" : "tbody tr")
      .filter({ hasText: unitCode })
      .filter({ visible: true });
    await row.getByTestId("invoice-link").click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
  };

  await test.step("record a cash payment on the first invoice", async () => {
    await openInvoiceOf(UNITS[0].code);
    await page.getByTestId("record-payment").click();
    const dialog = page.getByTestId("record-payment-dialog");
    await dialog.getByTestId("record-payment-method-cash").check({ force: true });
    await dialog.getByTestId("record-payment-amount").fill((INVOICE_TOTALS[0]! / 100).toFixed(2));
    await dialog.getByTestId("record-payment-submit").click();
    const confirm = page.locator(".swal2-confirm");
    if (await confirm.isVisible({ timeout: 1500 }).catch(() => false)) await confirm.click();
    await expect(page.locator(".notyf__toast--success").first()).toBeVisible();
    await expect(page.getByTestId("invoice-number").locator("[data-status]")).toHaveAttribute("data-status", "paid");
  });

  await test.step(`the renter pays the second invoice by KHQR on the pay page (${flow.khqr})`, async () => {
    await openInvoiceOf(UNITS[1].code);
    const payUrl = await page.getByTestId("pay-link-url").inputValue();
    expect(payUrl).toMatch(new RegExp(`^${origin(slug).replace(/[.]/g, "\\.")}/pay/[A-Za-z0-9_-]{43}$`));
    // the renter: no session, a phone
    const renter = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "en-US" });
    const pay = await renter.newPage();
    await pay.goto(payUrl);
    // the server starts the KHQR attempt while rendering the page: the QR (and its string) is in the HTML
    await expect(pay.getByTestId("pay-khqr-image")).toBeVisible();
    const qr = await pay.getByTestId("pay-khqr-image").getAttribute("data-qr");
    await expect(pay.getByTestId("pay-khqr-amount")).toContainText(usd(INVOICE_TOTALS[1]!));
    await expect(pay.getByTestId("pay-khqr-countdown")).toBeVisible();
    await noHorizontalScroll(pay);
    if (viewport === "phone") await pay.screenshot({ path: "docs/screenshots/rentals-pay-page-phone.png", fullPage: true });
    if (flow.khqr === "simulator") {
      await pay.getByTestId("pay-simulate").click();
    } else {
      expect(qr, "the page carries the KHQR string").toBeTruthy();
      const { createHash, randomBytes } = await import("node:crypto");
      const md5 = createHash("md5").update(qr!).digest("hex");
      const rawBody = JSON.stringify({
        eventId: `evt-rent-${randomBytes(6).toString("hex")}`,
        md5,
        transaction: {
          hash: randomBytes(32).toString("hex"),
          fromAccountId: "chan.sophea@wing",
          toAccountId: `${slug}@aclb`,
          currency: "USD",
          amount: INVOICE_TOTALS[1]! / 100,
        },
      });
      const { BAKONG_HEADERS, signBakongCallback } = await import("../server/payments/bakong-signature");
      const { E2E_BAKONG_CALLBACK_SECRET } = await import("./fixtures/constants");
      const ts = Math.floor(Date.now() / 1000);
      const res = await page.request.post(`${origin()}/api/webhooks/bakong`, {
        data: rawBody,
        headers: {
          "Content-Type": "application/json",
          [BAKONG_HEADERS.timestamp]: String(ts),
          [BAKONG_HEADERS.signature]: signBakongCallback(E2E_BAKONG_CALLBACK_SECRET, rawBody, ts),
        },
      });
      expect(res.status(), await res.text()).toBe(200);
    }
    // the page flips to paid by itself
    await expect(pay.getByTestId("pay-paid")).toBeVisible({ timeout: 15_000 });
    await renter.close();
    await page.reload();
    await expect(page.getByTestId("invoice-number").locator("[data-status]")).toHaveAttribute("data-status", "paid");
  });

  await test.step("the dashboard's figures moved", async () => {
    await page.goto(`${origin(slug)}/`);
    const billed = INVOICE_TOTALS[0]! + INVOICE_TOTALS[1]!;
    await expect(page.getByTestId("dash-rent-due-USD")).toHaveText(usd(billed));
    await expect(page.getByTestId("dash-outstanding-USD")).toHaveText(`${usd(0)} still to collect`);
    await expect(page.getByTestId("dash-collected-USD")).toHaveText(usd(billed));
    await expect(page.getByTestId("dash-collected")).toContainText("2 payments");
    await expect(page.getByTestId("dash-overdue")).toContainText("No overdue invoices.");
    const chart = page.getByTestId("dash-chart-USD");
    await expect(chart.locator("a[data-kind='billed']").last()).toHaveAttribute(
      "aria-label",
      new RegExp(`billed \\${usd(billed)}, collected \\${usd(billed)}`),
    );
    await expect(chart.locator("a[data-kind='collected']").last()).toHaveAttribute("href", `/payments?period=${period}&currency=USD`);
    // each figure opens its filtered list: collected → the payments of this month, whose total is the figure
    const collected = await page.getByTestId("dash-collected-USD").textContent();
    await page.getByTestId("dash-collected-USD").click();
    await page.waitForURL(`${origin(slug)}/payments?period=${period}&currency=USD`);
    const list = page.getByTestId("payments");
    await expect(page.getByTestId("payments-total-USD")).toHaveText(collected!);
    await expect(page.getByTestId("payments-count-USD")).toHaveText("2 payments");
    await expect(page.getByTestId("payment-period-filter")).toHaveValue(period);
    // a table row on a desktop, a card on a phone (DataTable renders both, one hidden)
    const rows = list.locator(viewport === "phone" ? "[data-testid='payments-cards'] > li" : "[data-testid='payments-table'] tbody tr");
    await expect(rows.filter({ visible: true })).toHaveCount(2);
    await expect(list.getByTestId(viewport === "phone" ? "payments-table" : "payments-cards")).toBeHidden();
    const cash = rows.filter({ hasText: UNITS[0].code }).filter({ visible: true });
    await expect(cash).toContainText("Cash");
    await expect(cash).toContainText(RENTERS[0].latin);
    await expect(cash.getByTestId("payment-amount")).toHaveText(usd(INVOICE_TOTALS[0]!));
    await expect(cash.locator("[data-status]")).toHaveAttribute("data-status", "paid");
    await expect(cash.getByTestId("payment-receipt")).toHaveAttribute("href", /^\/invoices\/[0-9a-f-]{36}\/pdf\?kind=receipt$/);
    const khqr = rows.filter({ hasText: UNITS[1].code }).filter({ visible: true });
    await expect(khqr).toContainText("KHQR");
    await expect(khqr.getByTestId("payment-amount")).toHaveText(usd(INVOICE_TOTALS[1]!));
    // filters narrow the list and its total together, and stay in the URL
    await page.getByTestId("payment-method-filter").selectOption("cash");
    await page.waitForURL(`${origin(slug)}/payments?method=cash&currency=USD&period=${period}`);
    await expect(page.getByTestId("payments-total-USD")).toHaveText(usd(INVOICE_TOTALS[0]!));
    await expect(rows.filter({ visible: true })).toHaveCount(1);
    await noHorizontalScroll(page);
    await page.screenshot({ path: `test-results/payments-${viewport}.png`, fullPage: true });
    // the invoice of a payment is one tap away
    await cash.getByTestId("payment-invoice-link").click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("invoice-number").locator("[data-status]")).toHaveAttribute("data-status", "paid");
    // the navigation has the list too
    await gotoNav(page, viewport, "Payments", "/payments");
    await expect(page.getByTestId("payments-count-USD")).toHaveText("2 payments");
    await page.goto(`${origin(slug)}/`);
    await page.getByTestId("dash-units-occupied").click();
    await page.waitForURL(`${origin(slug)}/units?status=occupied`);
    await expect(page.getByTestId("units")).toContainText("A-101");
    await page.goto(`${origin(slug)}/`);
    await expect(page.getByTestId("dash-chart-USD")).toBeVisible();
    // the chart is drawn by the server: this month's bars stand, and the month labels a screen shows
    // (all 12 from a tablet up, every other one on a phone, the latest always) do not overlap
    for (const kind of ["billed", "collected"]) {
      const bar = await page.getByTestId("dash-chart-USD").locator(`a[data-kind='${kind}']`).last().locator("span").boundingBox();
      expect(bar!.height, kind).toBeGreaterThan(20);
    }
    const labels = await page
      .getByTestId("dash-chart-USD")
      .getByTestId("dash-chart-month")
      .evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          // a label a screen leaves out keeps its place, invisible
          const range = document.createRange();
          range.selectNodeContents(e);
          const text = range.getBoundingClientRect();
          return { left: text.left, right: text.right, shown: getComputedStyle(e).visibility === "visible" && r.width > 0 };
        }),
      );
    expect(labels).toHaveLength(12);
    expect(labels.at(-1)!.shown).toBe(true);
    const shown = labels.filter((l) => l.shown);
    expect(shown).toHaveLength(viewport === "phone" ? 6 : 12);
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.left, `label ${i}`).toBeGreaterThan(shown[i - 1]!.right);
    await noHorizontalScroll(page);
    await page.screenshot({ path: `test-results/rentals-dashboard-${viewport}.png`, fullPage: true });
  });
}

test.describe("a month of rent on a fresh workspace", () => {
  test("desktop: property to paid invoices, the KHQR confirmed by a signed Bakong callback", async ({ page, browser }) => {
    test.setTimeout(180_000);
    await monthOfRent(page, browser, { slug: "rentdesk", viewport: "desktop", khqr: "signed-callback" });
  });
});

test.describe("a month of rent at 390×844", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  test("phone: property to paid invoices, the KHQR paid with the simulator", async ({ page, browser }) => {
    test.setTimeout(180_000);
    await monthOfRent(page, browser, { slug: "rentphone", viewport: "phone", khqr: "simulator" });
  });
});

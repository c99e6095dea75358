// Khmer done right (issue 17), on a 390×844 phone (the "mobile" project): a landlord signs up and
// runs a first month entirely in Khmer (property → units → renter → contract → meter numbers →
// invoice run → pay link), then the renter pays on the pay page, also in Khmer. On every screen the
// visible text (document.body.innerText) must hold no Latin-script word except what the test itself
// typed (names, codes, the address), e-mail addresses, URLs and brand names, and no Khmer digit
// (Latin digits are the default: one digit system per screen). Labels come from the km catalog, so
// the spec follows the wording. Screenshots of the key screens go to docs/screenshots/khmer-phone-*.
import { expect, test, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { km } from "../lib/i18n/messages/km";

/** Brand and code words a Khmer screen may show (docs/I18N.md, "Latin words allowed on a Khmer screen"). */
const BRANDS = ["KHQR", "Bakong", "QR", "USD", "KHR", "English", "Phteah", "Telegram", "BotFather"];
/** File formats and file names an upload or export names (codes, as on every phone). */
const FORMATS = ["PDF", "PNG", "JPEG", "WebP", "CSV", "MB", "zip", "README"];

/** Today in Phnom Penh (UTC+7, no DST), as the workspace counts days. */
function phnomPenhToday(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Fails when the page's visible text has a Latin-script word that is not allowed, or a Khmer
 * digit (០-៩: the default digits are Latin). Allowed: e-mail addresses, URLs, Telegram handles
 * (@bot_username: a name, as an e-mail address is), the words of `typed` (what the test entered) and
 * the brand names above.
 */
async function expectOnlyKhmer(page: Page, typed: readonly string[], where: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  const text = await page.evaluate(() => document.body.innerText);
  const allowed = new Set(
    [...BRANDS, ...FORMATS, ...typed.flatMap((s) => s.split(/[^A-Za-z0-9@._+-]+/)), ...typed.flatMap((s) => s.split(/[^A-Za-z0-9]+/))]
      .filter(Boolean)
      .map((w) => w.toLowerCase()),
  );
  const cleaned = text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)*/g, " ") // e-mail addresses, Bakong accounts
    .replace(/(^|[^\w@])@[A-Za-z]\w{3,31}\b/g, "$1 ") // Telegram handles (@phteah_bot)
    .replace(/\bhttps?:\/\/\S+/g, " ") // URLs
    .replace(/\b[\w-]+\.localhost(:\d+)?\S*/g, " "); // workspace addresses
  const offending: string[] = [];
  for (const m of cleaned.matchAll(/[A-Za-z][A-Za-z0-9'’_-]*/g)) {
    const word = m[0];
    if (allowed.has(word.toLowerCase())) continue;
    // a code with digits (an invoice number R-2026-000001), not a word
    if (/\d/.test(word)) continue;
    // a code built from typed parts ("A-101") or a typed word with a trailing mark
    if (word.split(/[-_]/).every((p) => p === "" || allowed.has(p.toLowerCase()) || /^\d+$/.test(p))) continue;
    const at = m.index ?? 0;
    offending.push(`${word}  «${cleaned.slice(Math.max(0, at - 30), at + word.length + 30).replace(/\s+/g, " ")}»`);
  }
  expect.soft(offending, `Latin-script words on the Khmer screen "${where}"`).toEqual([]);
  const khmerDigits = [...text.matchAll(/[០-៩]+/g)].map((m) => m[0]);
  expect.soft(khmerDigits, `Khmer digits on "${where}" (Latin digits are the default)`).toEqual([]);
}

async function toastSays(page: Page) {
  await expect(page.locator(".notyf__toast--success").first()).toBeVisible();
}

async function openMenuLink(page: Page, name: string, path: string) {
  await page.getByRole("button", { name: km.nav.menu }).click();
  await page.getByRole("link", { name, exact: true }).first().click();
  await page.waitForURL((u) => u.pathname === path);
}

test.describe("the first month in Khmer at 390×844", () => {
  test.use({ locale: "km-KH", timezoneId: "Asia/Phnom_Penh" });

  test("sign-up to a paid invoice shows no English", async ({ page, browser }) => {
    test.setTimeout(240_000);
    const slug = `khm-${Date.now().toString(36)}`;
    const owner = { name: "Sokha Chan", email: `sokha+${slug}@example.test`, business: "Sokha Homes" };
    const property = { name: `Riverside ${slug}`, address: "St. 19, Daun Penh, Phnom Penh" };
    const units = [
      { code: "A-101", rent: "150" },
      { code: "A-102", rent: "180" },
    ];
    const renter = { km: "សុខ ដារ៉ា", latin: "Sok Dara", phone: "012 345 678" };
    const typed = [
      slug,
      owner.name,
      owner.email,
      owner.business,
      property.name,
      property.address,
      renter.latin,
      ...units.map((u) => u.code),
    ];
    const today = phnomPenhToday();
    const period = today.slice(0, 7);
    const [y, m] = period.split("-").map(Number) as [number, number];
    const lastPeriod = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
    for (const domain of ["localhost", `${slug}.localhost`]) {
      await page.context().addCookies([{ name: "phteah-locale", value: "km", domain, path: "/" }]);
    }

    await test.step("sign up", async () => {
      await page.goto(`${origin()}/signup`);
      await expect(page.locator("html")).toHaveAttribute("lang", "km");
      await expectOnlyKhmer(page, typed, "sign-up");
      await page.locator("#name").fill(owner.name);
      await page.locator("#email").fill(owner.email);
      await page.locator("#password").fill("a-long-enough-password");
      await page.locator("#workspaceName").fill(owner.business);
      await page.locator("#slug").fill(slug);
      await page.locator("#acceptTerms").check();
      await page.locator("form button[type=submit]").click();
      await page.waitForURL(`${origin(slug)}/`);
      await expect(page.getByTestId("dashboard-heading")).toBeVisible();
      await expectOnlyKhmer(page, typed, "first dashboard");
      await page.screenshot({ path: "docs/screenshots/khmer-phone-dashboard-first.png", fullPage: true });
    });

    await test.step("the Bakong account for KHQR", async () => {
      await page.goto(`${origin(slug)}/settings`);
      const form = page.getByTestId("workspace-settings-form");
      await form.locator("#settings-bakong").fill(`${slug}@aclb`);
      await form.locator("button[type=submit]").first().click();
      await toastSays(page);
      await expectOnlyKhmer(page, [...typed, `${slug}@aclb`], "settings");
    });

    let propertyId = "";
    await test.step("a property and two units", async () => {
      await openMenuLink(page, km.properties.nav, "/properties");
      await expectOnlyKhmer(page, typed, "properties (empty)");
      await page.getByTestId("new-property").click();
      const form = page.getByTestId("property-form");
      await form.locator("[id$='-name']").fill(property.name);
      await form.locator("[id$='-type']").selectOption("apartment_building");
      await form.locator("[id$='-address']").fill(property.address);
      await expectOnlyKhmer(page, typed, "new property form");
      await form.locator("button[type=submit]").click();
      await page.waitForURL(/\/properties\/[0-9a-f-]{36}$/);
      propertyId = page.url().split("/").pop()!;
      for (const u of units) {
        await page.getByTestId("add-unit").click();
        const unit = page.getByTestId("unit-form");
        await unit.locator("[id$='-code']").fill(u.code);
        await unit.locator("[id$='-rent']").fill(u.rent);
        await unit.locator("[id$='-currency']").selectOption("USD");
        await unit.locator("button[type=submit]").click();
        await toastSays(page);
      }
      await expect(page.getByTestId("units")).toContainText("A-102");
      await expectOnlyKhmer(page, typed, "property with units");
    });

    await test.step("a renter", async () => {
      await openMenuLink(page, km.renters.nav, "/renters");
      await page.getByTestId("new-renter").click();
      const form = page.getByTestId("renter-form");
      await form.locator("[id$='-nameKm']").fill(renter.km);
      await form.locator("[id$='-nameLatin']").fill(renter.latin);
      await form.locator("[id$='-phone']").fill(renter.phone);
      await expectOnlyKhmer(page, typed, "new renter form");
      await form.locator("button[type=submit]").click();
      await page.waitForURL(/\/renters\/[0-9a-f-]{36}$/);
      await expect(page.locator("main")).toContainText(renter.km);
      await expectOnlyKhmer(page, typed, "renter");
    });

    await test.step("a contract, activated", async () => {
      await openMenuLink(page, km.contracts.nav, "/contracts");
      await page.goto(`${origin(slug)}/contracts/new`);
      const form = page.getByTestId("contract-form");
      await form.locator("#contract-property").selectOption(propertyId);
      const unitOption = form.locator("#contract-unit option").filter({ hasText: units[1]!.code });
      await expect(unitOption).toHaveCount(1);
      await form.locator("#contract-unit").selectOption((await unitOption.getAttribute("value"))!);
      const renterOption = form.locator("#contract-renter option").filter({ hasText: renter.km });
      await expect(renterOption).toHaveCount(1);
      await form.locator("#contract-renter").selectOption((await renterOption.getAttribute("value"))!);
      await form.locator("#contract-start").fill(`${lastPeriod}-01`);
      await form.locator("#contract-currency").selectOption("USD");
      await form.locator("#contract-rent").fill(units[1]!.rent);
      await form.locator("#contract-deposit").fill(units[1]!.rent);
      await form.locator("#contract-billing-day").fill("1");
      await form.locator("#contract-electricity").fill("0.25");
      await form.locator("#contract-water").fill("0.50");
      await expectOnlyKhmer(page, typed, "new contract form");
      await page.getByTestId("contract-save").click();
      await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
      await page.getByTestId("contract-activate").click();
      await expectOnlyKhmer(page, typed, "activate confirmation");
      await page.locator(".swal2-confirm").click();
      await toastSays(page);
      await expect(page.getByTestId("contract-detail")).toHaveAttribute("data-status", "active");
      await expectOnlyKhmer(page, typed, "active contract");
    });

    await test.step("meter numbers: last month, then this month", async () => {
      await openMenuLink(page, km.readings.nav, "/readings");
      for (const [p, electricity, water] of [
        [lastPeriod, "1200", "40"],
        [period, "1300", "45"],
      ] as const) {
        await page.goto(`${origin(slug)}/readings?propertyId=${propertyId}&period=${p}`);
        const grid = page.getByTestId("readings-grid");
        await expect(grid.getByTestId("reading-row")).toHaveCount(units.length);
        await grid.getByTestId(`reading-${units[1]!.code}-electricity`).fill(electricity);
        await grid.getByTestId(`reading-${units[1]!.code}-water`).fill(water);
        await grid.getByTestId("readings-save").click();
        await toastSays(page);
      }
      await expect(page.getByTestId("readings-grid")).toContainText("100");
      await expectOnlyKhmer(page, typed, "meter numbers");
      await page.screenshot({ path: "docs/screenshots/khmer-phone-readings.png", fullPage: true });
    });

    let payUrl = "";
    await test.step("this month's invoice run, the invoice and its pay link", async () => {
      await openMenuLink(page, km.invoices.nav, "/invoices");
      await page.goto(`${origin(slug)}/invoices/run`);
      await expectOnlyKhmer(page, typed, "invoice run");
      await page.getByTestId("run-property").selectOption(propertyId);
      await page.getByTestId("run-start").click();
      await expect(page.getByTestId("run-progress")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
      await expectOnlyKhmer(page, typed, "invoice run finished");
      await page.goto(`${origin(slug)}/invoices?period=${period}`);
      const link = page.getByTestId("invoices").getByTestId("invoice-link").filter({ visible: true });
      await expect(link).toHaveCount(1);
      await expectOnlyKhmer(page, typed, "invoices list");
      await link.click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
      payUrl = await page.getByTestId("pay-link-url").inputValue();
      // the rent line in Khmer, with this month's Khmer name
      await expectOnlyKhmer(page, [...typed, payUrl], "invoice");
      await page.screenshot({ path: "docs/screenshots/khmer-phone-invoice.png", fullPage: true });
      await page.goto(`${origin(slug)}/`);
      await expectOnlyKhmer(page, typed, "dashboard after the run");
      await page.screenshot({ path: "docs/screenshots/khmer-phone-dashboard.png", fullPage: true });
    });

    await test.step("the renter pays on the pay page, in Khmer", async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "km-KH" });
      const pay = await context.newPage();
      await pay.goto(payUrl);
      await expect(pay.locator("html")).toHaveAttribute("lang", "km");
      await expect(pay.getByTestId("pay-khqr-image")).toBeVisible();
      await expect(pay.getByTestId("pay-khqr-countdown")).toBeVisible();
      await expectOnlyKhmer(pay, [...typed, owner.business], "pay page");
      await pay.screenshot({ path: "docs/screenshots/khmer-phone-pay-page.png", fullPage: true });
      await pay.getByTestId("pay-simulate").click();
      await expect(pay.getByTestId("pay-paid")).toBeVisible({ timeout: 15_000 });
      await expectOnlyKhmer(pay, [...typed, owner.business], "pay page, paid");
      await pay.screenshot({ path: "docs/screenshots/khmer-phone-paid.png", fullPage: true });
      await context.close();
    });
  });
});

// Issue 18, Telegram linking (docs/TELEGRAM.md, "Linking"), on a 390×844 phone in Khmer: a renter
// without e-mail opens their pay link on tgco (scripts/e2e-server.ts) and sees the Telegram box in
// Khmer; "opening" its t.me/<bot>?start=<token> link is Telegram delivering `/start <token>` to
// POST /api/webhooks/telegram with the secret header; the bot answers in Khmer (the fake Bot API's
// capture); staff see the chat linked with the Telegram name on the renter's page; the manual invoice
// run then sends this month's invoice to that chat with its pay button. A forged update is refused.
import { expect, test, type APIRequestContext } from "./fixtures/test";
import { E2E_TELEGRAM_PAY_TOKEN, E2E_TELEGRAM_WEBHOOK_SECRET } from "./fixtures/constants";
import { DEMO_PASSWORD, origin, telegramMessagesTo } from "./fixtures/helpers";
import { km } from "../lib/i18n/messages/km";
import { FAKE_TELEGRAM_BOT_USERNAME } from "../server/testing/fake-telegram";

const TG = origin("tgco");
// a chat id of this run (the fake Bot API's capture is shared by every spec and retry)
const CHAT_ID = 7_000_000_000 + Math.floor(Math.random() * 1e8);
let updateId = Math.floor(Math.random() * 1e8);

function startUpdate(text: string) {
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: CHAT_ID, type: "private", first_name: "Chantha" },
      from: { id: CHAT_ID, is_bot: false, first_name: "Sok", last_name: "Chantha", username: "sokchantha", language_code: "km" },
      text,
    },
  };
}

function postUpdate(request: APIRequestContext, update: unknown, secret: string | null) {
  return request.post(`${origin()}/api/webhooks/telegram`, {
    data: update,
    headers: secret === null ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret },
    maxRedirects: 0,
  });
}

test("a renter links Telegram from the pay link on a phone in Khmer, and the next invoice comes there", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: "km-KH",
    timezoneId: "Asia/Phnom_Penh",
  });
  await context.addCookies([{ name: "phteah-locale", value: "km", domain: "tgco.localhost", path: "/" }]);
  const page = await context.newPage();

  let token = "";
  await test.step("the pay page shows the Telegram link in Khmer", async () => {
    await page.goto(`${TG}/pay/${E2E_TELEGRAM_PAY_TOKEN}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "km");
    const box = page.getByTestId("pay-telegram");
    await expect(box.getByRole("heading", { name: km.telegram.pay.title })).toBeVisible();
    await expect(box).toContainText(km.telegram.pay.body);
    // the QR code is named: a renter on a computer scans it with their phone
    await expect(box.getByRole("img", { name: km.telegram.panel.qrAlt })).toBeVisible();
    const href = (await box.getByRole("link", { name: km.telegram.pay.open }).getAttribute("href"))!;
    const url = new URL(href);
    expect(`${url.origin}${url.pathname}`).toBe(`https://t.me/${FAKE_TELEGRAM_BOT_USERNAME}`);
    token = url.searchParams.get("start")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    await page.screenshot({ path: "docs/screenshots/telegram-link-km.png", fullPage: true });
  });

  await test.step("a forged update (wrong or missing secret) is refused and links nothing", async () => {
    for (const secret of ["not-the-secret-0123456789", null]) {
      const res = await postUpdate(request, startUpdate(`/start ${token}`), secret);
      expect([401, 403]).toContain(res.status());
    }
    // nothing was answered to the chat
    expect(await telegramMessagesTo(request, CHAT_ID)).toEqual([]);
  });

  await test.step("Telegram delivers /start <token>: the bot answers in Khmer", async () => {
    const res = await postUpdate(request, startUpdate(`/start ${token}`), E2E_TELEGRAM_WEBHOOK_SECRET);
    expect(res.status()).toBe(200);
    const linked = km.telegram.bot.linked.replace("{workspace}", "Telegram Rentals");
    await expect.poll(async () => (await telegramMessagesTo(request, CHAT_ID)).map((m) => m.text), { timeout: 15_000 }).toEqual([linked]);
    // linked: the pay page no longer offers a link
    expect((await page.reload())!.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "km");
    await expect(page.getByTestId("pay-telegram")).toHaveCount(0);
  });

  await test.step("staff see the chat linked with the Telegram name", async () => {
    await context.addCookies([{ name: "phteah-locale", value: "km", domain: "tgco.localhost", path: "/" }]);
    const staff = await context.newPage();
    await staff.goto(`${TG}/login`);
    await staff.locator("input[type=email]").fill("owner@tgco.test");
    await staff.locator("input[type=password]").fill(DEMO_PASSWORD);
    await staff.locator("form button[type=submit]").click();
    await staff.waitForURL(`${TG}/`);
    await staff.goto(`${TG}/renters`);
    await staff
      .locator('a[href^="/renters/"]:visible')
      .filter({ hasText: /Sok Chantha|សុខ ចាន់ធា/ })
      .first()
      .click();
    await staff.waitForURL(/\/renters\/[0-9a-f-]{36}$/);
    const state = staff.getByTestId("telegram-state");
    await expect(state).toContainText("Sok Chantha (@sokchantha)");
    await expect(state).toContainText(km.telegram.panel.linkedAs.split("{date}")[0]!.trim());
    await staff.screenshot({ path: "docs/screenshots/telegram-linked-staff-km.png", fullPage: true });

    // the manual invoice run issues this month's invoice: it goes to the linked chat with its pay button
    await staff.goto(`${TG}/invoices/run`);
    await staff.getByTestId("run-property").selectOption({ label: "Telegram House" });
    await staff.getByTestId("run-start").click();
    await expect(staff.getByTestId("run-progress")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    let invoice: Awaited<ReturnType<typeof telegramMessagesTo>>[number] | undefined;
    await expect
      .poll(async () => (invoice = (await telegramMessagesTo(request, CHAT_ID)).find((m) => m.buttons.length > 0)) !== undefined, {
        timeout: 30_000,
      })
      .toBe(true);
    expect(invoice!.text).toMatch(/R-\d{4}-\d{6}/);
    expect(invoice!.text).toMatch(/[\u1780-\u17FF]/); // in the renter's language, Khmer
    const pay = invoice!.buttons[0]!;
    expect(pay.url).toMatch(new RegExp(`^${TG.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/pay/[A-Za-z0-9_-]{22,}$`));
    // the button opens the new invoice's pay page
    expect((await page.goto(pay.url))!.status()).toBe(200);
    expect(page.url()).toBe(pay.url);
  });
  await context.close();
});

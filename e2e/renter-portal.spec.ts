// Issue 18, renter portal sign-in and settings on a 390×844 phone in Khmer (docs/RENTER_PORTAL.md):
// the renter types their e-mail, reads the 6-digit code from the mail (the real Resend SDK to the
// local stub), signs in, sees the portal shell, and in settings is refused Telegram while no chat is
// linked, then saves e-mail and a language; sign-out ends the session. The fixture's renter
// (server/testing/portal-fixture.ts); the data pages are e2e/renter-portal-pages.spec.ts'.
// Screenshots: docs/screenshots/renter-portal-login-*.png and renter-portal-settings-km.png.
import { expect, test } from "./fixtures/test";
import { emailsTo, origin } from "./fixtures/helpers";
import { renterPortal } from "../lib/i18n/messages/areas/renter-portal";

const KM = renterPortal.km;

const PORTAL = origin("portalpages");
// a renter of its own (the pages spec's renter reads Khmer while this one switches to English)
const EMAIL = "settings@portalpages.test";
const CODE_MAIL = /លេខកូដចូល|sign-in code/;

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "km-KH" });

test("a renter signs in with an e-mailed code on a phone in Khmer and chooses how messages come", async ({ page, request }) => {
  await page.context().addCookies([{ name: "phteah-locale", value: "en", url: `${PORTAL}/` }]);
  await page.goto(`${PORTAL}/renter/login`);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to your renter page" })).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/renter-portal-login-en.png", fullPage: true });

  await page.context().addCookies([{ name: "phteah-locale", value: "km", url: `${PORTAL}/` }]);
  // the portal's pages need a renter: signed out, /renter is the sign-in page
  await page.goto(`${PORTAL}/renter/settings`);
  await page.waitForURL(`${PORTAL}/renter/login`);
  await expect(page.getByRole("heading", { level: 1, name: KM.login.title })).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/renter-portal-login-km.png", fullPage: true });

  const before = (await emailsTo(request, EMAIL)).filter((m) => CODE_MAIL.test(m.subject)).length;
  await page.getByLabel(KM.login.identifier).fill(EMAIL);
  await page.getByRole("button", { name: KM.login.sendCode }).click();
  await expect(page.getByTestId("renter-code-sent")).toBeVisible();

  let mails: Awaited<ReturnType<typeof emailsTo>> = [];
  await expect
    .poll(async () => (mails = (await emailsTo(request, EMAIL)).filter((m) => CODE_MAIL.test(m.subject))).length)
    .toBeGreaterThan(before);
  const code = /\b(\d{6})\b/.exec(mails.at(-1)!.subject)?.[1];
  expect(code).toMatch(/^\d{6}$/);

  // a wrong code first: refused in Khmer
  await page.getByLabel(KM.login.code).fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: KM.login.signIn, exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: KM.login.errors.code }).first()).toBeVisible();

  await page.getByLabel(KM.login.code).fill(code!);
  await page.getByRole("button", { name: KM.login.signIn, exact: true }).click();
  await page.waitForURL(`${PORTAL}/renter`);
  await expect(page.getByTestId("renter-name")).not.toBeEmpty();
  const nav = page.getByRole("navigation", { name: KM.nav.label });
  await expect(nav.getByRole("link", { name: KM.nav.invoices })).toHaveAttribute("href", "/renter/invoices");

  await nav.getByRole("link", { name: KM.nav.settings }).click();
  await page.waitForURL(`${PORTAL}/renter/settings`);
  await expect(page.getByRole("heading", { level: 1, name: KM.settings.title })).toBeVisible();

  // Telegram without a linked chat: refused, with the reason
  await page.getByLabel(KM.settings.channels.telegram, { exact: true }).check();
  await page.getByRole("button", { name: KM.settings.save }).click();
  await expect(page.getByRole("alert").filter({ hasText: KM.settings.errors.telegramNotLinked }).first()).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/renter-portal-settings-km.png", fullPage: true });

  // e-mail and English: saved; the portal turns English
  await page.getByLabel(KM.settings.channels.email, { exact: true }).check();
  await page.getByLabel("English").check();
  await page.getByRole("button", { name: KM.settings.save }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByLabel("E-mail", { exact: true })).toBeChecked();

  // back to Khmer
  await page.getByLabel("ខ្មែរ").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: KM.settings.title })).toBeVisible();

  // sign-out ends the session: the portal asks to sign in again
  // (from a fresh page: the saved toast sits over the header on a phone)
  await page.goto(`${PORTAL}/renter`);
  await page.getByTestId("renter-sign-out").click();
  await page.waitForURL(`${PORTAL}/renter/login`);
  await page.goto(`${PORTAL}/renter/settings`);
  await page.waitForURL(`${PORTAL}/renter/login`);
});

import { expect, test, type Page, newClientContext } from "./fixtures/test";
import { DEMO_PASSWORD, login, origin } from "./fixtures/helpers";

// manager@globex.test is used by no other spec: this one renames it, saves Khmer as its
// language, signs its sessions out and changes its password.
const EMAIL = "manager@globex.test";
const NEW_PASSWORD = "account-spec-password-2026";
const HOME = `${origin("globex")}/`;
const ACCOUNT = `${origin("globex")}/account`;

async function signIn(page: Page, password = DEMO_PASSWORD) {
  await login(page, "globex", EMAIL, password);
  await page.waitForURL(HOME);
}

/** A Notyf toast (its screen-reader announcer repeats the text, so match the toast itself). */
const toast = (page: Page, text: string) => page.locator(".notyf__message", { hasText: text });

/** The other session's row: the one without the "This device" badge. */
const otherSession = (page: Page) => page.getByTestId("session-row").filter({ hasNot: page.getByTestId("this-device") });

test("a member's account: name, saved language, sessions on two devices, password", async ({ browser }) => {
  test.setTimeout(120_000);
  const laptop = await newClientContext(browser);
  const phone = await newClientContext(browser);
  const a = await laptop.newPage();
  const b = await phone.newPage();

  await signIn(b);
  await signIn(a);

  // the name in the header leads to the account page; the menu has it too
  await expect(a.getByRole("link", { name: "Account", exact: true })).toBeVisible();
  await a.getByTestId("user-menu").click();
  await a.waitForURL(ACCOUNT);
  await expect(a.getByTestId("account-heading")).toHaveText("Your account");
  await expect(a.getByLabel("Email")).toHaveValue(EMAIL);

  // profile: the header shows the new name
  await a.getByLabel("Name", { exact: true }).fill("   ");
  await a.getByRole("button", { name: "Save profile" }).click();
  await expect(a.locator("#account-name-error")).toHaveText("Required.");
  await a.getByLabel("Name", { exact: true }).fill("Dara Sok");
  await a.getByRole("button", { name: "Save profile" }).click();
  await expect(toast(a, "Your profile was saved.")).toBeVisible();
  await expect(a.getByTestId("user-menu")).toHaveText("Dara Sok");

  // two sessions, this one marked
  await expect(a.getByTestId("session-row")).toHaveCount(2);
  await expect(a.getByTestId("this-device")).toHaveCount(1);
  await expect(a.getByTestId("session-row").first()).toContainText(/Chrome on (Windows|Linux)/);
  await expect(a.getByTestId("session-row").first()).toContainText("globex.localhost");
  await expect(a.getByTestId("session-row").first()).toContainText("Last active");
  await a.screenshot({ path: "test-results/account.png", fullPage: true });

  // language: Khmer at once, in this browser (cookie) …
  await a.getByLabel("ខ្មែរ").check();
  await a.getByRole("button", { name: "Save language" }).click();
  await expect(a.locator("html")).toHaveAttribute("lang", "km");
  await expect(a.getByTestId("account-heading")).toHaveText("គណនីរបស់អ្នក");
  expect((await laptop.cookies(origin("globex"))).find((c) => c.name === "phteah-locale")?.value).toBe("km");

  // … and from the profile after signing out and in again with no language cookie at all
  await a.goto(HOME);
  await a.getByRole("button", { name: "ចាកចេញ" }).click();
  await a.waitForURL(/\/login\?signedOut=1$/);
  await laptop.clearCookies({ name: "phteah-locale" });
  await a.goto(`${origin("globex")}/login`);
  await expect(a.locator("html")).toHaveAttribute("lang", "en");
  await signIn(a);
  await expect(a.locator("html")).toHaveAttribute("lang", "km");
  await expect(a.getByTestId("dashboard-heading")).toHaveText("សូមស្វាគមន៍ Dara Sok");
  expect((await laptop.cookies(origin("globex"))).find((c) => c.name === "phteah-locale")).toBeUndefined();

  // sign the other device out: it is sent to sign-in on its next navigation
  await a.goto(ACCOUNT);
  await expect(a.getByTestId("session-row")).toHaveCount(2);
  await otherSession(a).getByRole("button").click();
  await a.locator(".swal2-confirm").click();
  await expect(a.getByTestId("session-row")).toHaveCount(1);
  await expect(a.getByTestId("this-device")).toHaveCount(1);
  await b.goto(ACCOUNT);
  await expect(b).toHaveURL(`${origin("globex")}/login`);

  // change the password: a wrong current one is refused at its field; then the other session ends
  await signIn(b);
  await a.reload();
  await expect(a.getByTestId("session-row")).toHaveCount(2);
  const form = a.getByTestId("password-form");
  await a.locator("#current-password").fill("not-my-password");
  await a.locator("#new-password").fill(NEW_PASSWORD);
  await a.locator("#confirm-password").fill(`${NEW_PASSWORD}-typo`);
  await form.getByRole("button").click();
  await expect(a.locator("#confirm-password-error")).toBeVisible();
  await a.locator("#confirm-password").fill(NEW_PASSWORD);
  await form.getByRole("button").click();
  await expect(a.locator("#current-password-error")).toHaveText("ពាក្យសម្ងាត់បច្ចុប្បន្នរបស់អ្នកមិនត្រឹមត្រូវទេ។");
  await a.locator("#current-password").fill(DEMO_PASSWORD);
  await form.getByRole("button").click();
  await expect(toast(a, "ពាក្យសម្ងាត់ត្រូវបានប្ដូរ។ វគ្គផ្សេងទៀតរបស់អ្នកត្រូវបានចាកចេញ។")).toBeVisible();
  await expect(a.getByTestId("session-row")).toHaveCount(1);
  await expect(a.locator("#current-password")).toHaveValue("");

  // this device stays signed in; the other is out, the old password no longer works, the new one does
  await a.goto(HOME);
  await expect(a.getByTestId("dashboard-heading")).toBeVisible();
  await b.goto(ACCOUNT);
  await expect(b).toHaveURL(`${origin("globex")}/login`);
  await login(b, "globex", EMAIL, DEMO_PASSWORD);
  await expect(b.getByRole("alert").first()).toBeVisible();
  await expect(b).toHaveURL(`${origin("globex")}/login`);
  await signIn(b, NEW_PASSWORD);

  // sign out everywhere: both devices end up at sign-in
  await a.goto(ACCOUNT);
  await a.getByTestId("sign-out-everywhere").click();
  await a.locator(".swal2-confirm").click();
  await a.waitForURL(/\/login\?signedOut=1$/);
  await b.goto(HOME);
  await expect(b).toHaveURL(`${origin("globex")}/login`);

  await laptop.close();
  await phone.close();
});

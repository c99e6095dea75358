// The `setup` project (every other project depends on it): each shared member signs in once
// through the real sign-in form, and the 2FA-enrolled admin passes password + TOTP once; the
// browser states are saved for the specs (e2e/fixtures/sessions.ts, adminTest).
import { expect, test as setup } from "./fixtures/test";
import { loginAsAdmin } from "./fixtures/admin";
import { login, origin } from "./fixtures/helpers";
import { ADMIN_STATE, SHARED_SESSIONS, stateFile } from "./fixtures/sessions";

setup.describe.configure({ mode: "parallel" });

for (const [sub, email] of SHARED_SESSIONS) {
  setup(`${email} signs in on ${sub}`, async ({ page, context }) => {
    await login(page, sub, email);
    await page.waitForURL(`${origin(sub)}/`);
    await expect(page.getByTestId("workspace-title")).toBeVisible();
    await context.storageState({ path: stateFile(setup.info().project.outputDir, `${sub}-${email}`) });
  });
}

setup("the 2FA-enrolled admin signs in on the apex", async ({ page, context }) => {
  // a time step another worker used already means waiting for the next one (≤ 30 s)
  setup.setTimeout(90_000);
  await loginAsAdmin(page);
  await context.storageState({ path: stateFile(setup.info().project.outputDir, ADMIN_STATE) });
});

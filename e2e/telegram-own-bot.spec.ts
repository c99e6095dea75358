// Settings > Telegram (docs/TELEGRAM.md, "A workspace's own bot") in the running app against the
// fake Bot API: a new workspace's owner pastes a bad token (translated error, nothing saved), then a
// working one (confirmation, toast, masked token with the bot's @username, webhook set on the fake
// with a secret), then removes it (confirmation, webhook deleted). A workspace of its own: no seeded
// workspace changes.
import { randomInt } from "node:crypto";
import { expect, newClientContext, test } from "./fixtures/test";
import { TELEGRAM_STUB, origin } from "./fixtures/helpers";
import { signUpWorkspace } from "./fixtures/signup";

test("a workspace sets, shows and removes its own Telegram bot", async ({ browser }) => {
  const context = await newClientContext(browser);
  const page = await context.newPage();
  const { slug } = await signUpWorkspace(page, { prefix: "ownbot" });
  const token = `${randomInt(100_000_000, 999_999_999)}:e2e-workspace-own-bot-token-${randomInt(1_000_000, 9_999_999)}`;
  const username = `own_${slug.replace(/[^a-z0-9]/g, "_")}_bot`.slice(0, 32);
  const added = await page.request.post(`${TELEGRAM_STUB}/__fake/bots`, { data: { token, username } });
  expect(added.ok()).toBe(true);

  await page.goto(`${origin(slug)}/settings`);
  const box = page.getByTestId("telegram-bot-settings");
  await expect(box).toBeVisible();
  // a token Telegram does not know: the translated error, nothing saved
  await box.getByLabel("Bot token").fill("999999999:this-bot-does-not-exist-anywhere-000");
  await box.getByRole("button", { name: "Save the bot" }).click();
  await page.locator(".swal2-confirm").click();
  await expect(box.getByText("This is not a working bot token.")).toBeVisible();

  await box.getByLabel("Bot token").fill(token);
  await box.getByRole("button", { name: "Save the bot" }).click();
  await page.locator(".swal2-confirm").click();
  await expect(
    page.locator(".notyf__message", { hasText: `Telegram bot saved: its messages and links now use @${username}` }),
  ).toBeVisible();
  await expect(box.getByText(`Renters get Telegram messages from your bot @${username}.`)).toBeVisible();
  await expect(box.getByText(`Token: ••••${token.slice(-4)}`)).toBeVisible();
  await expect(box).not.toContainText(token.slice(0, 20));
  const hook = (await (await page.request.get(`${TELEGRAM_STUB}/__fake/webhook?token=${encodeURIComponent(token)}`)).json()) as {
    webhook: { url: string; secret: string | null } | null;
  };
  expect(hook.webhook?.url).toMatch(/\/api\/webhooks\/telegram$/);
  expect(hook.webhook?.secret).toBeTruthy();

  await box.getByRole("button", { name: "Remove the bot" }).click();
  await page.locator(".swal2-confirm").click();
  // the toast itself (Notyf's screen-reader announcer repeats its text)
  await expect(page.locator(".notyf__message", { hasText: "Telegram bot removed" })).toBeVisible();
  await expect(box.getByLabel("Bot token")).toBeVisible();
  const after = (await (await page.request.get(`${TELEGRAM_STUB}/__fake/webhook?token=${encodeURIComponent(token)}`)).json()) as {
    webhook: unknown;
  };
  expect(after.webhook).toBeNull();
  await context.close();
});

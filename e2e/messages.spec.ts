// The message log: an invitation shows up as sent with its link hidden; Resend reports a bounce
// (a signed webhook), the address lands on the suppression list, Retry is refused until the
// address is lifted, then the retry sends the mail again. Read-only for a viewer, cards on a
// phone, and every workspace's log in the console. A send the provider refused is failed in the
// log and goes out when retried by hand. Resend deliveries show up in the console's webhook inbox.
// The console's tests (adminTest) may run before or after the others: they make their own data.
import type { Locator } from "@playwright/test";
import { expect, newClientContext, test, type Page } from "./fixtures/test";
import { adminTest } from "./fixtures/admin";
import { E2E_RESEND_WEBHOOK_SECRET } from "./fixtures/constants";
import { STUB, origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";
import { signResendWebhook } from "../server/notifications/resend-signature";

test.describe.configure({ mode: "serial" });

const email = `log-${Date.now().toString(36)}@example.test`;

async function stubEmails(request: import("@playwright/test").APIRequestContext, to: string): Promise<{ id: string; text?: string }[]> {
  const res = await request.get(`${STUB}/__emails?to=${encodeURIComponent(to)}`);
  expect(res.ok()).toBeTruthy();
  return res.json();
}

function row(page: Page, text: string): Locator {
  return page.getByTestId("messages-table").locator("tbody tr").filter({ hasText: text });
}

/** Reloads until the newest row of `text` shows `status` (delivery runs right after the request that queued it). */
async function expectStatus(page: Page, text: string, status: string) {
  await expect(async () => {
    await page.reload();
    await expect(row(page, text).first().getByTestId("message-status")).toHaveAttribute("data-status", status, { timeout: 1500 });
  }).toPass({ timeout: 20_000 });
}

async function resendInvitation(page: Page, to: string) {
  await page.goto(`${origin("acme")}/members`);
  await page.getByTestId("invitations").locator("li").filter({ hasText: to }).getByRole("button", { name: "Resend" }).click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText(`A new link was sent to ${to}.`);
  await page.goto(`${origin("acme")}/messages`);
}

test("an invitation is logged as sent (link hidden); a bounce suppresses the address until it is lifted", async ({ page, request }) => {
  // a long story (three invitations, a webhook, a lift), each step waiting on a real delivery
  test.setTimeout(90_000);
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText(`Invitation sent to ${email}`);

  await page.getByRole("link", { name: "Messages", exact: true }).click();
  await page.waitForURL(`${origin("acme")}/messages`);
  await expect(page.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
  await expect(page.getByTestId("message-quota")).toContainText("Messages this month");
  await expectStatus(page, email, "sent");
  await expect(row(page, email)).toHaveCount(1);
  await expect(row(page, email)).toContainText("Team invitation");
  await expect(row(page, email)).not.toContainText("team.invitation");
  await expect(row(page, email)).toContainText("You are invited to Acme Apartments");
  await expect(row(page, email).getByTestId("message-to")).toHaveText(email);

  // the provider's id is the one the (stub) Resend API answered
  const mails = await stubEmails(request, email);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.text).toMatch(/\/invite\?token=/);
  const emailId = mails[0]!.id;

  // details: the text as sent, without the invitation link's token
  await row(page, email).getByRole("button", { name: "Details" }).click();
  const drawer = page.getByTestId("message-drawer");
  await expect(drawer.getByTestId("drawer-to")).toHaveText(email);
  await expect(drawer.getByTestId("drawer-provider-id")).toHaveText(emailId);
  await expect(drawer.getByTestId("drawer-body")).toContainText("[hidden]");
  await expect(drawer.getByTestId("drawer-body")).not.toContainText("token=");
  await expect(drawer).toContainText("Links that sign someone in are never kept");
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  // Resend reports a bounce (a Svix-signed webhook); a forged one is refused
  const body = JSON.stringify({
    type: "email.bounced",
    created_at: new Date().toISOString(),
    data: { email_id: emailId, to: [email], bounce: { type: "Permanent", subType: "General", message: "Mailbox does not exist" } },
  });
  const svixId = `msg_${Date.now().toString(36)}`;
  const ts = Math.floor(Date.now() / 1000);
  const post = (secret: string) =>
    request.post(`${origin()}/api/webhooks/resend`, {
      data: body,
      headers: {
        "Content-Type": "application/json",
        "svix-id": svixId,
        "svix-timestamp": String(ts),
        "svix-signature": signResendWebhook(secret, { id: svixId, timestampSec: ts, rawBody: body }),
      },
    });
  expect((await post("whsec_Zm9yZ2VkLXNlY3JldC1mb3JnZWQtc2VjcmV0")).status()).toBe(401);
  const ok = await post(E2E_RESEND_WEBHOOK_SECRET);
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toEqual({ ok: true, status: "bounced", suppressed: true });
  // Resend delivers again: nothing more happens
  expect(await (await post(E2E_RESEND_WEBHOOK_SECRET)).json()).toEqual({ ok: true, duplicate: true, status: "processed" });

  await expectStatus(page, email, "bounced");
  await expect(row(page, email)).toContainText("Mailbox does not exist");
  const suppressed = page.getByTestId("suppressions-table").locator("tbody tr").filter({ hasText: email });
  await expect(suppressed).toContainText("Could not be delivered");
  // the invitation's single-use link is gone: no Retry; the drawer says to send a new one
  await expect(row(page, email).getByRole("button", { name: "Retry" })).toHaveCount(0);
  await row(page, email).getByRole("button", { name: "Details" }).click();
  await expect(drawer.getByTestId("drawer-link-gone")).toContainText("resend the invitation");
  await expect(drawer).toContainText("We stopped e-mailing this address (Could not be delivered)");
  await drawer.getByRole("button", { name: "Close" }).click();

  // a new invitation to the suppressed address is not sent
  await resendInvitation(page, email);
  await expectStatus(page, email, "suppressed");
  await expect(row(page, email)).toHaveCount(2);
  expect(await stubEmails(request, email)).toHaveLength(1);

  // lift it (confirmed): the next invitation goes out
  await suppressed.getByRole("button", { name: "Allow again" }).click();
  await expect(page.locator(".swal2-popup")).toContainText(`Send to ${email} again?`);
  await page.locator(".swal2-confirm").click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText(`${email} can receive mail again.`);
  await expect(suppressed).toHaveCount(0);

  await resendInvitation(page, email);
  await expectStatus(page, email, "sent");
  await expect(row(page, email)).toHaveCount(3);
  await expect.poll(async () => (await stubEmails(request, email)).length).toBe(2);
});

test("the owner suppresses an address by hand; a viewer reads the log without actions, as cards on a phone", async ({ page, browser }) => {
  const stop = `stop-${Date.now().toString(36)}@example.test`;
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.goto(`${origin("acme")}/messages`);
  await page.getByLabel("Email address").fill("not an address");
  // the list is explained in a landlord's words (issue 17)
  await expect(page.getByRole("heading", { name: "E-mail addresses we no longer write to" })).toBeVisible();
  await expect(page.getByText("could not be delivered (the address is wrong")).toBeVisible();
  await page.getByRole("button", { name: "Stop e-mails" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await page.getByLabel("Email address").fill(stop.toUpperCase());
  await page.getByRole("button", { name: "Stop e-mails" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText(`No more mail will be sent to ${stop}.`);
  await expect(page.getByTestId("suppressions-table").locator("tbody tr").filter({ hasText: stop })).toContainText("You asked us to stop");

  const viewer = await newClientContext(browser);
  const v = await viewer.newPage();
  await v.setViewportSize({ width: 390, height: 844 });
  await signedIn(v, "acme", "viewer@acme.test");
  await v.waitForURL(`${origin("acme")}/`);
  await v.goto(`${origin("acme")}/messages`);
  await v.getByRole("searchbox", { name: "Search by recipient" }).fill(email);
  // three messages to that address: the newest (the invitation that went out) first
  const card = v.getByTestId("message-card").filter({ hasText: email }).first();
  await expect(card).toBeVisible();
  await expect(card.getByTestId("message-status")).toHaveAttribute("data-status", "sent");
  await expect(v.getByTestId("messages-table")).toBeHidden();
  await expect(v.getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect(v.getByRole("button", { name: "Allow again" })).toHaveCount(0);
  await expect(v.getByRole("button", { name: "Stop e-mails" })).toHaveCount(0);
  await card.getByRole("button", { name: "Details" }).click();
  await expect(v.getByTestId("message-drawer").getByTestId("drawer-to")).toHaveText(email);
  await viewer.close();
});

test("a message the provider refused is failed in the log; Retry sends it and the log shows it sent", async ({ page, request }) => {
  const to = `retry-${Date.now().toString(36)}@example.test`;
  // the (stub) Resend API refuses the next send to this address only (422: no automatic retry)
  expect((await request.post(`${STUB}/__fail?to=${encodeURIComponent(to)}&status=422`)).ok()).toBeTruthy();

  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.goto(`${origin("acme")}/members`);
  await page.getByLabel("Email address").fill(to);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText(`Invitation sent to ${to}`);

  await page.goto(`${origin("acme")}/messages`);
  await expectStatus(page, to, "failed");
  await expect(row(page, to)).toHaveCount(1);
  await expect(row(page, to)).toContainText("stub failure");
  expect(await stubEmails(request, to)).toHaveLength(0);
  await row(page, to).getByRole("button", { name: "Details" }).click();
  const drawer = page.getByTestId("message-drawer");
  await expect(drawer.getByTestId("drawer-last-error")).toContainText("stub failure");
  await drawer.getByRole("button", { name: "Close" }).click();

  // Retry (confirmed): the same message goes out once, and the log says so
  await row(page, to).getByRole("button", { name: "Retry" }).click();
  await expect(page.locator(".swal2-popup")).toContainText("Send this message again?");
  await expect(page.locator(".swal2-popup")).toContainText(`It goes to ${to} once more, right away.`);
  await page.locator(".swal2-confirm").click();
  await expect(page.locator(".notyf__toast--success").last()).toContainText(`The message to ${to} is being sent again.`);
  await expectStatus(page, to, "sent");
  await expect(row(page, to)).toHaveCount(1);
  await expect(row(page, to).getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect.poll(async () => (await stubEmails(request, to)).length).toBe(1);
  const [mail] = await stubEmails(request, to);
  expect(mail!.text).toMatch(/\/invite\?token=/);
  await row(page, to).getByRole("button", { name: "Details" }).click();
  await expect(drawer.getByTestId("drawer-provider-id")).toHaveText(mail!.id);
});

adminTest(
  "the console's webhook inbox offers Resend next to Bakong and lists Resend's deliveries",
  async ({ adminPage: page, request }) => {
    // (admin tests run in a worker of their own: this one posts its own signed delivery report)
    const svixId = `msg_inbox_${Date.now().toString(36)}`;
    const body = JSON.stringify({
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: { email_id: `unknown-${svixId}`, to: ["nobody@example.test"] },
    });
    const ts = Math.floor(Date.now() / 1000);
    const res = await request.post(`${origin()}/api/webhooks/resend`, {
      data: body,
      headers: {
        "Content-Type": "application/json",
        "svix-id": svixId,
        "svix-timestamp": String(ts),
        "svix-signature": signResendWebhook(E2E_RESEND_WEBHOOK_SECRET, { id: svixId, timestampSec: ts, rawBody: body }),
      },
    });
    expect(await res.json()).toEqual({ ok: true, ignored: true });

    await page.goto(`${origin()}/admin/billing/webhooks`);
    const provider = page.getByLabel("Provider");
    await expect(provider.locator("option")).toHaveText(["All providers", "bakong", "resend", "telegram"]);
    await provider.selectOption("resend");
    const event = page.getByTestId("webhooks-table").locator("tbody tr").filter({ hasText: svixId });
    await expect(event).toHaveCount(1);
    await expect(event).toContainText("resend");
    await expect(event.getByTestId("signature")).toHaveText("Valid");
    await expect(event.getByTestId("status")).toHaveText("Ignored");
    await expect(event).toContainText("unknown email id");
    // the filter is applied by the server: every row listed is Resend's
    for (const r of await page.getByTestId("webhooks-table").locator("tbody tr").all()) await expect(r).toContainText("resend");
  },
);

adminTest("the console lists every workspace's messages, filtered by workspace", async ({ adminPage: page, browser }) => {
  // admin tests run in a worker of their own, before or after the tests above: this one has
  // acme's owner send an invitation of its own first
  const to = `console-${Date.now().toString(36)}@example.test`;
  const owner = await newClientContext(browser);
  const o = await owner.newPage();
  await signedIn(o, "acme", "owner@acme.test");
  await o.waitForURL(`${origin("acme")}/`);
  await o.goto(`${origin("acme")}/members`);
  await o.getByLabel("Email address").fill(to);
  await o.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await o.getByRole("button", { name: "Send invitation" }).click();
  await expect(o.locator(".notyf__toast--success")).toContainText(`Invitation sent to ${to}`);
  await owner.close();

  await page.goto(`${origin()}/admin/messages`);
  await expect(page.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
  // the list is loaded on the client: once it shows (the invitation sent), the filters are live
  await expectStatus(page, to, "sent");
  await page.getByRole("searchbox", { name: "Search by recipient" }).fill(to);
  await page.getByRole("searchbox", { name: "Workspace" }).fill("globex");
  await expect(page.getByText("No messages match these filters.")).toBeVisible();
  await page.getByRole("searchbox", { name: "Workspace" }).fill("acme");
  const rows = page.getByTestId("messages-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(to);
  await expect(rows.first().locator("td").nth(1)).toHaveText("acme");
  await rows.first().getByRole("button", { name: "Details" }).click();
  await expect(page.getByTestId("message-drawer")).toContainText("Acme Apartments (acme)");
  await expect(page.getByTestId("message-drawer").getByTestId("drawer-body")).toContainText("[hidden]");
});

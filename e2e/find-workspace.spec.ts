// The apex sign-in for someone who is not platform staff (issue 17): a workspace owner typing the
// right password on the apex is not told the password is wrong; they are pointed to "find my
// workspace", which answers one neutral sentence for any address and e-mails the address's owner
// their workspaces' sign-in links (through the real Resend SDK to the local stub).
import { expect, test } from "./fixtures/test";
import { DEMO_PASSWORD, emailsTo, login, origin, postJson } from "./fixtures/helpers";

// an owner no other spec signs in as through the apex (their workspace: Trial Co Rentals)
const OWNER = "owner@trialco.test";

test("an owner on the apex sign-in is sent to find my workspace and gets their sign-in link by e-mail", async ({ page, request }) => {
  const before = (await emailsTo(request, OWNER)).length;
  await login(page, undefined, OWNER, DEMO_PASSWORD);
  const alert = page.locator("form").getByRole("alert");
  await expect(alert).toContainText("Landlords and their teams sign in at their workspace's own address");
  await expect(alert).not.toContainText("wrong");
  expect(new URL(page.url()).pathname).toBe("/login");

  await page.getByTestId("find-workspace-link").click();
  await page.waitForURL(`${origin()}/find-workspace`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Find my workspace");
  await page.getByLabel("Email").fill(OWNER);
  await page.getByRole("button", { name: "Email me my sign-in links" }).click();
  await expect(page.getByRole("status")).toContainText("If that email belongs to any workspaces, their sign-in links are on their way");
  // nothing about the account on screen: no workspace name, no address
  await expect(page.locator("main")).not.toContainText("Trial Co");
  await expect(page.locator("main")).not.toContainText("trialco.");

  let mails: Awaited<ReturnType<typeof emailsTo>> = [];
  await expect.poll(async () => (mails = await emailsTo(request, OWNER)).length).toBeGreaterThan(before);
  const mail = mails.at(-1)!;
  expect(mail.subject).toBe("Your Phteah workspaces");
  expect(mail.text).toContain("Trial Co Rentals");
  const link = /https?:\/\/\S+\/login/.exec(mail.text ?? "")?.[0];
  expect(link).toBe(`${origin("trialco")}/login`);

  // the link is the workspace's own sign-in, where the same password works
  await page.goto(link!);
  await page.getByLabel("Email").fill(OWNER);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin("trialco")}/`);
});

test("find my workspace answers the same for any address and mails only a member", async ({ request }) => {
  const stranger = `nobody-${Date.now()}@example.test`;
  const answers = [];
  for (const [email, ip] of [
    ["viewer@globex.test", "2001:db8:f1::1"],
    [stranger, "2001:db8:f1::2"],
  ] as const) {
    const res = await postJson(request, undefined, "/api/session/find-workspace", { email }, { "X-Forwarded-For": ip });
    answers.push({ status: res.status(), body: await res.json() });
  }
  expect(answers[0]).toEqual({ status: 202, body: { ok: true } });
  expect(answers[1]).toEqual(answers[0]);
  await expect
    .poll(async () => (await emailsTo(request, "viewer@globex.test")).some((m) => m.subject === "Your Phteah workspaces"))
    .toBe(true);
  expect(await emailsTo(request, stranger)).toEqual([]);
});

test("find my workspace is throttled per client address", async ({ request }) => {
  const ip = { "X-Forwarded-For": "2001:db8:f1::9" };
  for (let i = 1; i <= 5; i++) {
    const res = await postJson(request, undefined, "/api/session/find-workspace", { email: `probe${i}@example.test` }, ip);
    expect(res.status(), `request ${i}`).toBe(202);
  }
  const blocked = await postJson(request, undefined, "/api/session/find-workspace", { email: "probe6@example.test" }, ip);
  expect(blocked.status()).toBe(429);
  expect(blocked.headers()["retry-after"]).toBeTruthy();
});

test("find my workspace exists on the apex only", async ({ request }) => {
  const res = await postJson(request, "acme", "/api/session/find-workspace", { email: "owner@acme.test" });
  expect(res.status()).toBe(404);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form posts, and comes back to the same neutral sentence without the address in the URL", async ({ page }) => {
    await page.goto(`${origin()}/find-workspace`);
    await page.getByLabel("Email").fill("owner@globex.test");
    await page.getByRole("button", { name: "Email me my sign-in links" }).click();
    await page.waitForURL(`${origin()}/find-workspace?sent=1`);
    await expect(page.getByRole("status")).toContainText("If that email belongs to any workspaces");
  });
});

import { expect, test, type Page, newClientContext } from "./fixtures/test";
import { adminTest } from "./fixtures/admin";
import { DEMO_PASSWORD, emailsTo, login, origin } from "./fixtures/helpers";
import { createWorkspace } from "./fixtures/signup";
import { signedIn } from "./fixtures/sessions";

async function trpcPost(page: Page, path: string, input: unknown): Promise<{ status: number; body: string }> {
  return page.evaluate(
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
}

async function inviteLink(request: import("@playwright/test").APIRequestContext, email: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(async () => {
      const mails = await emailsTo(request, email);
      link = /https?:\/\/\S+\/invite\?token=[\w-]+/.exec(mails.at(-1)?.text ?? "")?.[0];
      return link;
    })
    .toBeTruthy();
  return link!;
}

test("invite → accept → role change: the member's access changes in the UI and the API", async ({ page, browser, request, exclusive }) => {
  // a role change in acme: not while audit.spec counts them
  await exclusive("acme-roles");
  const email = `new-${Date.now().toString(36)}@example.test`;
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText(`Invitation sent to ${email}`);
  await expect(page.getByTestId("invitations")).toContainText(email);

  // the invitee follows the emailed link in a browser of their own
  const link = await inviteLink(request, email);
  expect(link.startsWith(`${origin("acme")}/invite?token=`)).toBe(true);
  const invitee = await (await newClientContext(browser)).newPage();
  await invitee.goto(link);
  await expect(invitee.getByText("You were invited to join Acme Apartments as Viewer")).toBeVisible();
  await invitee.getByLabel("Your name").fill("Sreymom Ek");
  await invitee.getByLabel("Password").fill("invitee-password-1");
  await invitee.getByRole("button", { name: "Accept and join" }).click();
  await invitee.waitForURL(`${origin("acme")}/`);
  await expect(invitee.getByTestId("your-role")).toContainText("Viewer");
  await invitee.getByRole("link", { name: "Members" }).click();
  await expect(invitee.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  expect(
    (await trpcPost(invitee, "members.invite", { email: "x@example.test", roleId: "00000000-0000-4000-8000-000000000000" })).status,
  ).toBe(403);

  // the link was single-use
  const again = await (await newClientContext(browser)).newPage();
  await again.goto(link);
  await expect(again.getByText("This invitation is invalid, expired, revoked or already used")).toBeVisible();

  // the owner makes the new member an admin
  await page.reload();
  const row = page.getByTestId("members-table").locator("tr", { hasText: email });
  await row.getByRole("combobox", { name: "Change role" }).selectOption({ label: "Admin" });
  await expect(page.locator(".notyf__toast--success").last()).toContainText("Role changed to Admin");

  // on their very next request the member can invite, in the UI and through the API
  await invitee.reload();
  await expect(invitee.getByRole("button", { name: "Send invitation" })).toBeVisible();
  await expect(invitee.getByRole("link", { name: "Roles" })).toBeVisible();
  const listed = await invitee.evaluate(async () => (await fetch("/api/trpc/members.invitations")).status);
  expect(listed).toBe(200);
});

test("a custom role built from the permission catalog grants exactly what it lists", async ({ page, browser }) => {
  await signedIn(page, "globex", "owner@globex.test");
  await page.waitForURL(`${origin("globex")}/`);
  await page.getByRole("link", { name: "Roles" }).click();
  await page.getByRole("button", { name: "New role" }).click();
  const form = page.getByTestId("role-form");
  await form.getByLabel("Role name").fill("Front desk");
  await form.getByLabel("See members").check();
  await form.getByLabel("Read and export the audit log").check();
  await form.getByRole("button", { name: "Save role" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("Role “Front desk” saved.");
  await expect(page.getByTestId("roles")).toContainText("Front desk");

  // give it to the viewer
  await page.getByRole("link", { name: "Members" }).click();
  const row = page.getByTestId("members-table").locator("tr", { hasText: "frontdesk@globex.test" });
  await row.getByRole("combobox", { name: "Change role" }).selectOption({ label: "Front desk" });
  await expect(page.locator(".notyf__toast--success").last()).toContainText("Role changed to Front desk");

  const viewer = await (await newClientContext(browser)).newPage();
  await login(viewer, "globex", "frontdesk@globex.test");
  await viewer.waitForURL(`${origin("globex")}/`);
  await expect(viewer.getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Roles" })).toHaveCount(0);
  expect((await trpcPost(viewer, "roles.create", { name: "Sneaky", permissions: ["workspace.view"] })).status).toBe(403);
});

test("the last owner can be neither demoted nor removed", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.getByRole("link", { name: "Members" }).click();
  // the UI offers no way to demote yourself …
  const own = page.getByTestId("members-table").locator("tr", { hasText: "owner@acme.test" });
  await expect(own.getByRole("combobox")).toHaveCount(0);
  // … and the API refuses with the reason
  const current = await page.evaluate(
    async () => (await (await fetch("/api/trpc/workspace.current")).json()) as { result: { data: { json: { me: { userId: string } } } } },
  );
  const members = await page.evaluate(
    async () =>
      (await (await fetch("/api/trpc/members.list?input=%7B%22json%22%3A%7B%7D%7D")).json()) as {
        result: { data: { json: { items: { id: string; userId: string }[] } } };
      },
  );
  const roles = await page.evaluate(
    async () => (await (await fetch("/api/trpc/members.roles")).json()) as { result: { data: { json: { id: string; key: string }[] } } },
  );
  const me = members.result.data.json.items.find((m) => m.userId === current.result.data.json.me.userId)!;
  const admin = roles.result.data.json.find((r) => r.key === "admin")!;
  const res = await trpcPost(page, "members.changeRole", { membershipId: me.id, roleId: admin.id });
  expect(res.status).toBe(412);
  expect(res.body).toContain("The last owner cannot be removed or demoted");
});

adminTest("impersonation: start from the console, banner on every page, stop, both audited", async ({ adminPage: page, exclusive }) => {
  // acts as manager@acme, whose role audit.spec changes and puts back
  await exclusive("acme-roles");
  await page.goto(`${origin()}/admin`);
  // the list's first page is the newest workspaces (the suite creates many): find it by name
  await page.getByRole("searchbox").fill("acme");
  await page.getByRole("link", { name: "Acme Apartments" }).click();
  await expect(page.getByTestId("tenant-title")).toContainText("Acme Apartments");
  const tenantUrl = page.url();
  const row = page.getByTestId("tenant-members").locator("li", { hasText: "manager@acme.test" });
  await row.getByRole("button", { name: "Act as" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Act as" }).click();

  await page.waitForURL(`${origin("acme")}/`);
  const banner = page.getByTestId("impersonation-banner");
  await expect(banner).toContainText("ops@phteah.test is acting as Acme Apartments Manager");
  await page.getByRole("link", { name: "Members" }).click();
  await expect(banner).toBeVisible();
  await page.screenshot({ path: "test-results/impersonation-banner.png" });

  await banner.getByRole("button", { name: "End support session" }).click();
  await page.waitForURL(tenantUrl);
  // the support session is over: the workspace no longer knows this browser
  await page.goto(`${origin("acme")}/`);
  await expect(page).toHaveURL(`${origin("acme")}/login`);

  const audit = await page.request.get(
    `${origin()}/api/trpc/admin.audit.list?input=${encodeURIComponent(JSON.stringify({ json: { tenant: "acme", action: "admin.impersonation.", limit: 10 } }))}`,
  );
  const text = await audit.text();
  expect(audit.status()).toBe(200);
  expect(text).toContain("admin.impersonation.started");
  expect(text).toContain("admin.impersonation.stopped");
});

adminTest("suspend with a typed confirmation, then reactivate; nothing is lost", async ({ adminPage: page, request, browser }) => {
  const { slug, email } = await createWorkspace(request, {
    prefix: "susp",
    name: "Vanna",
    business: "Vanna Rooms",
    password: DEMO_PASSWORD,
  });

  await page.goto(`${origin()}/admin`);
  await page.getByRole("searchbox").fill(slug);
  await page.getByRole("link", { name: "Vanna Rooms" }).click();
  await page.getByLabel("Reason (shown in the audit log)").fill("Unpaid for three months");
  await page.getByRole("button", { name: "Suspend" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill(slug);
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("Vanna Rooms is suspended.");
  await expect(page.getByTestId("tenant-status")).toHaveText("Suspended");

  const member = await (await newClientContext(browser)).newPage();
  await member.goto(`${origin(slug)}/`);
  await expect(member.getByTestId("suspended")).toBeVisible();

  await page.getByRole("button", { name: "Reactivate" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByTestId("tenant-status")).toHaveText("Active");
  await login(member, slug, email);
  await member.waitForURL(`${origin(slug)}/`);
  await expect(member.getByTestId("workspace-title")).toHaveText("Vanna Rooms");
});

test("screenshots of the members page (desktop) for the docs", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("members-table")).toBeVisible();
  await page.screenshot({ path: "test-results/members-desktop.png", fullPage: true });
});

adminTest("screenshot of the admin tenants page for the docs", async ({ adminPage: page }) => {
  await page.goto(`${origin()}/admin`);
  await expect(page.getByTestId("tenants-table")).toBeVisible();
  await page.screenshot({ path: "test-results/admin-tenants.png", fullPage: true });
});

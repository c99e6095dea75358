import { expect } from "./fixtures/test";
import { adminTest as test } from "./fixtures/admin";
import { STUB, origin } from "./fixtures/helpers";
import { createWorkspace } from "./fixtures/signup";

test("an admin runs the outbox relay from /admin/jobs: confirmation, toast, and the event reaches Inngest", async ({
  adminPage: page,
  request,
}) => {
  // a sign-up queues `tenant/workspace.created` in the outbox (same transaction as the tenant)
  const { slug } = await createWorkspace(request, { prefix: "evt", name: "Dara", business: "Dara Homes", emailLocal: "dara" });

  await page.goto(`${origin()}/admin`);
  await page.getByRole("link", { name: "Jobs" }).click();
  const relay = page.getByRole("listitem").filter({ hasText: "Outbox relay" });
  // each schedule in words on Phnom Penh's clock, not as cron text (issue 17)
  await expect(page.getByTestId("job-schedule-outbox-relay")).toHaveText("Every minute");
  await expect(page.getByTestId("job-schedule-backup")).toHaveText("Every day at 03:30 (Phnom Penh time)");
  await expect(page.getByTestId("job-schedule-billing-cycle")).toHaveText("Every hour, at 05 minutes past");
  await expect(page.getByTestId("job-schedule-bakong-reconciliation")).toHaveText("Every 5 minutes");
  await expect(page.locator("main")).not.toContainText("* * * * *");
  await relay.getByRole("button", { name: "Run now" }).click();
  // SweetAlert2 confirmation, then a Notyf toast with the result
  await expect(page.getByRole("dialog")).toContainText("Run Outbox relay (publish queued events) now?");
  await page.getByRole("dialog").getByRole("button", { name: "Run now" }).click();
  await expect(page.locator(".notyf__toast--success")).toContainText("Job Outbox relay (publish queued events) finished.");

  // the real Inngest SDK delivered the event to the local event API stub
  const events = (await (await request.get(`${STUB}/__events`)).json()) as { name: string; data: { slug?: string } }[];
  expect(events.some((e) => e.name === "tenant/workspace.created" && e.data.slug === slug)).toBe(true);
});

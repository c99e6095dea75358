// The billing e-mails (inngest/functions/billing-notifications.ts → BillingNotifier) and the
// billing-cycle cron function, through @inngest/test: who receives them, in which language, and
// that a stale event (the state moved on) sends nothing.
import { describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { billingInvoiceMail, billingReminderMail, billingStatusMail } from "@/inngest/functions/billing-notifications";
import { billingCycle } from "@/inngest/functions/billing-cycle";
import { addMember, createTenant, createUser, issueRenewalInvoice, setSubscription, uniqueSlug } from "@/server/testing/factories";
import { flushDeliveries } from "@/server/notifications/queue";
import { captureMail } from "./support/team";

const mail = captureMail();
const DAY = 86_400_000;

/** A Pro workspace near its period end with the renewal invoice open; km workspace, an en accountant, a viewer. */
async function workspace(prefix: string) {
  const slug = uniqueSlug(prefix);
  const now = Date.now();
  const t = await createTenant({
    slug,
    name: `Workspace ${slug}`,
    locale: "km",
    subscription: { plan: "pro", status: "active", periodStart: new Date(now - 31 * DAY), periodEnd: new Date(now + 3 * DAY) },
  });
  await createUser({ email: `accountant@${slug}.test`, locale: "en" });
  const accountant = await addMember(t, { email: `accountant@${slug}.test`, role: "accountant" });
  const manager = await addMember(t, { email: `manager@${slug}.test`, role: "manager" });
  const viewer = await addMember(t, { email: `viewer@${slug}.test`, role: "viewer" });
  const invoice = (await issueRenewalInvoice(t.tenantId))!;
  return { t, accountant, manager, viewer, invoice };
}

const run = (fn: unknown, name: string, data: Record<string, unknown>) =>
  new InngestTestEngine({ function: fn as never, events: [{ name, data }] as never }).execute();

describe("billing e-mails", () => {
  it("the invoice e-mail goes to every member who can manage billing, each in their language, and to nobody else", async () => {
    const { t, accountant, manager, viewer, invoice } = await workspace("bninv");
    const { result } = await run(billingInvoiceMail, "billing/invoice.issued", {
      tenantId: t.tenantId,
      invoiceId: invoice.id,
      number: invoice.number,
    });
    expect(result).toEqual({ queued: 2 });
    await flushDeliveries();
    // owner and accountant hold billing.manage; the manager and the viewer do not
    const recipients = mail.sent
      .filter((m) => m.tags?.kind === "billing_invoice_issued" && m.text.includes(invoice.number))
      .map((m) => m.to);
    expect(recipients.sort()).toEqual([accountant.email, t.owner.email].sort());
    expect(recipients).not.toContain(manager.email);
    expect(recipients).not.toContain(viewer.email);
    // the owner has no language of their own: the workspace's (km); the accountant chose English
    const ownerMail = mail.to(t.owner.email).find((m) => m.tags?.kind === "billing_invoice_issued")!;
    expect(ownerMail.subject).toContain("វិក្កយបត្រថ្មី");
    expect(ownerMail.text).toMatch(/49\.00/);
    expect(ownerMail.text).toContain(`${t.slug}.localhost`);
    const accountantMail = mail.to(accountant.email)[0]!;
    expect(accountantMail.subject).toBe(`New invoice ${invoice.number} — Workspace ${t.slug}`);
    expect(accountantMail.text).toContain("$49.00");
  });

  it("reminders say 'due on' before the date and 'overdue' after it; none for a paid invoice", async () => {
    const { t, invoice } = await workspace("bnrem");
    await run(billingReminderMail, "billing/invoice.reminder-due", { tenantId: t.tenantId, invoiceId: invoice.id, offsetDays: -3 });
    await run(billingReminderMail, "billing/invoice.reminder-due", { tenantId: t.tenantId, invoiceId: invoice.id, offsetDays: 1 });
    await flushDeliveries();
    const reminders = mail.to(t.owner.email).filter((m) => m.tags?.kind?.startsWith("billing_invoice_"));
    expect(reminders.map((m) => m.tags?.kind)).toEqual(["billing_invoice_reminder", "billing_invoice_overdue"]);
    expect(reminders.map((m) => m.subject)).toEqual([
      expect.stringContaining("រំលឹក"), // before: "Reminder: … due on"
      expect.stringContaining("ហួសកាលកំណត់"), // after: "… is overdue"
    ]);

    const { t: paidTenant, invoice: paid } = await workspace("bnrem2");
    const { platformDb } = await import("@/server/db/platform-db");
    await platformDb.run((tx) => tx.subscriptionInvoice.update({ where: { id: paid.id }, data: { status: "paid", paidAt: new Date() } }));
    const { result } = await run(billingReminderMail, "billing/invoice.reminder-due", {
      tenantId: paidTenant.tenantId,
      invoiceId: paid.id,
      offsetDays: 1,
    });
    expect(result).toEqual({ queued: 0 });
    await flushDeliveries();
    expect(mail.to(paidTenant.owner.email).filter((m) => m.tags?.kind?.startsWith("billing_invoice_"))).toEqual([]);
  });

  it("status e-mails follow the subscription: sent when it is in that state, not when it has moved on", async () => {
    const { t } = await workspace("bnstat");
    const sub = await setSubscription(t.tenantId, {
      plan: "pro",
      status: "suspended",
      periodStart: new Date(Date.now() - 40 * DAY),
      periodEnd: new Date(Date.now() - 10 * DAY),
      suspendedAt: new Date(Date.now() - DAY),
    });
    const suspended = await run(billingStatusMail, "billing/subscription.status-changed", {
      tenantId: t.tenantId,
      subscriptionId: sub.id,
      from: "past_due",
      to: "suspended",
    });
    expect(suspended.result).toEqual({ queued: 2 }); // owner and accountant
    await flushDeliveries();
    expect(mail.to(t.owner.email).filter((m) => m.tags?.kind === "billing_suspended")).toHaveLength(1);
    // an old "past due" event arriving late: the subscription is suspended now, so nothing goes out
    const stale = await run(billingStatusMail, "billing/subscription.status-changed", {
      tenantId: t.tenantId,
      subscriptionId: sub.id,
      from: "active",
      to: "past_due",
    });
    expect(stale.result).toEqual({ queued: 0 });
  });
});

describe("billing-cycle (Inngest cron)", () => {
  it("runs the billing cycle in one step and returns what it did", async () => {
    const { result, ctx } = await new InngestTestEngine({ function: billingCycle }).execute();
    expect(result).toEqual(
      expect.objectContaining({
        checked: expect.any(Number),
        renewalsIssued: expect.any(Number),
        suspended: expect.any(Number),
        errors: 0,
      }),
    );
    expect(ctx.step.run).toHaveBeenCalledWith("billing-cycle", expect.any(Function));
  });
});

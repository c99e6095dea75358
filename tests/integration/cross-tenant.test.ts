// Cross-tenant isolation of every tRPC procedure, generated from the router itself: a new
// tenant procedure without an entry in SAMPLES fails this file, so it cannot ship untested.
//
// For each tenant procedure (meta.scope === "tenant"):
//   (a) another tenant's session must not work here: A's owner's cookie on B's host is refused
//       (UNAUTHORIZED: sessions are bound to their host), and A's owner holding a genuine
//       session for B's host, without being a member of B, gets NOT_FOUND;
//   (b) B's owner on B's host naming A's ids gets NOT_FOUND (or, for reads that look nothing
//       up by id, an answer without any of A's data), and A's data is unchanged.
// For each admin procedure (meta.scope === "admin"): tenant owners get NOT_FOUND on their host
// and on the apex; a platform admin succeeds on the apex only.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import type { Meta } from "@/server/api/trpc";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import {
  addMember,
  createContract,
  createProperty,
  createRenter,
  createRentInvoice,
  createTenant,
  createUnit,
  createUser,
  enrolTotp,
  enrolmentLinkToken,
  issueRenewalInvoice,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { validateEnv } from "@/env";
import { issueSubscriptionInvoice, planLine } from "@/server/subscriptions/subscription-invoices";
// aliased: a "use…" name at the top level trips react-hooks/rules-of-hooks
import { khqrAttempt, useFakeBakong as fakeBakongForThisFile } from "./support/billing";
import { newTotpSecret, totpCode, totpStep } from "@/server/auth/totp-code";
import { hashPassword } from "@/server/auth/password";
import { newToken } from "@/server/auth/tokens";
import type { SessionClaims } from "@/server/auth/auth.public";
import { APEX, callPath, callerFor, expectTRPCError, hostOf, passMfa, sessionFor } from "./support/world";
import { MESSAGE_CATALOG } from "@/lib/notifications/catalog";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { settleBackgroundRuns } from "@/server/rent-invoices/rent-invoice-service";

interface World {
  a: CreatedTenant & {
    viewer: Member;
    admin: Member;
    invitationId: string;
    invitationEmail: string;
    customRoleId: string;
    billing: BillingIds;
    /** a failed message to `to` and a suppressed address (messages.*) */
    messages: { messageId: string; suppressionId: string; to: string; suppressed: string };
  };
  b: CreatedTenant & { member: Member };
  platformAdmin: { userId: string; email: string };
}
type Member = { userId: string; email: string; membershipId: string };
/** A's subscription invoices and KHQR attempts: one invoice to check out, another whose attempt the simulator pays */
type BillingIds = { invoiceId: string; paymentId: string; simInvoiceId: string; simPaymentId: string };

interface Sample {
  /** the input, naming tenant A's records */
  input: (w: World) => unknown;
  /**
   * What B's owner on B's host gets for that input: NOT_FOUND, or "no-leak" for a read that
   * looks nothing up by id (then the answer must not mention any of A's ids or emails, and
   * `check` may say more).
   */
  fromB: "NOT_FOUND" | "no-leak";
  check?: (result: unknown, w: World) => void;
}

const TEMPLATE_REF = { key: "rent.overdue", locale: "km" } as const;
const CONTRACT_TERMS = { startDate: "2026-01-01", rentAmount: 20_000, currency: "USD", billingDay: 3 } as const;

const SAMPLES: Record<string, Sample[]> = {
  // contracts and meter readings (slice C); ids in `cfx`, made in its own beforeAll
  "contracts.list": [
    { input: () => ({}), fromB: "no-leak" },
    {
      input: () => ({ propertyId: cfx.propertyId, status: "active", endingWithinDays: 60 }),
      fromB: "no-leak",
      check: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
    },
  ],
  "contracts.get": [{ input: () => ({ contractId: cfx.activeId }), fromB: "NOT_FOUND" }],
  "contracts.unitOptions": [
    { input: () => ({ propertyId: cfx.propertyId, includeUnitId: cfx.unitId }), fromB: "no-leak", check: (r) => expect(r).toEqual([]) },
  ],
  "contracts.renterOptions": [{ input: () => ({ includeRenterId: cfx.renterId, search: "Cross" }), fromB: "no-leak" }],
  "contracts.create": [{ input: () => ({ unitId: cfx.unitId, renterId: cfx.renterId, ...CONTRACT_TERMS }), fromB: "NOT_FOUND" }],
  "contracts.update": [
    { input: () => ({ contractId: cfx.draftId, unitId: cfx.unitId, renterId: cfx.renterId, ...CONTRACT_TERMS }), fromB: "NOT_FOUND" },
  ],
  "contracts.deleteDraft": [{ input: () => ({ contractId: cfx.deletableId }), fromB: "NOT_FOUND" }],
  "contracts.activate": [{ input: () => ({ contractId: cfx.activatableId }), fromB: "NOT_FOUND" }],
  "contracts.end": [{ input: () => ({ contractId: cfx.endableId, date: "2026-06-30", depositOutcome: "returned" }), fromB: "NOT_FOUND" }],
  "contracts.terminate": [
    {
      input: () => ({ contractId: cfx.terminableId, date: "2026-03-31", depositOutcome: "returned", reason: "cross" }),
      fromB: "NOT_FOUND",
    },
  ],
  "contracts.attachScan": [{ input: () => ({ contractId: cfx.draftId, fileId: cfx.scanFileId }), fromB: "NOT_FOUND" }],
  "readings.grid": [{ input: () => ({ propertyId: cfx.propertyId, period: "2026-01" }), fromB: "NOT_FOUND" }],
  "readings.upsert": [{ input: () => ({ unitId: cfx.unitId, kind: "water", period: "2026-01", reading: 10 }), fromB: "NOT_FOUND" }],
  "readings.saveGrid": [
    {
      input: () => ({ propertyId: cfx.propertyId, period: "2026-02", entries: [{ unitId: cfx.unitId, kind: "water", reading: 12 }] }),
      fromB: "NOT_FOUND",
    },
  ],
  // rent invoices, charges and invoice runs (slice I); ids in `ipx`, made in its own beforeAll
  "rentInvoices.list": [
    {
      input: () => ({ propertyId: ipx.propertyId }),
      fromB: "no-leak",
      check: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
    },
  ],
  "rentInvoices.propertyOptions": [
    { input: () => undefined, fromB: "no-leak", check: (r) => expect(JSON.stringify(r)).not.toContain("Invoice run house") },
  ],
  "rentInvoices.get": [{ input: () => ({ invoiceId: ipx.invoiceId }), fromB: "NOT_FOUND" }],
  "rentInvoices.void": [{ input: () => ({ invoiceId: ipx.voidInvoiceId, reason: "cross-tenant" }), fromB: "NOT_FOUND" }],
  "rentInvoices.addCharge": [{ input: () => ({ contractId: ipx.contractId, description: "Repair", amount: 100 }), fromB: "NOT_FOUND" }],
  "rentInvoices.pendingCharges": [{ input: () => ({ contractId: ipx.contractId }), fromB: "no-leak", check: (r) => expect(r).toEqual([]) }],
  "rentInvoices.startRun": [{ input: () => ({ propertyId: ipx.propertyId }), fromB: "NOT_FOUND" }],
  "rentInvoices.run": [{ input: () => ({ runId: ipx.runId }), fromB: "NOT_FOUND" }],
  "rentInvoices.runs": [{ input: () => ({ propertyId: ipx.propertyId }), fromB: "no-leak", check: (r) => expect(r).toEqual([]) }],
  // rent payments, ledger and pay links (slice Y); ids in `ypx`, made in its own beforeAll
  "rentPayments.record": [
    { input: () => ({ invoiceId: ypx.invoiceId, method: "cash", amount: 100, reference: "", paidOn: "2026-01-02" }), fromB: "NOT_FOUND" },
  ],
  "rentPayments.forInvoice": [{ input: () => ({ invoiceId: ypx.invoiceId }), fromB: "NOT_FOUND" }],
  "rentPayments.list": [
    { input: () => ({}), fromB: "no-leak", check: (r) => expect(r).toMatchObject({ items: [], totals: [] }) },
    {
      input: () => ({ status: "pending", search: "R-" }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ items: [], totals: [] }),
    },
  ],
  "rentPayments.ledger": [{ input: () => ({ contractId: ypx.contractId }), fromB: "NOT_FOUND" }],
  "rentPayments.payLink": [{ input: () => ({ invoiceId: ypx.invoiceId }), fromB: "NOT_FOUND" }],
  "rentPayments.rotatePayLink": [{ input: () => ({ invoiceId: ypx.linkInvoiceId }), fromB: "NOT_FOUND" }],
  "rentPayments.revokePayLink": [{ input: () => ({ invoiceId: ypx.linkInvoiceId }), fromB: "NOT_FOUND" }],
  // properties, units, photos and the workspace logo (slice P); ids in `pfx`, made in its own beforeAll
  "files.tenantLogo": [{ input: () => undefined, fromB: "no-leak" }],
  "files.setTenantLogo": [{ input: () => ({ fileId: pfx.logoFileId }), fromB: "NOT_FOUND" }],
  "properties.list": [
    { input: () => ({}), fromB: "no-leak", check: (r) => expect(JSON.stringify(r)).not.toMatch(/Riverside|Old shop/) },
    { input: () => ({ archived: true, search: "Riverside" }), fromB: "no-leak" },
  ],
  "properties.get": [{ input: () => ({ propertyId: pfx.propertyId }), fromB: "NOT_FOUND" }],
  "properties.options": [
    { input: () => undefined, fromB: "no-leak", check: (r) => expect(JSON.stringify(r)).not.toMatch(/Riverside|Old shop/) },
  ],
  "properties.create": [
    { input: () => ({ name: `Tower ${Math.random().toString(36).slice(2, 8)}`, type: "apartment_building" }), fromB: "no-leak" },
  ],
  "properties.update": [{ input: () => ({ propertyId: pfx.propertyId, name: "Riverside renamed", type: "house" }), fromB: "NOT_FOUND" }],
  "properties.archive": [{ input: () => ({ propertyId: pfx.archivablePropertyId }), fromB: "NOT_FOUND" }],
  "properties.restore": [{ input: () => ({ propertyId: pfx.archivedPropertyId }), fromB: "NOT_FOUND" }],
  "properties.addPhoto": [
    { input: () => ({ propertyId: pfx.propertyId, fileId: pfx.freeFileId }), fromB: "NOT_FOUND" },
    // B's own property with A's file
    { input: () => ({ propertyId: pfx.bPropertyId, fileId: pfx.freeFileId }), fromB: "NOT_FOUND" },
  ],
  "properties.removePhoto": [{ input: () => ({ photoId: pfx.removablePhotoId }), fromB: "NOT_FOUND" }],
  "properties.makeCover": [{ input: () => ({ photoId: pfx.coverPhotoId }), fromB: "NOT_FOUND" }],
  "properties.units": [
    { input: () => ({}), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    {
      input: () => ({ propertyId: pfx.propertyId, status: "vacant" }),
      fromB: "no-leak",
      check: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
    },
  ],
  "properties.unit": [{ input: () => ({ unitId: pfx.unitId }), fromB: "NOT_FOUND" }],
  "properties.createUnit": [
    {
      input: () => ({ propertyId: pfx.propertyId, code: `Z-${Math.random().toString(36).slice(2, 7)}`, baseRent: 15000 }),
      fromB: "NOT_FOUND",
    },
  ],
  "properties.updateUnit": [{ input: () => ({ unitId: pfx.unitId, code: "A-101", baseRent: 16000, currency: "USD" }), fromB: "NOT_FOUND" }],
  "properties.archiveUnit": [{ input: () => ({ unitId: pfx.spareUnitId }), fromB: "NOT_FOUND" }],
  "properties.restoreUnit": [{ input: () => ({ unitId: pfx.archivedUnitId }), fromB: "NOT_FOUND" }],
  // renters and CSV import (slice R); ids in `rfx`, made in its own beforeAll
  "renters.list": [
    { input: () => ({ search: "Cross Renter" }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    { input: () => ({ search: rfx.phone }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
  ],
  "renters.get": [{ input: () => ({ renterId: rfx.renterId }), fromB: "NOT_FOUND" }],
  "renters.options": [{ input: () => ({ search: "Cross Renter" }), fromB: "no-leak", check: (r) => expect(r).toEqual([]) }],
  "renters.create": [{ input: () => ({ nameLatin: "Cross Created", phone: crossPhone() }), fromB: "no-leak" }],
  "renters.update": [{ input: () => ({ renterId: rfx.renterId, nameLatin: "Cross Renter edited", phone: rfx.phone }), fromB: "NOT_FOUND" }],
  "renters.setIdDocument": [
    { input: () => ({ renterId: rfx.renterId, fileId: rfx.idFileId }), fromB: "NOT_FOUND" },
    // B's own renter with A's file
    { input: () => ({ renterId: rfx.bRenterId, fileId: rfx.idFileId }), fromB: "NOT_FOUND" },
  ],
  "renters.archive": [{ input: () => ({ renterId: rfx.archivableRenterId }), fromB: "NOT_FOUND" }],
  "renters.restore": [{ input: () => ({ renterId: rfx.archivedRenterId }), fromB: "NOT_FOUND" }],
  // erasure (issue 14): a renter of A without contracts, erasable at once; in `efx`
  "renters.erase": [{ input: () => ({ renterId: efx.renterId, phone: efx.phone }), fromB: "NOT_FOUND" }],
  // a renter's Telegram link and message channel (issue 18; the bot is configured for this file below)
  "telegram.status": [{ input: () => ({ renterId: rfx.renterId }), fromB: "NOT_FOUND" }],
  "telegram.createLink": [{ input: () => ({ renterId: rfx.renterId }), fromB: "NOT_FOUND" }],
  "telegram.unlink": [{ input: () => ({ renterId: rfx.renterId }), fromB: "NOT_FOUND" }],
  "telegram.setChannel": [{ input: () => ({ renterId: rfx.renterId, channel: "both" }), fromB: "NOT_FOUND" }],
  // the workspace's own bot: B's call sets B's bot (a different bot each call: one workspace per bot)
  "telegram.botSettings": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toHaveProperty("linkedRenters") }],
  "telegram.saveBot": [
    {
      input: () => ({ token: WALK_BOT_TOKENS[walkBotTurn++ % WALK_BOT_TOKENS.length]! }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ own: { username: "phteah_local_bot" } }),
    },
  ],
  "telegram.removeBot": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toMatchObject({ own: null }) }],
  // workspace deletion (issue 14): A's owner really closes A in the "works" check; the beforeEach below reopens it
  "workspaceDeletion.status": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toMatchObject({ status: "active" }) }],
  "workspaceDeletion.close": [{ input: (w) => ({ slug: w.a.slug, password: OWNER_PASSWORD }), fromB: "NOT_FOUND" }],
  // account deletion (issue 14): the caller's own account only; A's owner owns A, so the "works" check is refused by value
  "accountDeletion.delete": [{ input: (w) => ({ email: w.a.owner.email, password: OWNER_PASSWORD }), fromB: "NOT_FOUND" }],
  "workspaceDeletion.restore": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toEqual({ status: "active" }) }],
  "imports.previewRenters": [
    {
      // A's renter's phone is free in B: B's preview sees none of A's renters
      input: () => ({ csv: `name_latin,phone\nCross Import,${rfx.phone}\n` }),
      fromB: "no-leak",
      check: (r) => expect((r as { invalidCount: number }).invalidCount).toBe(0),
    },
  ],
  "imports.commitRenters": [{ input: () => ({ csv: `name_latin,phone\nCross Import,${crossPhone()}\n` }), fromB: "no-leak" }],
  "imports.previewUnits": [
    {
      // A's property does not exist for B
      input: () => ({ csv: "property,code,base_rent\nRiverside,X-1,100\n" }),
      fromB: "no-leak",
      check: (r) => expect(JSON.stringify(r)).toContain("imports.errors.propertyNotFound"),
    },
  ],
  "imports.commitUnits": [
    {
      input: () => ({ csv: `property,code,base_rent\nRiverside,X-${Math.random().toString(36).slice(2, 7)},100\n` }),
      fromB: "no-leak",
      check: (r) => expect((r as { status: string }).status).toBe("invalid"),
    },
  ],
  "members.remove": [
    { input: (w) => ({ membershipId: w.a.viewer.membershipId }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.a.owner.membershipId }), fromB: "NOT_FOUND" },
  ],
  "members.transferOwnership": [{ input: (w) => ({ membershipId: w.a.admin.membershipId }), fromB: "NOT_FOUND" }],
  "members.invitations": [{ input: () => undefined, fromB: "no-leak" }],
  "members.invite": [
    // A's role id does not exist in B
    { input: (w) => ({ email: `someone@${w.b.slug}.test`, roleId: w.a.roles.viewer }), fromB: "NOT_FOUND" },
    { input: (w) => ({ email: `x@${w.b.slug}.test`, roleId: w.a.customRoleId }), fromB: "NOT_FOUND" },
  ],
  "members.resendInvitation": [{ input: (w) => ({ invitationId: w.a.invitationId }), fromB: "NOT_FOUND" }],
  "members.revokeInvitation": [{ input: (w) => ({ invitationId: w.a.invitationId }), fromB: "NOT_FOUND" }],
  "roles.list": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r, w) =>
        expect(
          (r as { id: string }[]).every(
            (role) => Object.values(w.b.roles).includes(role.id) || !Object.values(w.a.roles).includes(role.id),
          ),
        ).toBe(true),
    },
  ],
  "roles.create": [{ input: () => ({ name: "Cross check", permissions: ["workspace.view"] }), fromB: "no-leak" }],
  "roles.update": [
    {
      input: (w) => ({ roleId: w.a.customRoleId, name: "Hijacked", permissions: ["workspace.view", "members.manage"] }),
      fromB: "NOT_FOUND",
    },
    { input: (w) => ({ roleId: w.a.roles.viewer, name: "Hijacked", permissions: ["workspace.view"] }), fromB: "NOT_FOUND" },
  ],
  "roles.delete": [{ input: (w) => ({ roleId: w.a.customRoleId }), fromB: "NOT_FOUND" }],
  "workspace.current": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r, w) => expect(r).toMatchObject({ tenant: { slug: w.b.slug }, me: { userId: w.b.owner.userId, role: "owner" } }),
    },
  ],
  // workspace settings (Tenant row of the host's workspace; no ids in the input)
  "workspaceSettings.get": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toHaveProperty("rentReminderDays") }],
  "workspaceSettings.update": [
    {
      input: () => ({ name: "Cross-tenant settings", locale: "en", bakongAccountId: "", rentReminderDays: [-3, 1, 7] }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ name: "Cross-tenant settings", bakongAccountId: null }),
    },
  ],
  "workspaceSettings.paymentInstructions": [
    { input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toHaveProperty("bankName") },
  ],
  "workspaceSettings.updatePaymentInstructions": [
    {
      input: () => ({ bankName: "Cross-tenant bank", accountName: "", accountNumber: "", phone: "" }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ bankName: "Cross-tenant bank", accountNumber: null }),
    },
  ],
  // exchange rates (docs/CURRENCY.md): the host's workspace's own history, no ids in the input
  "exchangeRates.list": [{ input: () => ({ limit: 10 }), fromB: "no-leak", check: (r) => expect(r).toHaveProperty("rows") }],
  "exchangeRates.invoiceEquivalent": [{ input: () => ({ invoiceId: ipx.invoiceId }), fromB: "NOT_FOUND" }],
  "exchangeRates.set": [
    {
      input: () => ({ effectiveDate: "2026-10-01", khrPerUsd: 4123 }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ effectiveDate: "2026-10-01", khrPerUsd: 4123, source: "manual" }),
    },
  ],
  "members.list": [
    { input: (w) => ({ search: w.a.viewer.email }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    {
      input: (w) => ({ cursor: w.a.owner.membershipId, limit: 100 }),
      fromB: "no-leak",
      check: (r, w) =>
        // a foreign cursor must not page into A; at most B's own rows come back
        expect(
          (r as { items: { id: string }[] }).items.every((m) => [w.b.owner.membershipId, w.b.member.membershipId].includes(m.id)),
        ).toBe(true),
    },
  ],
  "members.roles": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r, w) => expect((r as { id: string }[]).map((x) => x.id).sort()).toEqual(Object.values(w.b.roles).sort()),
    },
  ],
  "members.changeRole": [
    { input: (w) => ({ membershipId: w.a.viewer.membershipId, roleId: w.a.roles.admin }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.a.viewer.membershipId, roleId: w.b.roles.admin }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.b.member.membershipId, roleId: w.a.roles.owner }), fromB: "NOT_FOUND" },
  ],
  "members.setStatus": [
    { input: (w) => ({ membershipId: w.a.viewer.membershipId, status: "deactivated" }), fromB: "NOT_FOUND" },
    { input: (w) => ({ membershipId: w.a.admin.membershipId, status: "deactivated" }), fromB: "NOT_FOUND" },
  ],
  // account.*: the caller's own user and sessions only (a beforeEach below restores them)
  "account.profile": [{ input: () => undefined, fromB: "no-leak", check: (r, w) => expect(r).toMatchObject({ userId: w.b.owner.userId }) }],
  "account.updateProfile": [
    {
      input: () => ({ name: "Renamed By Sample" }),
      fromB: "no-leak",
      check: (r, w) => expect(r).toMatchObject({ userId: w.b.owner.userId }),
    },
  ],
  "account.setLocale": [
    {
      input: () => ({ locale: "en" }),
      fromB: "no-leak",
      check: (r, w) => expect(r).toMatchObject({ userId: w.b.owner.userId, locale: "en" }),
    },
  ],
  "account.changePassword": [
    {
      input: () => ({ currentPassword: OWNER_PASSWORD, newPassword: "cross-tenant-new-password" }),
      fromB: "no-leak",
      check: (r) => expect(r).toEqual({ revokedSessions: expect.any(Number) }),
    },
  ],
  "account.sessions": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r) => {
        const ids = (r as { id: string }[]).map((s) => s.id);
        expect(ids).toContain(claims.bOwnerOnB.sid);
        for (const sid of [claims.aOwnerOnA.sid, claims.aOwnerOnB.sid, claims.aOwnerOnApex.sid]) expect(ids).not.toContain(sid);
      },
    },
  ],
  "account.revokeSession": [
    { input: () => ({ id: claims.aOwnerOnB.sid }), fromB: "NOT_FOUND" },
    { input: () => ({ id: claims.aOwnerOnA.sid }), fromB: "NOT_FOUND" },
  ],
  "account.signOutEverywhere": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toEqual({ revokedSessions: 1 }) }],
  "dashboard.summary": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ occupancy: { total: 0 }, rentDue: [], overdue: [] }),
    },
  ],
  // B's own steps only: A's units, contracts, readings and invoices tick nothing off here (B has
  // none of those; B's renters may come from renters.create's own sample)
  "dashboard.checklist": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r) => {
        const done = Object.fromEntries((r as { steps: { key: string; done: boolean }[] }).steps.map((s) => [s.key, s.done]));
        expect(done).toMatchObject({ units: false, contracts: false, readings: false, invoices: false });
      },
    },
  ],
  "dashboard.dismissChecklist": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toEqual({ dismissed: true }) }],
  "audit.list": [
    { input: (w) => ({ actor: w.a.owner.userId }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    {
      input: (w) => ({ q: w.a.owner.email, limit: 100 }),
      fromB: "no-leak",
      check: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
    },
  ],
  // billing.*: B's own subscription only; A's invoice and payment ids are NOT_FOUND
  "billing.entitlements": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r) => expect((r as { plan: { code: string } }).plan.code).toEqual(expect.any(String)),
    },
  ],
  "billing.overview": [
    {
      input: () => undefined,
      fromB: "no-leak",
      check: (r) => expect((r as { openInvoices: unknown[] }).openInvoices).toEqual([]),
    },
  ],
  "billing.invoices": [
    { input: () => ({ limit: 100 }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    {
      input: (w) => ({ cursor: w.a.billing.invoiceId, limit: 100 }),
      fromB: "no-leak",
      check: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
    },
  ],
  // A and B both start with a change scheduled (beforeAll), so either order of these two works
  "billing.changePlan": [
    {
      input: () => ({ planCode: "pro", interval: "year" }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ kind: "scheduled" }),
    },
  ],
  "billing.cancelScheduledChange": [
    { input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toMatchObject({ kind: "canceled" }) },
  ],
  "billing.checkout": [{ input: (w) => ({ invoiceId: w.a.billing.invoiceId }), fromB: "NOT_FOUND" }],
  "billing.payment": [{ input: (w) => ({ paymentId: w.a.billing.paymentId }), fromB: "NOT_FOUND" }],
  "billingSimulator.pay": [{ input: (w) => ({ paymentId: w.a.billing.simPaymentId }), fromB: "NOT_FOUND" }],
  // messages.*: A's message and suppression ids are NOT_FOUND from B; B's lists hold B's rows only
  "messages.list": [
    { input: (w) => ({ search: w.a.messages.to }), fromB: "no-leak", check: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    { input: () => ({ status: "failed", limit: 100 }), fromB: "no-leak" },
  ],
  "messages.get": [{ input: (w) => ({ messageId: w.a.messages.messageId }), fromB: "NOT_FOUND" }],
  "messages.retry": [{ input: (w) => ({ messageId: w.a.messages.messageId }), fromB: "NOT_FOUND" }],
  "messages.suppressions": [
    {
      input: (w) => ({ search: w.a.messages.suppressed }),
      fromB: "no-leak",
      check: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
    },
  ],
  "messages.liftSuppression": [{ input: (w) => ({ suppressionId: w.a.messages.suppressionId }), fromB: "NOT_FOUND" }],
  "messages.suppress": [
    {
      input: () => ({ address: `${uniqueSlug("stop")}@example.test` }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ reason: "manual", address: expect.stringMatching(/^stop-/) }),
    },
  ],
  // templates.*: keyed by message key + locale, never by id; B only ever sees and changes its own overrides
  // 15 keys × 2 languages (rent.receipt and renter.telegram_linked included): the security messages
  // (password reset, invitation) are not the workspace's to override
  "templates.list": [{ input: () => undefined, fromB: "no-leak", check: (r) => expect(r).toHaveLength(30) }],
  "templates.get": [
    { input: () => TEMPLATE_REF, fromB: "no-leak", check: (r) => expect(r).toMatchObject({ key: "rent.overdue", canEdit: true }) },
  ],
  "templates.save": [
    {
      input: () => ({ ...TEMPLATE_REF, subject: "Cross-tenant {{number}}", body: "Sample" }),
      fromB: "no-leak",
      check: (r) => expect(r).toMatchObject({ overridden: true, source: "tenant" }),
    },
  ],
  "templates.reset": [{ input: () => TEMPLATE_REF, fromB: "no-leak", check: (r) => expect(r).toMatchObject({ overridden: false }) }],
  "templates.preview": [
    {
      input: () => ({ ...TEMPLATE_REF, subject: "Preview {{number}}", body: "Body" }),
      fromB: "no-leak",
      check: (r, w) => expect(r).toMatchObject({ subject: "Preview R-2026-0118", html: expect.stringContaining(w.b.slug) }),
    },
  ],
};

// billing.checkout needs a Bakong API and billingSimulator.pay the simulator: the local fake
fakeBakongForThisFile();
// telegram.createLink needs the bot's settings (it only writes the link; no Bot API call is made)
const TELEGRAM_ENV = {
  TELEGRAM_BOT_TOKEN: "123456789:cross-tenant-walk-token-000000",
  TELEGRAM_BOT_USERNAME: "phteah_walk_bot",
  TELEGRAM_WEBHOOK_SECRET: "cross-tenant-walk-webhook-secret",
  TELEGRAM_API_ROOT: "http://127.0.0.1:9",
} as const;
beforeAll(() => {
  process.env.BAKONG_SIMULATOR = "1";
  Object.assign(process.env, TELEGRAM_ENV);
  validateEnv();
});
// telegram.saveBot validates the token with getMe and sets the bot's webhook: a local fake Bot API
// that knows a few bots (the token's digits are its id)
const WALK_BOT_TOKENS = Array.from({ length: 24 }, (_, i) => `55500${String(i).padStart(4, "0")}:cross-tenant-walk-own-bot-token-${i}-xyz`);
let walkBotTurn = 0;
let walkTelegram: FakeTelegram | undefined;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "cross-tenant-auth-secret-cross-tenant-auth-secret"; // encrypts the bot token at rest
  walkTelegram = await startFakeTelegram();
  for (const token of WALK_BOT_TOKENS) walkTelegram.addBot(token, "phteah_local_bot");
  process.env.TELEGRAM_API_ROOT = walkTelegram.url;
  validateEnv();
});
afterAll(() => walkTelegram?.close());
afterAll(() => {
  delete process.env.BAKONG_SIMULATOR;
  for (const k of Object.keys(TELEGRAM_ENV)) delete process.env[k];
  validateEnv();
});

/** Open invoices and pending KHQR attempts of A, and a scheduled plan change in A and B. */
async function billingFixture(a: CreatedTenant, b: CreatedTenant): Promise<BillingIds> {
  const renewal = await issueRenewalInvoice(a.tenantId);
  const checkout = await new TenantDb(a.tenantId).run(async (tx) => {
    const sub = await tx.subscription.findFirstOrThrow({ include: { plan: true } });
    const now = new Date();
    const end = new Date(now.getTime() + 365 * 86_400_000);
    return issueSubscriptionInvoice(tx, {
      sub,
      plan: sub.plan,
      kind: "plan_change",
      interval: "year",
      periodStart: now,
      periodEnd: end,
      amount: sub.plan.priceYearlyUsd,
      lines: [planLine(sub.plan, "year", sub.plan.priceYearlyUsd, now, end)],
      dueAt: now,
      now,
    });
  });
  if (!renewal || !checkout) throw new Error("no invoices for A");
  for (const t of [a, b]) {
    await new TenantDb(t.tenantId).run(async (tx) => {
      const sub = await tx.subscription.findFirstOrThrow();
      await tx.subscription.update({ where: { id: sub.id }, data: { pendingPlanId: sub.planId, pendingInterval: "year" } });
    });
  }
  return {
    invoiceId: checkout.id,
    paymentId: (await khqrAttempt(a.tenantId, checkout)).id,
    simInvoiceId: renewal.id,
    simPaymentId: (await khqrAttempt(a.tenantId, renewal)).id,
  };
}

interface AdminSample {
  input: (w: World) => unknown;
  /** false for the 2FA steps themselves (adminMfaPendingProcedure) */
  needsMfa?: boolean;
  /**
   * For procedures whose success depends on the admin's 2FA state (not enrolled, enrolment
   * pending, …): a fresh platform admin in that state; its apex session and the input replace
   * the shared admin and `input` in the two tests where the call gets through the gate.
   */
  prepare?: (opts: { mfaPassed: boolean }) => Promise<{ claims: SessionClaims; input: unknown }>;
  /** what a platform admin on the apex gets */
  check: (result: unknown, w: World) => void;
}

/** A fresh admin plus something to act on that no other test uses (suspension, locks, resets). */
async function freshTarget<T>(mfaPassed: boolean, make: () => Promise<T>): Promise<{ claims: SessionClaims; input: T }> {
  return { claims: (await mfaAdmin({ mfaPassed })).claims, input: await make() };
}

const ADMIN_SAMPLES: Record<string, AdminSample> = {
  "admin.tenant": {
    input: (w) => ({ tenantId: w.a.tenantId }),
    check: (r, w) => expect(r).toMatchObject({ id: w.a.tenantId, slug: w.a.slug, members: 3, memberList: expect.any(Array) }),
  },
  "admin.suspendTenant": {
    input: (w) => ({ tenantId: w.a.tenantId, reason: "sample" }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => ({ tenantId: (await createTenant({ slug: uniqueSlug("susp") })).tenantId, reason: "unpaid" })),
    check: (r) => expect(r).toMatchObject({ status: "suspended" }),
  },
  "admin.reactivateTenant": {
    input: (w) => ({ tenantId: w.a.tenantId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => ({ tenantId: (await createTenant({ slug: uniqueSlug("react"), status: "suspended" })).tenantId })),
    check: (r) => expect(r).toMatchObject({ status: "active" }),
  },
  "admin.restoreClosedTenant": {
    input: (w) => ({ tenantId: w.a.tenantId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => {
        const t = await createTenant({ slug: uniqueSlug("closed") });
        await platformDb.run((tx) =>
          tx.tenant.update({
            where: { id: t.tenantId },
            data: { status: "closed", closedAt: new Date(), deleteAfter: new Date(Date.now() + 30 * 24 * 3600_000) },
          }),
        );
        return { tenantId: t.tenantId };
      }),
    check: (r) => expect(r).toEqual({ status: "active" }),
  },
  "admin.impersonate": {
    input: (w) => ({ tenantId: w.a.tenantId, membershipId: w.a.viewer.membershipId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => {
        const slug = uniqueSlug("imp");
        const t = await createTenant({ slug });
        const m = await addMember(t, { email: `m@${slug}.test`, role: "manager" });
        return { tenantId: t.tenantId, membershipId: m.membershipId };
      }),
    check: (r) => expect((r as { url: string }).url).toMatch(/\/auth\/handoff\?token=/),
  },
  "admin.users": {
    input: (w) => ({ search: w.a.owner.email }),
    check: (r, w) => expect((r as { items: { id: string }[] }).items.map((u) => u.id)).toEqual([w.a.owner.userId]),
  },
  "admin.lockUser": {
    input: (w) => ({ userId: w.a.viewer.userId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => ({ userId: (await createUser({ email: `${uniqueSlug("lock")}@example.test` })).id })),
    check: (r) => expect(r).toMatchObject({ locked: true }),
  },
  "admin.unlockUser": {
    input: (w) => ({ userId: w.a.viewer.userId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => {
        const u = await createUser({ email: `${uniqueSlug("unlock")}@example.test` });
        await platformDb.run((tx) => tx.user.update({ where: { id: u.id }, data: { lockedAt: new Date() } }));
        return { userId: u.id };
      }),
    check: (r) => expect(r).toMatchObject({ locked: false }),
  },
  "admin.forcePasswordReset": {
    input: (w) => ({ userId: w.a.viewer.userId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => ({ userId: (await createUser({ email: `${uniqueSlug("reset")}@example.test` })).id })),
    // no workspace and not an admin: nowhere to send a link, but the reset is forced
    check: (r) => expect(r).toMatchObject({ emailed: false }),
  },
  "admin.audit.list": {
    input: (w) => ({ tenant: w.a.slug, limit: 100 }),
    check: (r, w) =>
      expect((r as { items: { tenant: { slug: string } | null }[] }).items.every((row) => row.tenant?.slug === w.a.slug)).toBe(true),
  },
  "admin.tenants": {
    input: (w) => ({ search: w.a.slug }),
    check: (r, w) =>
      expect((r as { items: unknown[] }).items).toEqual([expect.objectContaining({ id: w.a.tenantId, slug: w.a.slug, members: 3 })]),
  },
  "admin.jobs": {
    input: () => undefined,
    check: (r) =>
      expect((r as { id: string }[]).map((j) => j.id).sort()).toEqual([
        "backup",
        "bakong-reconciliation",
        "billing-cycle",
        "cleanup",
        "contract-expiring",
        "exchange-rates",
        "message-retry",
        "outbox-relay",
        "rent-invoice-run",
        "rent-overdue",
        "retention",
        "workspace-deletion",
      ]),
  },
  "admin.runJob": {
    // cleanup only touches expired rows, so running it here cannot disturb parallel tests
    input: () => ({ id: "cleanup" }),
    check: (r) => expect(r).toMatchObject({ id: "cleanup", result: { tokens: expect.any(Number), sessions: expect.any(Number) } }),
  },
  "mfa.status": {
    input: () => undefined,
    needsMfa: false,
    check: (r) => expect(r).toMatchObject({ enrolled: false, verified: true }),
  },
  "mfa.requestEnrolmentLink": {
    input: () => undefined,
    needsMfa: false,
    prepare: async ({ mfaPassed }) => ({ claims: (await mfaAdmin({ mfaPassed })).claims, input: undefined }),
    check: (r) => expect(r).toEqual({ sent: true }),
  },
  "mfa.enrolmentLinkValid": {
    input: () => ({ enrolmentToken: "not-a-token" }),
    needsMfa: false,
    check: (r) => expect(r).toEqual({ valid: false }),
  },
  "mfa.startEnrollment": {
    input: () => ({ enrolmentToken: "not-a-token" }),
    needsMfa: false,
    prepare: async ({ mfaPassed }) => {
      const { claims, userId } = await mfaAdmin({ mfaPassed });
      return { claims, input: { enrolmentToken: await enrolmentLinkToken(userId) } };
    },
    check: (r) => expect(r).toMatchObject({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), qrSvg: expect.stringContaining("<svg") }),
  },
  "mfa.confirmEnrollment": {
    input: () => ({ code: "123456", enrolmentToken: "not-a-token" }),
    needsMfa: false,
    prepare: async ({ mfaPassed }) => {
      const { claims, userId } = await mfaAdmin({ mfaPassed });
      const enrolmentToken = await enrolmentLinkToken(userId);
      const { secret } = await (await callerFor(APEX, claims)).mfa.startEnrollment({ enrolmentToken });
      return { claims, input: { code: totpCode(secret, totpStep(new Date())), enrolmentToken } };
    },
    check: (r) => expect((r as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10),
  },
  "mfa.verify": {
    input: () => ({ code: "123456" }),
    needsMfa: false,
    prepare: async ({ mfaPassed }) => {
      const { claims, secret } = await mfaAdmin({ enrolled: true, mfaPassed });
      return { claims, input: { code: totpCode(secret, totpStep(new Date())) } };
    },
    check: (r) => expect(r).toEqual({ method: "totp" }),
  },
  "mfa.regenerateRecoveryCodes": {
    input: () => ({ code: "123456" }),
    prepare: async ({ mfaPassed }) => {
      const { claims, secret } = await mfaAdmin({ enrolled: true, mfaPassed });
      return { claims, input: { code: totpCode(secret, totpStep(new Date())) } };
    },
    check: (r) => expect((r as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10),
  },
  "admin.flags.list": {
    input: () => ({}),
    prepare: ({ mfaPassed }) => flagSample({ mfaPassed }, () => ({ status: "all" })),
    check: (r) =>
      expect(r).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: expect.stringMatching(/^xf-/), overrides: 0, isExpired: false })]),
      ),
  },
  "admin.flags.get": {
    input: () => ({ key: "xf-sample" }),
    prepare: ({ mfaPassed }) => flagSample({ mfaPassed, override: true }, (key) => ({ key })),
    check: (r, w) =>
      expect(r).toMatchObject({ overrides: 1, overrideList: [{ tenantId: w.a.tenantId, tenantSlug: w.a.slug, enabled: true }] }),
  },
  "admin.flags.create": {
    input: () => ({ key: uniqueSlug("xf"), description: "sample", owner: "tests", expiresAt: new Date(Date.now() + 86_400_000) }),
    check: (r) => expect(r).toMatchObject({ key: expect.stringMatching(/^xf-/), owner: "tests", defaultEnabled: false }),
  },
  "admin.flags.update": {
    input: () => ({ key: "xf-sample", description: "changed", owner: "tests", expiresAt: new Date(), defaultEnabled: true }),
    prepare: ({ mfaPassed }) =>
      flagSample({ mfaPassed }, (key) => ({ key, description: "changed", owner: "tests", expiresAt: new Date(), defaultEnabled: true })),
    check: (r) => expect(r).toMatchObject({ description: "changed", defaultEnabled: true }),
  },
  "admin.flags.delete": {
    input: () => ({ key: "xf-sample" }),
    prepare: ({ mfaPassed }) => flagSample({ mfaPassed, override: true }, (key) => ({ key })),
    check: (r) => expect(r).toEqual({ key: expect.stringMatching(/^xf-/), overridesRemoved: 1 }),
  },
  "admin.flags.setOverride": {
    input: (w) => ({ key: "xf-sample", tenant: w.a.slug, enabled: true }),
    prepare: ({ mfaPassed }) => flagSample({ mfaPassed }, (key) => ({ key, tenant: w.a.slug, enabled: true })),
    check: (r, w) => expect(r).toMatchObject({ tenantSlug: w.a.slug, enabled: true, changed: true }),
  },
  "admin.flags.clearOverride": {
    input: (w) => ({ key: "xf-sample", tenant: w.a.slug }),
    prepare: ({ mfaPassed }) => flagSample({ mfaPassed, override: true }, (key) => ({ key, tenant: w.a.tenantId })),
    check: (r, w) => expect(r).toMatchObject({ tenantSlug: w.a.slug, cleared: true }),
  },
  // adminBilling.*: reads across tenants; the writes act on fresh records of their own
  "adminBilling.plans": {
    input: () => undefined,
    check: (r) => expect((r as { code: string }[]).map((p) => p.code)).toEqual(expect.arrayContaining(["free", "starter", "pro"])),
  },
  "adminBilling.updatePlan": {
    input: () => ({ ...PLAN_EDIT, planId: "00000000-0000-4000-8000-000000000000" }),
    prepare: ({ mfaPassed }) => freshTarget(mfaPassed, async () => ({ ...PLAN_EDIT, planId: (await samplePlan()).id })),
    check: (r) => expect(r).toMatchObject({ name: "Sample edited", priceMonthlyUsd: 1234, limits: { properties: null } }),
  },
  "adminBilling.subscriptions": {
    input: (w) => ({ search: w.a.slug }),
    check: (r, w) => expect((r as { items: { tenant: { id: string } }[] }).items.map((s) => s.tenant.id)).toEqual([w.a.tenantId]),
  },
  "adminBilling.invoices": {
    input: (w) => ({ search: w.a.slug, limit: 100 }),
    check: (r, w) => {
      const items = (r as { items: { id: string; tenant: { slug: string } }[] }).items;
      expect(items.map((i) => i.id)).toContain(w.a.billing.invoiceId);
      expect(items.every((i) => i.tenant.slug === w.a.slug)).toBe(true);
    },
  },
  "adminBilling.markInvoicePaid": {
    input: (w) => ({ invoiceId: w.a.billing.invoiceId, method: "cash", reference: "R-1" }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => ({ invoiceId: (await sampleInvoice("xmp")).id, method: "cash", reference: "R-1" })),
    check: (r) => expect(r).toMatchObject({ number: expect.stringMatching(/^INV-/), subscription: { status: "active" } }),
  },
  "adminBilling.payments": {
    input: (w) => ({ search: w.a.slug, limit: 100 }),
    check: (r, w) => {
      const items = (r as { items: { id: string; tenant: { slug: string } }[] }).items;
      expect(items.map((i) => i.id)).toContain(w.a.billing.paymentId);
      expect(items.every((i) => i.tenant.slug === w.a.slug)).toBe(true);
    },
  },
  "adminBilling.refundPayment": {
    input: (w) => ({ paymentId: w.a.billing.paymentId, reason: "sample" }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => {
        const invoice = await sampleInvoice("xrf");
        const payment = await new TenantDb(invoice.tenantId).run((tx) =>
          tx.payment.create({
            data: {
              tenantId: invoice.tenantId,
              subscriptionInvoiceId: invoice.id,
              method: "cash",
              status: "paid",
              paidAt: new Date(),
              amount: invoice.amount,
              currency: invoice.currency,
            },
          }),
        );
        return { paymentId: payment.id, reason: "sample refund" };
      }),
    check: (r) => expect(r).toMatchObject({ status: "refunded" }),
  },
  "adminBilling.webhooks": {
    input: () => ({ provider: "bakong" }),
    check: (r) => expect((r as { items: { provider: string }[] }).items.every((e) => e.provider === "bakong")).toBe(true),
  },
  "adminBilling.webhook": {
    input: () => ({ webhookEventId: "00000000-0000-4000-8000-000000000000" }),
    prepare: ({ mfaPassed }) => freshTarget(mfaPassed, async () => ({ webhookEventId: (await sampleEvent()).id })),
    check: (r) => expect(r).toMatchObject({ provider: "bakong", status: "received", bodyIsJson: true }),
  },
  // adminTemplates.*: the saved text is the built-in one, so tests running alongside see no change
  // 20 message keys × 2 languages (rent.receipt, renter.telegram_linked and renter.login_code included)
  "adminTemplates.list": { input: () => undefined, check: (r) => expect(r).toHaveLength(40) },
  "adminTemplates.get": { input: () => TEMPLATE_REF, check: (r) => expect(r).toMatchObject({ key: "rent.overdue", canEdit: true }) },
  "adminTemplates.save": {
    input: () => ({ ...TEMPLATE_REF, ...MESSAGE_CATALOG["rent.overdue"].defaults.km }),
    check: (r) => expect(r).toMatchObject({ overridden: true, source: "global" }),
  },
  "adminTemplates.reset": { input: () => TEMPLATE_REF, check: (r) => expect(r).toMatchObject({ overridden: false, source: "catalog" }) },
  "adminTemplates.preview": {
    input: () => ({ ...TEMPLATE_REF, subject: "Preview {{number}}", body: "Body" }),
    check: (r) => expect(r).toMatchObject({ subject: "Preview R-2026-0118" }),
  },
  "adminBilling.replayWebhook": {
    input: () => ({ webhookEventId: "00000000-0000-4000-8000-000000000000" }),
    prepare: ({ mfaPassed }) => freshTarget(mfaPassed, async () => ({ webhookEventId: (await sampleEvent()).id })),
    // an md5 no payment has: stored as ignored
    check: (r) => expect(r).toMatchObject({ status: "ignored", httpStatus: 200 }),
  },
  // adminMessages.*: every workspace's log; the retry acts on a fresh failed message of its own
  "adminMessages.list": {
    input: (w) => ({ tenant: w.a.slug, limit: 100 }),
    check: (r, w) => {
      const items = (r as { items: { id: string; tenant: { slug: string } }[] }).items;
      expect(items.map((m) => m.id)).toContain(w.a.messages.messageId);
      expect(items.every((m) => m.tenant.slug === w.a.slug)).toBe(true);
    },
  },
  "adminMessages.get": {
    input: (w) => ({ messageId: w.a.messages.messageId }),
    check: (r, w) => expect(r).toMatchObject({ id: w.a.messages.messageId, tenant: { slug: w.a.slug } }),
  },
  "adminMessages.retry": {
    input: (w) => ({ messageId: w.a.messages.messageId }),
    prepare: ({ mfaPassed }) =>
      freshTarget(mfaPassed, async () => {
        const t = await createTenant({ slug: uniqueSlug("xmsg") });
        const m = await new TenantDb(t.tenantId).run((tx) =>
          tx.outboundMessage.create({
            data: {
              tenantId: t.tenantId,
              key: "team.invitation",
              locale: "en",
              to: `renter@${t.slug}.test`,
              dedupeKey: "x:retry",
              variables: { ...MESSAGE_CATALOG["team.invitation"].sample },
              status: "failed",
            },
          }),
        );
        return { messageId: m.id };
      }),
    check: (r) => expect(r).toMatchObject({ status: "queued", tenant: { slug: expect.stringMatching(/^xmsg-/) } }),
  },
};

const PLAN_EDIT = {
  name: "Sample edited",
  priceMonthlyUsd: 1234,
  priceYearlyUsd: 12340,
  priceMonthlyKhr: 50000,
  priceYearlyKhr: 500000,
  trialDays: 7,
  graceDays: 3,
  isPublic: false,
  features: ["audit_export"],
  limits: { properties: null, units: 10, members: 2, messagesPerMonth: 10, storageMb: 10 },
};

/** A hidden plan for the adminBilling.updatePlan sample (the seeded catalog is shared). */
function samplePlan() {
  const code = uniqueSlug("xplan");
  return platformDb.run((tx) =>
    tx.plan.create({
      data: {
        code,
        name: code,
        tier: 1,
        priceMonthlyUsd: 100,
        priceYearlyUsd: 1000,
        priceMonthlyKhr: 400,
        priceYearlyKhr: 4000,
        features: [],
        limits: {},
        isPublic: false,
      },
    }),
  );
}

/** A fresh workspace with an open renewal invoice, for the adminBilling write samples. */
async function sampleInvoice(prefix: string) {
  const t = await createTenant({
    slug: uniqueSlug(prefix),
    subscription: { plan: "starter", status: "active", periodEnd: new Date(Date.now() + 3 * 86_400_000) },
  });
  const invoice = await issueRenewalInvoice(t.tenantId);
  if (!invoice) throw new Error("no sample invoice");
  return invoice;
}

/** A stored Bakong callback for an md5 no payment has. */
function sampleEvent() {
  const key = `evt-${uniqueSlug("x")}`;
  const rawBody = JSON.stringify({
    eventId: key,
    md5: "0123456789abcdef0123456789abcdef",
    transaction: { hash: `${key}-hash`, toAccountId: "phteah@aclb", currency: "USD", amount: 1 },
  });
  return platformDb.run((tx) =>
    tx.webhookEvent.create({ data: { provider: "bakong", idempotencyKey: key, headers: {}, rawBody, signatureValid: true } }),
  );
}

/** A fresh platform admin for the 2FA samples, optionally enrolled, with an apex session (passed 2FA or not). */
async function mfaAdmin(opts: {
  enrolled?: boolean;
  mfaPassed: boolean;
}): Promise<{ claims: SessionClaims; secret: string; userId: string }> {
  process.env.AUTH_SECRET ??= "cross-tenant-auth-secret-cross-tenant-auth-secret"; // encrypts TOTP secrets at rest
  const user = await createUser({ email: `staff-${uniqueSlug("mfa")}@phteah.test`, isPlatformAdmin: true });
  const secret = newTotpSecret();
  if (opts.enrolled) await enrolTotp(user.id, secret);
  const session = await sessionFor(user.id, APEX);
  return { claims: opts.mfaPassed ? await passMfa(session) : session, secret, userId: user.id };
}

/** A fresh flag (optionally with an override for tenant A) and a fresh admin, for the admin.flags samples. */
async function flagSample(opts: { mfaPassed: boolean; override?: boolean }, input: (key: string) => unknown) {
  const key = uniqueSlug("xf");
  await platformDb.run(async (tx) => {
    await tx.featureFlag.create({ data: { key, description: "sample", owner: "tests", expiresAt: new Date(Date.now() + 86_400_000) } });
    if (opts.override) await tx.featureFlagOverride.create({ data: { tenantId: w.a.tenantId, flagKey: key, enabled: true } });
  });
  return { claims: (await mfaAdmin({ mfaPassed: opts.mfaPassed })).claims, input: input(key) };
}

/** Public procedures need a reason to exist without a session; none do yet. */
const PUBLIC_ALLOWED: string[] = [
  // the renter pay page: the unguessable token is the key (tests/integration/rent-payments.test.ts covers it)
  "payPage.view",
  "payPage.open",
  "payPage.checkout",
  "payPage.status",
  "payPage.simulate",
];

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>).map(([path, p]) => ({
  path,
  meta: p._def.meta,
}));
const tenantPaths = procedures.filter((p) => p.meta?.scope === "tenant").map((p) => p.path);
const adminPaths = procedures.filter((p) => p.meta?.scope === "admin").map((p) => p.path);

let w: World;
const claims = {} as {
  aOwnerOnA: SessionClaims;
  aOwnerOnB: SessionClaims;
  bOwnerOnB: SessionClaims;
  aOwnerOnApex: SessionClaims;
  adminOnApex: SessionClaims;
  adminOnApexNoMfa: SessionClaims;
  adminOnA: SessionClaims;
};

let lastSnapshot: Awaited<ReturnType<typeof takeSnapshotA>> | undefined;
async function snapshotA() {
  lastSnapshot = await takeSnapshotA();
  return lastSnapshot;
}

async function takeSnapshotA() {
  return platformDb.run(async (tx) => ({
    tenant: await tx.tenant.findUnique({ where: { id: w.a.tenantId } }),
    memberships: await tx.membership.findMany({ where: { tenantId: w.a.tenantId }, orderBy: { id: "asc" } }),
    roles: await tx.role.findMany({ where: { tenantId: w.a.tenantId }, orderBy: { id: "asc" } }),
    invitations: await tx.invitation.findMany({ where: { tenantId: w.a.tenantId }, orderBy: { id: "asc" } }),
    rolePermissions: await tx.rolePermission.count({ where: { tenantId: w.a.tenantId } }),
    audit: await tx.auditLog.findMany({ where: { tenantId: w.a.tenantId }, select: { id: true }, orderBy: { id: "asc" } }),
    outbox: await tx.outboxEvent.count({ where: { tenantId: w.a.tenantId } }),
  }));
}

/** Puts A back as the snapshot had it (samples run for real on A may change, remove or revoke). */
async function restoreMemberships(rows: { id: string; userId: string; roleId: string; status: string }[]) {
  const snap = lastSnapshot;
  await new TenantDb(w.a.tenantId).run(async (tx) => {
    for (const r of snap?.roles ?? []) {
      await tx.role.upsert({ where: { id: r.id }, update: { name: r.name }, create: { ...r, tenantId: w.a.tenantId } });
    }
    for (const m of rows) {
      await tx.membership.upsert({
        where: { id: m.id },
        update: { roleId: m.roleId, status: m.status },
        create: { id: m.id, tenantId: w.a.tenantId, userId: m.userId, roleId: m.roleId, status: m.status },
      });
    }
    for (const i of snap?.invitations ?? []) {
      await tx.invitation.update({
        where: { id: i.id },
        data: { revokedAt: i.revokedAt, acceptedAt: i.acceptedAt, expiresAt: i.expiresAt },
      });
    }
  });
}

/** Every string that would betray tenant A in a response to B. */
function fingerprintsOfA(): string[] {
  return [
    w.a.tenantId,
    w.a.slug,
    w.a.owner.userId,
    w.a.owner.email,
    w.a.owner.membershipId,
    w.a.viewer.userId,
    w.a.viewer.email,
    w.a.viewer.membershipId,
    w.a.admin.userId,
    w.a.admin.email,
    w.a.admin.membershipId,
    ...Object.values(w.a.roles),
    w.a.invitationId,
    w.a.invitationEmail,
    w.a.customRoleId,
    ...Object.values(w.a.billing),
    ...Object.values(w.a.messages),
    ...Object.entries(pfx).flatMap(([k, v]) => (k.startsWith("b") ? [] : [v])),
    ...Object.entries(rfx).flatMap(([k, v]) => (k.startsWith("b") || k === "phone" ? [] : [v])),
    ...Object.values(ypx),
    ...Object.values(ipx),
    ...Object.values(cfx),
  ];
}

beforeAll(async () => {
  const aSlug = uniqueSlug("xa");
  const bSlug = uniqueSlug("xb");
  const a = await createTenant({ slug: aSlug });
  const b = await createTenant({ slug: bSlug });
  const [viewer, admin, member, platformAdmin] = await Promise.all([
    addMember(a, { email: `viewer@${aSlug}.test`, role: "viewer" }),
    addMember(a, { email: `admin@${aSlug}.test`, role: "admin" }),
    addMember(b, { email: `member@${bSlug}.test`, role: "viewer" }),
    createUser({ email: `staff-${aSlug}@phteah.test`, isPlatformAdmin: true }),
  ]);
  const invitationEmail = `invitee@${aSlug}.test`;
  const [invitationId, customRoleId] = await new TenantDb(a.tenantId).run(async (tx) => {
    const inv = await tx.invitation.create({
      data: {
        tenantId: a.tenantId,
        email: invitationEmail,
        roleId: a.roles.viewer,
        tokenHash: newToken().tokenHash,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const role = await tx.role.create({ data: { tenantId: a.tenantId, key: `custom-${aSlug}`, name: "Night desk" } });
    await tx.rolePermission.create({ data: { tenantId: a.tenantId, roleId: role.id, permissionCode: "workspace.view" } });
    return [inv.id, role.id];
  });
  const billing = await billingFixture(a, b);
  const messages = await new TenantDb(a.tenantId).run(async (tx) => {
    const to = `renter@${aSlug}.test`;
    const suppressed = `bounced@${aSlug}.test`;
    const variables = { ...MESSAGE_CATALOG["team.invitation"].sample };
    const m = await tx.outboundMessage.create({
      data: { tenantId: a.tenantId, key: "team.invitation", locale: "en", to, dedupeKey: `x:${aSlug}`, variables, status: "failed" },
    });
    const s = await tx.suppressedAddress.create({ data: { tenantId: a.tenantId, address: suppressed, reason: "bounced" } });
    return { messageId: m.id, suppressionId: s.id, to, suppressed };
  });
  w = {
    a: { ...a, viewer, admin, invitationId, invitationEmail, customRoleId, billing, messages },
    b: { ...b, member },
    platformAdmin: { userId: platformAdmin.id, email: platformAdmin.email },
  };
  [
    claims.aOwnerOnA,
    claims.aOwnerOnB,
    claims.bOwnerOnB,
    claims.aOwnerOnApex,
    claims.adminOnApex,
    claims.adminOnApexNoMfa,
    claims.adminOnA,
  ] = await Promise.all([
    sessionFor(a.owner.userId, hostOf(aSlug)),
    sessionFor(a.owner.userId, hostOf(bSlug)),
    sessionFor(b.owner.userId, hostOf(bSlug)),
    sessionFor(a.owner.userId, APEX),
    sessionFor(platformAdmin.id, APEX).then(passMfa),
    sessionFor(platformAdmin.id, APEX),
    sessionFor(platformAdmin.id, hostOf(aSlug)).then(passMfa),
  ]);
});

/** Slice P's records in A (and one property in B): each mutation sample gets its own record. */
let pfx: {
  propertyId: string;
  archivablePropertyId: string;
  /** archived together with its unit (properties.restore); `archivedUnitId` is archived on its own in Riverside */
  archivedPropertyId: string;
  unitId: string;
  spareUnitId: string;
  archivedUnitId: string;
  removablePhotoId: string;
  coverPhotoId: string;
  freeFileId: string;
  logoFileId: string;
  bPropertyId: string;
};
beforeAll(async () => {
  const fileRow = (tenantId: string, purpose: string) => {
    const id = randomUUID();
    return {
      id,
      tenantId,
      visibility: "public" as const,
      purpose,
      storageKey: `${tenantId}/${id}`,
      originalName: `${purpose}.png`,
      mimeType: "image/png",
      sizeBytes: 100,
      checksumSha256: "0".repeat(64),
    };
  };
  const tenantId = w.a.tenantId;
  const made = await new TenantDb(tenantId).run(async (tx) => {
    const property = await tx.property.create({ data: { tenantId, name: "Riverside", type: "apartment_building" } });
    const archivable = await tx.property.create({ data: { tenantId, name: "Old shop", type: "shop" } });
    const unit = await tx.unit.create({ data: { tenantId, propertyId: property.id, code: "A-101", baseRent: 15000 } });
    const spare = await tx.unit.create({ data: { tenantId, propertyId: property.id, code: "A-102", baseRent: 15000 } });
    const archivedAt = new Date();
    const archivedUnit = await tx.unit.create({
      data: { tenantId, propertyId: property.id, code: "A-103", baseRent: 15000, archivedAt },
    });
    const archived = await tx.property.create({ data: { tenantId, name: "Old kiosk", type: "shop", archivedAt } });
    await tx.unit.create({ data: { tenantId, propertyId: archived.id, code: "K-1", baseRent: 5000, archivedAt } });
    const [f1, f2, free, logo] = [
      fileRow(tenantId, "property_photo"),
      fileRow(tenantId, "property_photo"),
      fileRow(tenantId, "property_photo"),
      fileRow(tenantId, "tenant_logo"),
    ];
    await tx.file.createMany({ data: [f1, f2, free, logo] });
    const removable = await tx.propertyPhoto.create({ data: { tenantId, propertyId: property.id, fileId: f1.id, position: 0 } });
    const cover = await tx.propertyPhoto.create({ data: { tenantId, propertyId: property.id, fileId: f2.id, position: 1 } });
    return {
      propertyId: property.id,
      archivablePropertyId: archivable.id,
      archivedPropertyId: archived.id,
      unitId: unit.id,
      spareUnitId: spare.id,
      archivedUnitId: archivedUnit.id,
      removablePhotoId: removable.id,
      coverPhotoId: cover.id,
      freeFileId: free.id,
      logoFileId: logo.id,
    };
  });
  const bProperty = await new TenantDb(w.b.tenantId).run((tx) =>
    tx.property.create({ data: { tenantId: w.b.tenantId, name: "B house", type: "house" } }),
  );
  pfx = { ...made, bPropertyId: bProperty.id };
});

/** Slice R's records in A (and one renter in B); each mutation sample gets its own renter. */
let rfx: { renterId: string; phone: string; archivableRenterId: string; archivedRenterId: string; idFileId: string; bRenterId: string };
/** A fresh Cambodian mobile number (E.164) for samples that create renters. */
function crossPhone(): string {
  return `+85517${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}
beforeAll(async () => {
  const tenantId = w.a.tenantId;
  const phone = crossPhone();
  rfx = await new TenantDb(tenantId).run(async (tx) => {
    const renter = await tx.renter.create({ data: { tenantId, nameLatin: "Cross Renter", nameKm: "អ្នកជួល", phone } });
    const archivable = await tx.renter.create({ data: { tenantId, nameLatin: "Cross Renter two", phone: crossPhone() } });
    const archived = await tx.renter.create({
      data: { tenantId, nameLatin: "Cross Renter gone", phone: crossPhone(), archivedAt: new Date() },
    });
    const fileId = randomUUID();
    await tx.file.create({
      data: {
        id: fileId,
        tenantId,
        visibility: "private",
        purpose: "renter_id",
        storageKey: `${tenantId}/${fileId}`,
        originalName: "id.pdf",
        mimeType: "application/pdf",
        sizeBytes: 100,
        checksumSha256: "0".repeat(64),
      },
    });
    return {
      renterId: renter.id,
      phone,
      archivableRenterId: archivable.id,
      archivedRenterId: archived.id,
      idFileId: fileId,
      bRenterId: "",
    };
  });
  const bRenter = await new TenantDb(w.b.tenantId).run((tx) =>
    tx.renter.create({ data: { tenantId: w.b.tenantId, nameLatin: "B renter", phone: crossPhone() } }),
  );
  rfx.bRenterId = bRenter.id;
});

/** A renter of A that renters.erase may erase (no contracts: erasable at once). */
let efx: { renterId: string; phone: string };
beforeAll(async () => {
  const phone = crossPhone();
  const r = await new TenantDb(w.a.tenantId).run((tx) =>
    tx.renter.create({ data: { tenantId: w.a.tenantId, nameLatin: "Cross Renter erasable", phone } }),
  );
  efx = { renterId: r.id, phone };
});

/** Slice I's records in A: an empty property (runs), an active contract (charges), invoices to read and to void, a finished run. */
let ipx: { propertyId: string; contractId: string; invoiceId: string; voidInvoiceId: string; runId: string };
beforeAll(async () => {
  const tenantId = w.a.tenantId;
  const property = await new TenantDb(tenantId).run((tx) =>
    tx.property.create({ data: { tenantId, name: "Invoice run house", type: "house" } }),
  );
  const contract = await createContract({ tenantId, status: "active" });
  const invoice = await createRentInvoice({ tenantId, contractId: contract.id, period: "2025-01" });
  const voidable = await createRentInvoice({ tenantId, contractId: contract.id, period: "2025-02" });
  const run = await new TenantDb(tenantId).run((tx) =>
    tx.invoiceRun.create({ data: { tenantId, propertyId: property.id, runDate: "2025-02-01", trigger: "manual", status: "done" } }),
  );
  ipx = { propertyId: property.id, contractId: contract.id, invoiceId: invoice.id, voidInvoiceId: voidable.id, runId: run.id };
});

/** Slice Y's records in A: a contract with an open invoice (payments, ledger) and one for the pay-link samples. */
/** Slice C's records in A: contracts in each state the samples need, and a contract_scan upload. */
let cfx: {
  propertyId: string;
  unitId: string;
  renterId: string;
  activeId: string;
  draftId: string;
  deletableId: string;
  activatableId: string;
  endableId: string;
  terminableId: string;
  scanFileId: string;
};
beforeAll(async () => {
  const tenantId = w.a.tenantId;
  const property = await createProperty({ tenantId, name: "Cross contracts" });
  const unit = await createUnit({ tenantId, propertyId: property.id, code: "C-1" });
  const renter = await createRenter({ tenantId, nameLatin: "Cross Renter" });
  const contract = (status: "draft" | "active") => createContract({ tenantId, propertyId: property.id, status, startDate: "2026-01-01" });
  const active = await contract("active");
  const draft = await createContract({ tenantId, unitId: unit.id, renterId: renter.id, startDate: "2026-01-01" });
  const [deletable, activatable, endable, terminable] = [
    await contract("draft"),
    await contract("draft"),
    await contract("active"),
    await contract("active"),
  ];
  const scanFileId = randomUUID();
  await new TenantDb(tenantId).run((tx) =>
    tx.file.create({
      data: {
        id: scanFileId,
        tenantId,
        visibility: "private",
        purpose: "contract_scan",
        storageKey: `${tenantId}/${scanFileId}`,
        originalName: "signed.pdf",
        mimeType: "application/pdf",
        sizeBytes: 100,
        checksumSha256: "0".repeat(64),
      },
    }),
  );
  cfx = {
    propertyId: property.id,
    unitId: unit.id,
    renterId: renter.id,
    activeId: active.id,
    draftId: draft.id,
    deletableId: deletable!.id,
    activatableId: activatable!.id,
    endableId: endable!.id,
    terminableId: terminable!.id,
    scanFileId,
  };
});

let ypx: { contractId: string; invoiceId: string; linkInvoiceId: string };
beforeAll(async () => {
  const contract = await createContract({ tenantId: w.a.tenantId, status: "active" });
  const invoice = await createRentInvoice({ tenantId: w.a.tenantId, contractId: contract.id, period: "2026-01" });
  const linkInvoice = await createRentInvoice({ tenantId: w.a.tenantId, contractId: contract.id, period: "2026-02" });
  ypx = { contractId: contract.id, invoiceId: invoice.id, linkInvoiceId: linkInvoice.id };
});

/**
 * The account.* samples change the caller's own global rows by design (sign sessions out,
 * change the password): before each test the owners have a known password again and the
 * shared sessions are live.
 */
const OWNER_PASSWORD = "cross-tenant-owner-password";
let ownerPasswordHash: Promise<string> | undefined;
beforeEach(async () => {
  // a manual invoice run keeps working after its request answered: let it finish before the next
  // check reads tenant A's rows (it writes audit rows and invoices)
  await settleBackgroundRuns();
  ownerPasswordHash ??= hashPassword(OWNER_PASSWORD);
  const passwordHash = await ownerPasswordHash;
  await platformDb.run(async (tx) => {
    await tx.user.updateMany({ where: { id: { in: [w.a.owner.userId, w.b.owner.userId] } }, data: { passwordHash } });
    await tx.userSession.updateMany({ where: { id: { in: Object.values(claims).map((c) => c.sid) } }, data: { revokedAt: null } });
    // workspaceDeletion.close's "works" check closes A for real
    await tx.tenant.updateMany({
      where: { id: { in: [w.a.tenantId, w.b.tenantId] }, status: "closed" },
      data: { status: "active", closedAt: null, closedByUserId: null, deleteAfter: null },
    });
  });
});

describe("the router", () => {
  it("has tenant and admin procedures to check (the walk found the router)", () => {
    expect(tenantPaths).toContain("members.list");
    expect(adminPaths).toContain("admin.tenants");
  });

  it("has a cross-tenant sample for every tenant procedure", () => {
    const missing = tenantPaths.filter((p) => !SAMPLES[p]?.length);
    expect(missing, `add entries to SAMPLES in tests/integration/cross-tenant.test.ts for: ${missing.join(", ")}`).toEqual([]);
  });

  it("has a sample for every admin procedure", () => {
    const missing = adminPaths.filter((p) => !ADMIN_SAMPLES[p]);
    expect(missing, `add entries to ADMIN_SAMPLES in tests/integration/cross-tenant.test.ts for: ${missing.join(", ")}`).toEqual([]);
  });

  it("has no stale samples", () => {
    expect(Object.keys(SAMPLES).filter((p) => !tenantPaths.includes(p))).toEqual([]);
    expect(Object.keys(ADMIN_SAMPLES).filter((p) => !adminPaths.includes(p))).toEqual([]);
  });

  it("has no procedure that is neither tenant nor admin scoped unless allowed", () => {
    const unscoped = procedures.filter((p) => p.meta?.scope !== "tenant" && p.meta?.scope !== "admin").map((p) => p.path);
    expect(unscoped.filter((p) => !PUBLIC_ALLOWED.includes(p))).toEqual([]);
  });
});

// A procedure without a sample is skipped here and fails "has a cross-tenant sample for every
// tenant procedure" above, once, with the list of missing paths.
describe.each(tenantPaths.filter((p) => SAMPLES[p]?.length))("tenant procedure %s", (path) => {
  const samples = () => {
    const s = SAMPLES[path];
    if (!s?.length) throw new Error(`no cross-tenant sample for ${path}: add one to SAMPLES`);
    return s;
  };

  it("refuses A's session on B's host (UNAUTHORIZED), also with the cookie's host rewritten", async () => {
    const before = await snapshotA();
    for (const sample of samples()) {
      const onB = await callerFor(hostOf(w.b.slug), claims.aOwnerOnA);
      await expectTRPCError(callPath(onB, path, sample.input(w)), "UNAUTHORIZED");
      const forged = await callerFor(hostOf(w.b.slug), { ...claims.aOwnerOnA, host: hostOf(w.b.slug) });
      await expectTRPCError(callPath(forged, path, sample.input(w)), "UNAUTHORIZED");
    }
    expect(await snapshotA()).toEqual(before);
  });

  it("gives NOT_FOUND to a user of A with a valid session on B's host but no membership in B", async () => {
    const before = await snapshotA();
    for (const sample of samples()) {
      await expectTRPCError(callPath(await callerFor(hostOf(w.b.slug), claims.aOwnerOnB), path, sample.input(w)), "NOT_FOUND", {
        key: "errors.notFound",
      });
    }
    expect(await snapshotA()).toEqual(before);
  });

  it("refuses without a session, on an unknown workspace and on the apex", async () => {
    const input = samples()[0]!.input(w);
    await expectTRPCError(callPath(await callerFor(hostOf(w.a.slug), null), path, input), "UNAUTHORIZED");
    await expectTRPCError(callPath(await callerFor(hostOf(uniqueSlug("gone")), claims.aOwnerOnA), path, input), "NOT_FOUND");
    await expectTRPCError(callPath(await callerFor(APEX, claims.aOwnerOnApex), path, input), "NOT_FOUND");
  });

  it("does not let B's owner reach A's records by id, and leaves A unchanged", async () => {
    const before = await snapshotA();
    const caller = await callerFor(hostOf(w.b.slug), claims.bOwnerOnB);
    for (const sample of samples()) {
      const call = callPath(caller, path, sample.input(w));
      if (sample.fromB === "NOT_FOUND") {
        await expectTRPCError(call, "NOT_FOUND", { code: "NOT_FOUND" });
      } else {
        const result = await call;
        const text = JSON.stringify(result);
        for (const f of fingerprintsOfA()) expect(text, `response to B mentions A's ${f}`).not.toContain(f);
        sample.check?.(result, w);
      }
    }
    expect(await snapshotA()).toEqual(before);
  });

  it("works for A's owner on A's host with the same input (the samples name real records)", async () => {
    // guards against samples that fail for a reason unrelated to tenancy (a wrong id or shape)
    const before = await snapshotA();
    const caller = await callerFor(hostOf(w.a.slug), claims.aOwnerOnA);
    await expect(callPath(caller, path, samples()[0]!.input(w))).resolves.toBeDefined();
    await restoreMemberships(before.memberships);
  });
});

describe.each(adminPaths.filter((p) => ADMIN_SAMPLES[p]))("admin procedure %s", (path) => {
  const sample = () => {
    const s = ADMIN_SAMPLES[path];
    if (!s) throw new Error(`no sample for ${path}: add one to ADMIN_SAMPLES`);
    return s;
  };

  it("gives a tenant owner NOT_FOUND on the tenant host and on the apex", async () => {
    await expectTRPCError(callPath(await callerFor(hostOf(w.a.slug), claims.aOwnerOnA), path, sample().input(w)), "NOT_FOUND");
    await expectTRPCError(callPath(await callerFor(APEX, claims.aOwnerOnApex), path, sample().input(w)), "NOT_FOUND");
  });

  it("gives a platform admin NOT_FOUND on a tenant host", async () => {
    await expectTRPCError(callPath(await callerFor(hostOf(w.a.slug), claims.adminOnA), path, sample().input(w)), "NOT_FOUND");
  });

  it("refuses the apex without a session, and a tenant session replayed on the apex", async () => {
    await expectTRPCError(callPath(await callerFor(APEX, null), path, sample().input(w)), "UNAUTHORIZED");
    await expectTRPCError(callPath(await callerFor(APEX, claims.aOwnerOnA), path, sample().input(w)), "UNAUTHORIZED");
  });

  it("needs a session that passed 2FA", async () => {
    const s = sample();
    const prepared = s.prepare ? await s.prepare({ mfaPassed: false }) : { claims: claims.adminOnApexNoMfa, input: s.input(w) };
    const call = callPath(await callerFor(APEX, prepared.claims), path, prepared.input);
    if (sample().needsMfa === false) await expect(call).resolves.toBeDefined();
    else await expectTRPCError(call, "FORBIDDEN", { key: "errors.mfaRequired" });
  });

  it("works for a platform admin on the apex", async () => {
    const s = sample();
    const prepared = s.prepare ? await s.prepare({ mfaPassed: true }) : { claims: claims.adminOnApex, input: s.input(w) };
    s.check(await callPath(await callerFor(APEX, prepared.claims), path, prepared.input), w);
  });
});

// Permission checks of tenant procedures, generated from the router's meta.permission: a role
// without the permission is refused with FORBIDDEN naming it; a role with only that permission
// gets through. Also: the message on the wire, deactivated members, and permissions taking
// effect on the very next call after a role change.
import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "@/server/testing/fake-telegram";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { safeError } from "@/server/api/errors";
import type { Meta } from "@/server/api/trpc";
import { ALL_PERMISSION_CODES, type PermissionCode } from "@/lib/permissions";
import { addMember, createTenant, issueRenewalInvoice, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { validateEnv } from "@/env";
// aliased: a "use…" name at the top level trips react-hooks/rules-of-hooks
import { khqrAttempt, useFakeBakong as fakeBakongForThisFile } from "./support/billing";
import { TenantDb } from "@/server/db/tenant-db";
import { newToken } from "@/server/auth/tokens";
import { MESSAGE_CATALOG } from "@/lib/notifications/catalog";
import { settleBackgroundRuns } from "@/server/rent-invoices/rent-invoice-service";
import {
  callPath,
  callerFor,
  createRole,
  expectTRPCError,
  hostOf,
  sessionFor,
  setMembershipRole,
  signedIn,
  uniqueEmail,
} from "./support/world";

type Member = Awaited<ReturnType<typeof addMember>>;

interface Fixture {
  tenant: CreatedTenant;
  actor: Member;
  /** a member the actor may act on */
  target: Member;
  /** the actor's own (custom) role: the one role the actor can surely hand out */
  actorRoleId: string;
  /** a pending invitation and an unused custom role of the tenant */
  invitationId: string;
  spareRoleId: string;
  /** another session of the actor (account.revokeSession); the actor's password is ACTOR_PASSWORD */
  actorSessionId: string;
  /** billing: an open renewal invoice with a pending KHQR attempt, and a scheduled plan change */
  invoiceId: string;
  paymentId: string;
  /** messages: a failed message and a suppressed address */
  messageId: string;
  suppressionId: string;
  /** rental records (properties, renters, contracts, rent invoices): each mutation gets its own record */
  rental: Rental;
}

/** The rental records of a fixture, made in one transaction by `createRental`. */
interface Rental {
  /** "Riverside": units, photos; `runPropertyId` is an empty property for invoice runs, `archivablePropertyId` another */
  propertyId: string;
  runPropertyId: string;
  archivablePropertyId: string;
  /** archived with its unit (properties.restore); `archivedUnitId` is archived on its own in Riverside */
  archivedPropertyId: string;
  archivedUnitId: string;
  /** a vacant unit with two drafts on it (`draftId`, `deletableId`); `spareUnitId` has no contracts */
  unitId: string;
  spareUnitId: string;
  removablePhotoId: string;
  coverPhotoId: string;
  /** uploads not attached to anything yet */
  freeFileId: string;
  logoFileId: string;
  idFileId: string;
  scanFileId: string;
  renterId: string;
  renterPhone: string;
  archivableRenterId: string;
  /** the archivable renter never had a contract: erasable at once (renters.erase), by this typed phone */
  archivableRenterPhone: string;
  archivedRenterId: string;
  /** contracts: `activeId` carries the invoices; each state-changing sample has its own */
  activeId: string;
  draftId: string;
  deletableId: string;
  activatableId: string;
  endableId: string;
  terminableId: string;
  /** issued invoices of `activeId`: to read and pay, to void, for the pay-link samples */
  invoiceId: string;
  voidInvoiceId: string;
  linkInvoiceId: string;
  /** a finished invoice run */
  runId: string;
}

const ACTOR_PASSWORD = "permissions-actor-password";
const OWNER_PASSWORD = "permissions-owner-password";
const CONTRACT_TERMS = { startDate: "2026-01-01", rentAmount: 20_000, currency: "USD", billingDay: 3 } as const;

/** A fresh Cambodian mobile number (E.164) for samples that create renters. */
function phone(): string {
  return `+85517${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}

/** Inputs valid inside the actor's own tenant; every procedure with meta.permission needs one. */
const INPUTS: Record<string, (f: Fixture) => unknown> = {
  "workspace.current": () => undefined,
  "members.list": () => ({ limit: 10 }),
  "members.roles": () => undefined,
  "members.changeRole": (f) => ({ membershipId: f.target.membershipId, roleId: f.actorRoleId }),
  "members.setStatus": (f) => ({ membershipId: f.target.membershipId, status: "deactivated" }),
  "members.remove": (f) => ({ membershipId: f.target.membershipId }),
  "members.transferOwnership": (f) => ({ membershipId: f.target.membershipId }),
  "members.invitations": () => undefined,
  "members.invite": (f) => ({ email: uniqueEmail("invitee", f.tenant.slug), roleId: f.actorRoleId }),
  "members.resendInvitation": (f) => ({ invitationId: f.invitationId }),
  "members.revokeInvitation": (f) => ({ invitationId: f.invitationId }),
  "roles.list": () => undefined,
  // only permissions the actor holds can go into a role (here: roles.manage itself)
  "roles.create": () => ({ name: "Night desk", permissions: ["roles.manage"] }),
  "roles.update": (f) => ({ roleId: f.spareRoleId, name: "Night desk 2", permissions: ["roles.manage"] }),
  "roles.delete": (f) => ({ roleId: f.spareRoleId }),
  "audit.list": () => ({ limit: 10 }),
  "account.profile": () => undefined,
  "account.updateProfile": () => ({ name: "Renamed Actor" }),
  "account.changePassword": () => ({ currentPassword: ACTOR_PASSWORD, newPassword: "permissions-new-password" }),
  "account.setLocale": () => ({ locale: "km" }),
  "account.sessions": () => undefined,
  "account.revokeSession": (f) => ({ id: f.actorSessionId }),
  "account.signOutEverywhere": () => undefined,
  "billing.entitlements": () => undefined,
  "billing.overview": () => undefined,
  "billing.invoices": () => ({ limit: 10 }),
  "billing.changePlan": () => ({ planCode: "pro", interval: "year" }),
  "billing.cancelScheduledChange": () => undefined,
  "billing.checkout": (f) => ({ invoiceId: f.invoiceId }),
  "billing.payment": (f) => ({ paymentId: f.paymentId }),
  "billingSimulator.pay": (f) => ({ paymentId: f.paymentId }),
  "messages.list": () => ({ limit: 10 }),
  "messages.get": (f) => ({ messageId: f.messageId }),
  "messages.retry": (f) => ({ messageId: f.messageId }),
  "messages.suppressions": () => ({ limit: 10 }),
  "messages.liftSuppression": (f) => ({ suppressionId: f.suppressionId }),
  "messages.suppress": (f) => ({ address: uniqueEmail("stop", f.tenant.slug) }),
  "templates.list": () => undefined,
  "templates.get": () => ({ key: "rent.overdue", locale: "en" }),
  "templates.save": () => ({ key: "rent.overdue", locale: "en", subject: "Overdue {{number}}", body: "Please pay." }),
  "templates.reset": () => ({ key: "rent.overdue", locale: "en" }),
  "templates.preview": () => ({ key: "rent.overdue", locale: "en", subject: "Overdue {{number}}", body: "Please pay." }),
  // rental operations: ids in f.rental (see createRental)
  "dashboard.summary": () => undefined,
  "dashboard.checklist": () => undefined,
  "dashboard.dismissChecklist": () => undefined,
  "workspaceSettings.get": () => undefined,
  "workspaceSettings.update": () => ({ name: "Renamed workspace", locale: "en", bakongAccountId: "", rentReminderDays: [-3, 1, 7] }),
  "workspaceSettings.paymentInstructions": () => undefined,
  "exchangeRates.list": () => ({ limit: 10 }),
  "exchangeRates.invoiceEquivalent": (f) => ({ invoiceId: f.rental.invoiceId }),
  "exchangeRates.set": () => ({ effectiveDate: "2026-10-01", khrPerUsd: 4100 }),
  "workspaceSettings.updatePaymentInstructions": () => ({
    bankName: "ABA Bank",
    accountName: "Sokha",
    accountNumber: "000 123 456",
    phone: "",
  }),
  "files.tenantLogo": () => undefined,
  "files.setTenantLogo": (f) => ({ fileId: f.rental.logoFileId }),
  "properties.list": () => ({}),
  "properties.get": (f) => ({ propertyId: f.rental.propertyId }),
  "properties.options": () => undefined,
  "properties.create": () => ({ name: "Tower", type: "apartment_building" }),
  "properties.update": (f) => ({ propertyId: f.rental.propertyId, name: "Riverside renamed", type: "house" }),
  "properties.archive": (f) => ({ propertyId: f.rental.archivablePropertyId }),
  "properties.restore": (f) => ({ propertyId: f.rental.archivedPropertyId }),
  "properties.addPhoto": (f) => ({ propertyId: f.rental.propertyId, fileId: f.rental.freeFileId }),
  "properties.removePhoto": (f) => ({ photoId: f.rental.removablePhotoId }),
  "properties.makeCover": (f) => ({ photoId: f.rental.coverPhotoId }),
  "properties.units": (f) => ({ propertyId: f.rental.propertyId }),
  "properties.unit": (f) => ({ unitId: f.rental.unitId }),
  "properties.createUnit": (f) => ({ propertyId: f.rental.propertyId, code: "Z-1", baseRent: 15000 }),
  "properties.updateUnit": (f) => ({ unitId: f.rental.unitId, code: "A-101", baseRent: 16000, currency: "USD" }),
  "properties.archiveUnit": (f) => ({ unitId: f.rental.spareUnitId }),
  "properties.restoreUnit": (f) => ({ unitId: f.rental.archivedUnitId }),
  "renters.list": () => ({}),
  "renters.get": (f) => ({ renterId: f.rental.renterId }),
  "renters.options": () => ({ search: "Perm" }),
  "renters.create": () => ({ nameLatin: "Perm Created", phone: phone() }),
  "renters.update": (f) => ({ renterId: f.rental.renterId, nameLatin: "Perm Renter edited", phone: f.rental.renterPhone }),
  "renters.setIdDocument": (f) => ({ renterId: f.rental.renterId, fileId: f.rental.idFileId }),
  "renters.archive": (f) => ({ renterId: f.rental.archivableRenterId }),
  "renters.erase": (f) => ({ renterId: f.rental.archivableRenterId, phone: f.rental.archivableRenterPhone }),
  "telegram.status": (f) => ({ renterId: f.rental.renterId }),
  "telegram.createLink": (f) => ({ renterId: f.rental.renterId }),
  "telegram.unlink": (f) => ({ renterId: f.rental.renterId }),
  "telegram.setChannel": (f) => ({ renterId: f.rental.renterId, channel: "telegram" }),
  "telegram.botSettings": () => undefined,
  // a different bot each call: one workspace per bot (the fake Bot API below knows them)
  "telegram.saveBot": () => ({ token: WALK_BOT_TOKENS[walkBotTurn++ % WALK_BOT_TOKENS.length]! }),
  "telegram.removeBot": () => undefined,
  "workspaceDeletion.status": () => undefined,
  "workspaceDeletion.close": (f) => ({ slug: f.tenant.slug, password: OWNER_PASSWORD }),
  "workspaceDeletion.restore": () => undefined,
  "accountDeletion.delete": (f) => ({ email: f.actor.email, password: ACTOR_PASSWORD }),
  "renters.restore": (f) => ({ renterId: f.rental.archivedRenterId }),
  "imports.previewRenters": () => ({ csv: `name_latin,phone\nPerm Import,${phone()}\n` }),
  "imports.commitRenters": () => ({ csv: `name_latin,phone\nPerm Import,${phone()}\n` }),
  "imports.previewUnits": () => ({ csv: "property,code,base_rent\nRiverside,X-1,100\n" }),
  "imports.commitUnits": () => ({ csv: "property,code,base_rent\nRiverside,X-1,100\n" }),
  "contracts.list": () => ({}),
  "contracts.get": (f) => ({ contractId: f.rental.activeId }),
  "contracts.unitOptions": (f) => ({ propertyId: f.rental.propertyId, includeUnitId: f.rental.unitId }),
  "contracts.renterOptions": (f) => ({ includeRenterId: f.rental.renterId, search: "Perm" }),
  "contracts.create": (f) => ({ unitId: f.rental.unitId, renterId: f.rental.renterId, ...CONTRACT_TERMS }),
  "contracts.update": (f) => ({ contractId: f.rental.draftId, unitId: f.rental.unitId, renterId: f.rental.renterId, ...CONTRACT_TERMS }),
  "contracts.deleteDraft": (f) => ({ contractId: f.rental.deletableId }),
  "contracts.activate": (f) => ({ contractId: f.rental.activatableId }),
  "contracts.end": (f) => ({ contractId: f.rental.endableId, date: "2026-06-30", depositOutcome: "returned" }),
  "contracts.terminate": (f) => ({ contractId: f.rental.terminableId, date: "2026-03-31", depositOutcome: "returned", reason: "moved" }),
  "contracts.attachScan": (f) => ({ contractId: f.rental.draftId, fileId: f.rental.scanFileId }),
  "readings.grid": (f) => ({ propertyId: f.rental.propertyId, period: "2026-01" }),
  "readings.upsert": (f) => ({ unitId: f.rental.unitId, kind: "water", period: "2026-01", reading: 10 }),
  "readings.saveGrid": (f) => ({
    propertyId: f.rental.propertyId,
    period: "2026-02",
    entries: [{ unitId: f.rental.unitId, kind: "water", reading: 12 }],
  }),
  "rentInvoices.list": (f) => ({ propertyId: f.rental.propertyId }),
  "rentInvoices.propertyOptions": () => undefined,
  "rentInvoices.get": (f) => ({ invoiceId: f.rental.invoiceId }),
  "rentInvoices.void": (f) => ({ invoiceId: f.rental.voidInvoiceId, reason: "issued by mistake" }),
  "rentInvoices.addCharge": (f) => ({ contractId: f.rental.activeId, description: "Repair", amount: 100 }),
  "rentInvoices.pendingCharges": (f) => ({ contractId: f.rental.activeId }),
  "rentInvoices.startRun": (f) => ({ propertyId: f.rental.runPropertyId }),
  "rentInvoices.run": (f) => ({ runId: f.rental.runId }),
  "rentInvoices.runs": (f) => ({ propertyId: f.rental.propertyId }),
  "rentPayments.record": (f) => ({ invoiceId: f.rental.invoiceId, method: "cash", amount: 100, reference: "", paidOn: "2026-01-02" }),
  "rentPayments.forInvoice": (f) => ({ invoiceId: f.rental.invoiceId }),
  "rentPayments.list": () => ({}),
  "rentPayments.ledger": (f) => ({ contractId: f.rental.activeId }),
  "rentPayments.payLink": (f) => ({ invoiceId: f.rental.invoiceId }),
  "rentPayments.rotatePayLink": (f) => ({ invoiceId: f.rental.linkInvoiceId }),
  "rentPayments.revokePayLink": (f) => ({ invoiceId: f.rental.linkInvoiceId }),
};

// billing.checkout needs a Bakong API and billingSimulator.pay the simulator: the local fake
fakeBakongForThisFile();
// telegram.createLink needs the bot's settings (it only writes the link; no Bot API call is made)
const TELEGRAM_ENV = {
  TELEGRAM_BOT_TOKEN: "123456789:permissions-walk-token-000000",
  TELEGRAM_BOT_USERNAME: "phteah_walk_bot",
  TELEGRAM_WEBHOOK_SECRET: "permissions-walk-webhook-secret",
  TELEGRAM_API_ROOT: "http://127.0.0.1:9",
} as const;
beforeAll(() => {
  process.env.BAKONG_SIMULATOR = "1";
  Object.assign(process.env, TELEGRAM_ENV);
  validateEnv();
});
// telegram.saveBot validates the token with getMe and sets the bot's webhook: a local fake Bot API
// that knows a few bots; the token is encrypted with a key derived from AUTH_SECRET
const WALK_BOT_TOKENS = Array.from({ length: 24 }, (_, i) => `55600${String(i).padStart(4, "0")}:permissions-walk-own-bot-token-${i}-xyz`);
let walkBotTurn = 0;
let walkTelegram: FakeTelegram | undefined;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "permissions-auth-secret-permissions-auth-secret";
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

const guarded = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>)
  .filter(([, p]) => p._def.meta?.scope === "tenant")
  .map(([path, p]) => ({ path, permission: p._def.meta?.permission }));

/**
 * The rental records the samples name, in one transaction (the fixture runs for every test): the
 * same rows the factories in server/testing/factories.ts write (createProperty, createUnit,
 * createRenter, createContract, createRentInvoice), and uploads as the cross-tenant test makes them.
 */
async function createRental(tenantId: string): Promise<Rental> {
  return new TenantDb(tenantId).run(async (tx) => {
    const file = (purpose: string, visibility: "public" | "private", mimeType: string) => {
      const id = randomUUID();
      return {
        id,
        tenantId,
        visibility,
        purpose,
        storageKey: `${tenantId}/${id}`,
        originalName: `${purpose}.${mimeType === "image/png" ? "png" : "pdf"}`,
        mimeType,
        sizeBytes: 100,
        checksumSha256: "0".repeat(64),
      };
    };
    const [photo1, photo2, freePhoto, logo] = ["property_photo", "property_photo", "property_photo", "tenant_logo"].map((p) =>
      file(p, "public", "image/png"),
    ) as [ReturnType<typeof file>, ReturnType<typeof file>, ReturnType<typeof file>, ReturnType<typeof file>];
    const idFile = file("renter_id", "private", "application/pdf");
    const scanFile = file("contract_scan", "private", "application/pdf");
    await tx.file.createMany({ data: [photo1, photo2, freePhoto, logo, idFile, scanFile] });

    const property = await tx.property.create({ data: { tenantId, name: "Riverside", type: "apartment_building" } });
    const runProperty = await tx.property.create({ data: { tenantId, name: "Invoice run house", type: "house" } });
    const archivable = await tx.property.create({ data: { tenantId, name: "Old shop", type: "shop" } });
    const unit = (code: string) => tx.unit.create({ data: { tenantId, propertyId: property.id, code, baseRent: 25_000 } });
    const [u1, spare, u3, u4, u5, u6] = [
      await unit("A-101"),
      await unit("A-102"),
      await unit("A-103"),
      await unit("A-104"),
      await unit("A-105"),
      await unit("A-106"),
    ];
    const archivedAt = new Date();
    const archivedProperty = await tx.property.create({ data: { tenantId, name: "Old kiosk", type: "shop", archivedAt } });
    await tx.unit.create({ data: { tenantId, propertyId: archivedProperty.id, code: "K-1", baseRent: 5_000, archivedAt } });
    const archivedUnit = await tx.unit.create({
      data: { tenantId, propertyId: property.id, code: "A-107", baseRent: 25_000, archivedAt },
    });
    const removable = await tx.propertyPhoto.create({ data: { tenantId, propertyId: property.id, fileId: photo1.id, position: 0 } });
    const cover = await tx.propertyPhoto.create({ data: { tenantId, propertyId: property.id, fileId: photo2.id, position: 1 } });

    const renterPhone = phone();
    const renter = await tx.renter.create({ data: { tenantId, nameLatin: "Perm Renter", nameKm: "អ្នកជួល", phone: renterPhone } });
    const archivableRenterPhone = phone();
    const archivableRenter = await tx.renter.create({ data: { tenantId, nameLatin: "Perm Renter two", phone: archivableRenterPhone } });
    const archivedRenter = await tx.renter.create({
      data: { tenantId, nameLatin: "Perm Renter gone", phone: phone(), archivedAt: new Date() },
    });

    const startDate = new Date("2026-01-01T00:00:00Z");
    const contract = async (unitId: string, status: "draft" | "active") => {
      const c = await tx.contract.create({
        data: {
          tenantId,
          unitId,
          renterId: renter.id,
          status,
          activeUnitId: status === "active" ? unitId : null,
          startDate,
          rentAmount: 25_000,
          currency: "USD",
          billingDay: 1,
          activatedAt: status === "active" ? startDate : null,
        },
      });
      if (status === "active") await tx.unit.update({ where: { id: unitId }, data: { status: "occupied" } });
      return c.id;
    };
    const draftId = await contract(u1.id, "draft");
    const deletableId = await contract(u1.id, "draft");
    const activatableId = await contract(u3.id, "draft");
    const activeId = await contract(u4.id, "active");
    const endableId = await contract(u5.id, "active");
    const terminableId = await contract(u6.id, "active");

    const invoice = (period: string, n: number) =>
      tx.rentInvoice.create({
        data: {
          tenantId,
          contractId: activeId,
          number: `R-2025-90000${n}`,
          period,
          status: "issued",
          currency: "USD",
          total: 25_000,
          dueDate: new Date(`${period}-05T00:00:00Z`),
          // 43 base64url characters, as newPayToken makes them
          payToken: Buffer.from(randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, ""), "hex").toString("base64url"),
          lines: { create: [{ kind: "rent", description: "Rent", quantity: 1, unitAmount: 25_000, amount: 25_000, position: 0 }] },
        },
      });
    const [inv, voidable, link] = [await invoice("2025-01", 1), await invoice("2025-02", 2), await invoice("2025-03", 3)];
    const run = await tx.invoiceRun.create({
      data: { tenantId, propertyId: runProperty.id, runDate: "2025-02-01", trigger: "manual", status: "done" },
    });
    return {
      propertyId: property.id,
      runPropertyId: runProperty.id,
      archivablePropertyId: archivable.id,
      archivedPropertyId: archivedProperty.id,
      archivedUnitId: archivedUnit.id,
      unitId: u1.id,
      spareUnitId: spare.id,
      removablePhotoId: removable.id,
      coverPhotoId: cover.id,
      freeFileId: freePhoto.id,
      logoFileId: logo.id,
      idFileId: idFile.id,
      scanFileId: scanFile.id,
      renterId: renter.id,
      renterPhone,
      archivableRenterId: archivableRenter.id,
      archivableRenterPhone,
      archivedRenterId: archivedRenter.id,
      activeId,
      draftId,
      deletableId,
      activatableId,
      endableId,
      terminableId,
      invoiceId: inv.id,
      voidInvoiceId: voidable.id,
      linkInvoiceId: link.id,
      runId: run.id,
    };
  });
}

async function fixture(permissions: readonly PermissionCode[]): Promise<Fixture> {
  const slug = uniqueSlug("perm");
  const tenant = await createTenant({ slug, password: OWNER_PASSWORD });
  const roleId = await createRole(tenant.tenantId, `custom-${slug}`, permissions);
  const actor = await addMember(tenant, { email: uniqueEmail("actor", slug), role: "viewer", password: ACTOR_PASSWORD });
  await setMembershipRole(tenant.tenantId, actor.membershipId, roleId);
  const target = await addMember(tenant, { email: uniqueEmail("target", slug), role: "viewer" });
  // the target and the pending invitation hold no permission, so they never outrank the actor
  const powerlessRoleId = await createRole(tenant.tenantId, `none-${slug}`, []);
  await setMembershipRole(tenant.tenantId, target.membershipId, powerlessRoleId);
  const spareRoleId = await createRole(tenant.tenantId, `spare-${slug}`, ["workspace.view"]);
  const invitationId = await new TenantDb(tenant.tenantId).run(async (tx) => {
    const row = await tx.invitation.create({
      data: {
        tenantId: tenant.tenantId,
        email: uniqueEmail("pending", slug),
        roleId: powerlessRoleId,
        tokenHash: newToken().tokenHash,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    return row.id;
  });
  const actorSessionId = (await sessionFor(actor.userId, hostOf(slug))).sid;
  const invoice = await issueRenewalInvoice(tenant.tenantId);
  if (!invoice) throw new Error("no renewal invoice");
  const paymentId = (await khqrAttempt(tenant.tenantId, invoice)).id;
  await new TenantDb(tenant.tenantId).run(async (tx) => {
    const sub = await tx.subscription.findFirstOrThrow();
    await tx.subscription.update({ where: { id: sub.id }, data: { pendingPlanId: sub.planId, pendingInterval: "year" } });
  });
  const [messageId, suppressionId] = await new TenantDb(tenant.tenantId).run(async (tx) => {
    const m = await tx.outboundMessage.create({
      data: {
        tenantId: tenant.tenantId,
        key: "team.invitation",
        locale: "en",
        to: uniqueEmail("failed", slug),
        dedupeKey: `perm:${slug}`,
        variables: { ...MESSAGE_CATALOG["team.invitation"].sample },
        status: "failed",
      },
    });
    const s = await tx.suppressedAddress.create({
      data: { tenantId: tenant.tenantId, address: uniqueEmail("bounced", slug), reason: "bounced" },
    });
    return [m.id, s.id];
  });
  const rental = await createRental(tenant.tenantId);
  return {
    tenant,
    actor,
    target,
    invitationId,
    spareRoleId,
    actorSessionId,
    actorRoleId: roleId,
    invoiceId: invoice.id,
    paymentId,
    messageId,
    suppressionId,
    rental,
  };
}

/**
 * Owner-only actions, with the refusal a member holding the permission gets: members.manage is
 * necessary but not enough to hand over ownership; only the owner closes the workspace for deletion
 * or reopens it.
 */
const OWNER_ONLY = new Map([
  ["members.transferOwnership", "errors.onlyOwnerCanGrantOwner"],
  ["workspaceDeletion.close", "workspaceDeletion.errors.notOwner"],
  ["workspaceDeletion.restore", "workspaceDeletion.errors.notOwner"],
]);

describe("the router", () => {
  it("guards every tenant procedure with a permission", () => {
    expect(guarded.filter((g) => !g.permission).map((g) => g.path)).toEqual([]);
  });

  it("has a sample input for every guarded procedure", () => {
    const missing = guarded.filter((g) => !INPUTS[g.path]).map((g) => g.path);
    expect(missing, `add entries to INPUTS in tests/integration/permissions.test.ts for: ${missing.join(", ")}`).toEqual([]);
  });
});

// procedures without a sample input are skipped here and fail "has a sample input for every guarded procedure"
describe.each(guarded.filter((g) => g.permission && INPUTS[g.path]))("$path (needs $permission)", ({ path, permission }) => {
  // rentInvoices.startRun keeps working after it answered: nothing may still run after a test
  afterEach(() => settleBackgroundRuns());

  const input = (f: Fixture) => {
    const make = INPUTS[path];
    if (!make) throw new Error(`no sample input for ${path}`);
    return make(f);
  };

  it("is FORBIDDEN for a role with every other permission, naming the missing one", async () => {
    const f = await fixture(ALL_PERMISSION_CODES.filter((c) => c !== permission));
    const caller = await signedIn(f.actor.userId, hostOf(f.tenant.slug));
    const error = await expectTRPCError(callPath(caller, path, input(f)), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.missingPermission",
    });
    expect(safeError(error, "en", null).message).toContain(`“${permission}”`);
    expect(safeError(error, "km", null).message).toContain(permission);
  });

  it("is allowed for a role with only that permission", async () => {
    const f = await fixture([permission!]);
    const caller = await signedIn(f.actor.userId, hostOf(f.tenant.slug));
    const ownerOnly = OWNER_ONLY.get(path);
    if (ownerOnly) {
      await expectTRPCError(callPath(caller, path, input(f)), "FORBIDDEN", { key: ownerOnly });
      const owner = await signedIn(f.tenant.owner.userId, hostOf(f.tenant.slug));
      await expect(callPath(owner, path, input(f))).resolves.toBeDefined();
      return;
    }
    await expect(callPath(caller, path, input(f))).resolves.toBeDefined();
  });
});

describe("default roles", () => {
  let t: CreatedTenant;
  let viewer: Member;
  let other: Member;

  beforeAll(async () => {
    const slug = uniqueSlug("roles");
    t = await createTenant({ slug });
    viewer = await addMember(t, { email: uniqueEmail("viewer", slug), role: "viewer" });
    other = await addMember(t, { email: uniqueEmail("other", slug), role: "viewer" });
  });

  it("lets a viewer list members but not change roles or status", async () => {
    const caller = await signedIn(viewer.userId, hostOf(t.slug));
    const list = await caller.members.list({});
    expect(list.items.map((m) => m.id)).toEqual(expect.arrayContaining([t.owner.membershipId, viewer.membershipId, other.membershipId]));
    await expectTRPCError(caller.members.changeRole({ membershipId: other.membershipId, roleId: t.roles.admin }), "FORBIDDEN", {
      key: "errors.missingPermission",
    });
    await expectTRPCError(caller.members.setStatus({ membershipId: other.membershipId, status: "deactivated" }), "FORBIDDEN");
  });

  it("gives a deactivated member NOT_FOUND everywhere, even with a valid session", async () => {
    const slug = t.slug;
    const gone = await addMember(t, { email: uniqueEmail("gone", slug), role: "admin", status: "deactivated" });
    const caller = await signedIn(gone.userId, hostOf(slug));
    await expectTRPCError(caller.workspace.current(), "NOT_FOUND", { key: "errors.notFound" });
    await expectTRPCError(caller.members.list({}), "NOT_FOUND");
  });

  it("applies a role change on the member's next call, in both directions", async () => {
    const slug = uniqueSlug("flip");
    const tenant = await createTenant({ slug });
    const member = await addMember(tenant, { email: uniqueEmail("m", slug), role: "viewer" });
    const target = await addMember(tenant, { email: uniqueEmail("t", slug), role: "viewer" });
    const owner = await signedIn(tenant.owner.userId, hostOf(slug));
    const caller = await signedIn(member.userId, hostOf(slug)); // one caller = one request context, reused

    expect((await caller.workspace.current()).permissions).not.toContain("members.manage");
    await expectTRPCError(caller.members.changeRole({ membershipId: target.membershipId, roleId: tenant.roles.manager }), "FORBIDDEN");

    await owner.members.changeRole({ membershipId: member.membershipId, roleId: tenant.roles.admin });
    const promoted = await caller.workspace.current();
    expect(promoted.me.role).toBe("admin");
    expect(promoted.permissions).toContain("members.manage");
    await expect(caller.members.changeRole({ membershipId: target.membershipId, roleId: tenant.roles.manager })).resolves.toMatchObject({
      role: { key: "manager" },
    });

    await owner.members.changeRole({ membershipId: member.membershipId, roleId: tenant.roles.viewer });
    expect((await caller.workspace.current()).permissions).not.toContain("members.manage");
    await expectTRPCError(caller.members.changeRole({ membershipId: target.membershipId, roleId: tenant.roles.viewer }), "FORBIDDEN");

    await owner.members.setStatus({ membershipId: member.membershipId, status: "deactivated" });
    await expectTRPCError(caller.workspace.current(), "NOT_FOUND");
  });

  it("refuses a suspended workspace to its own owner", async () => {
    const tenant = await createTenant({ slug: uniqueSlug("susp"), status: "suspended" });
    const caller = await signedIn(tenant.owner.userId, hostOf(tenant.slug));
    await expectTRPCError(caller.workspace.current(), "FORBIDDEN", { key: "errors.workspaceSuspended" });
  });
});

describe("over HTTP (the tRPC fetch adapter with the app's error formatter)", () => {
  it("sends FORBIDDEN with a translated message naming the permission, and no stack", async () => {
    const slug = uniqueSlug("wire");
    const t = await createTenant({ slug });
    const viewer = await addMember(t, { email: uniqueEmail("v", slug), role: "viewer" });
    const claims = await sessionFor(viewer.userId, hostOf(slug));
    const post = (acceptLanguage: string) => {
      const req = new Request(`http://${hostOf(slug)}:3000/api/trpc/members.setStatus`, {
        method: "POST",
        headers: {
          host: `${hostOf(slug)}:3000`,
          "content-type": "application/json",
          "accept-language": acceptLanguage,
          "x-request-id": "req-wire",
        },
        body: JSON.stringify({ json: { membershipId: t.owner.membershipId, status: "deactivated" } }),
      });
      return fetchRequestHandler({
        endpoint: "/api/trpc",
        req,
        router: appRouter,
        createContext: () => createContext({ headers: req.headers, getClaims: async () => claims }),
      });
    };

    const res = await post("en");
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.message).toBe("You do not have permission to do that (needs “members.manage”). Ask an owner or admin.");
    expect(body.error.json.data).toMatchObject({ code: "FORBIDDEN", httpStatus: 403, appCode: "FORBIDDEN", path: "members.setStatus" });
    expect(body.error.json.data).not.toHaveProperty("stack");

    const km = (await (await post("km")).json()) as { error: { json: { message: string } } };
    expect(km.error.json.message).toContain("members.manage");
    expect(km.error.json.message).not.toBe(body.error.json.message);
  });

  it("sends NOT_FOUND, not FORBIDDEN, to a signed-in stranger", async () => {
    const t = await createTenant({ slug: uniqueSlug("wire2") });
    const stranger = await createTenant({ slug: uniqueSlug("wire3") });
    const caller = await callerFor(hostOf(t.slug), await sessionFor(stranger.owner.userId, hostOf(t.slug)));
    await expectTRPCError(caller.members.list({}), "NOT_FOUND");
  });
});

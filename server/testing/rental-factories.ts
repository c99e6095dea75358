import "server-only";
import { randomUUID } from "node:crypto";
import { TenantDb } from "@/server/db/tenant-db";

// Rental rows for tests, e2e set-up and the seed: properties, units, renters, contracts and rent
// invoices, written as the services would write them. Re-exported by factories.ts, the one entry
// point callers import.

/** A property in the tenant (default: an apartment building with a unique name). */
export async function createProperty(input: {
  tenantId: string;
  name?: string;
  address?: string;
  type?: "apartment_building" | "boarding_house" | "house" | "shop";
}) {
  return new TenantDb(input.tenantId).run((tx) =>
    tx.property.create({
      data: {
        tenantId: input.tenantId,
        name: input.name ?? `Building ${randomUUID().slice(0, 8)}`,
        address: input.address ?? "Street 63, Phnom Penh",
        type: input.type ?? "apartment_building",
      },
    }),
  );
}

/** A unit (default: in a new property, vacant, USD 250.00). */
export async function createUnit(input: {
  tenantId: string;
  propertyId?: string;
  code?: string;
  floor?: number | null;
  baseRent?: number;
  currency?: "USD" | "KHR";
  status?: "vacant" | "occupied" | "maintenance";
}) {
  const propertyId = input.propertyId ?? (await createProperty({ tenantId: input.tenantId })).id;
  return new TenantDb(input.tenantId).run((tx) =>
    tx.unit.create({
      data: {
        tenantId: input.tenantId,
        propertyId,
        code: input.code ?? `U-${randomUUID().slice(0, 6)}`,
        floor: input.floor ?? null,
        baseRent: input.baseRent ?? 25_000,
        currency: input.currency ?? "USD",
        status: input.status ?? "vacant",
      },
    }),
  );
}

/** A renter (default: unique Latin name and phone, no email). */
export async function createRenter(input: {
  tenantId: string;
  nameKm?: string;
  nameLatin?: string;
  phone?: string;
  email?: string | null;
  telegram?: string | null;
  locale?: "km" | "en";
}) {
  const n = randomUUID().replace(/\D/g, "").padEnd(8, "0").slice(0, 8);
  return new TenantDb(input.tenantId).run((tx) =>
    tx.renter.create({
      data: {
        tenantId: input.tenantId,
        nameKm: input.nameKm ?? "សុខ ដារ៉ា",
        nameLatin: input.nameLatin ?? `Sok Dara ${n}`,
        phone: input.phone ?? `+85512${n.slice(0, 6)}`,
        email: input.email ?? null,
        telegram: input.telegram ?? null,
        locale: input.locale ?? "km",
      },
    }),
  );
}

/**
 * A contract (default: draft, creating a unit and a renter when not given, USD 250.00 rent from
 * the 1st of the month of `now`, billing day 1). status "active" sets activeUnitId and the unit
 * occupied, "ended"/"terminated" set the end fields — the same rows ContractService would write.
 *
 * Dates: a test that pins any date (an end date, an invoice period, a run date) passes `startDate`
 * (or the clock `now` the defaults are read from), so nothing here reads the wall clock for it;
 * an `endDate` without either is refused. Only callers that pin nothing (the seed, e2e fixtures)
 * get the wall clock. See docs/TESTING.md.
 */
export async function createContract(input: {
  tenantId: string;
  unitId?: string;
  renterId?: string;
  propertyId?: string;
  status?: "draft" | "active" | "ended" | "terminated";
  startDate?: string | Date;
  endDate?: string | Date | null;
  rentAmount?: number;
  currency?: "USD" | "KHR";
  depositAmount?: number;
  billingDay?: number;
  dueDays?: number;
  lateFeeType?: "none" | "fixed" | "percent";
  lateFeeValue?: number;
  lateFeeGraceDays?: number;
  electricityRate?: number;
  waterRate?: number;
  recurringCharges?: { description: string; amount: number }[];
  creditBalance?: number;
  /** the clock the date defaults are read from (start: the 1st of its month, UTC; ended/terminated at) */
  now?: Date;
}) {
  const { tenantId } = input;
  if (input.endDate && input.startDate === undefined && input.now === undefined) {
    throw new Error("createContract: an endDate needs a startDate (or now), or the contract would depend on today's date");
  }
  const unitId = input.unitId ?? (await createUnit({ tenantId, propertyId: input.propertyId, currency: input.currency })).id;
  const renterId = input.renterId ?? (await createRenter({ tenantId })).id;
  const status = input.status ?? "draft";
  const toDate = (d: string | Date) => (d instanceof Date ? d : new Date(`${d}T00:00:00Z`));
  const clock = () => input.now ?? new Date();
  const startDate = input.startDate !== undefined ? toDate(input.startDate) : firstOfMonthUtc(clock());
  const endDate = input.endDate ? toDate(input.endDate) : null;
  // ended/terminated: on the end date when one is pinned, else at the clock
  const closedAt = status === "ended" || status === "terminated" ? (endDate ?? clock()) : null;
  return new TenantDb(tenantId).run(async (tx) => {
    const contract = await tx.contract.create({
      data: {
        tenantId,
        unitId,
        renterId,
        status,
        activeUnitId: status === "active" ? unitId : null,
        startDate,
        endDate,
        rentAmount: input.rentAmount ?? 25_000,
        currency: input.currency ?? "USD",
        depositAmount: input.depositAmount ?? 0,
        billingDay: input.billingDay ?? 1,
        dueDays: input.dueDays ?? 5,
        lateFeeType: input.lateFeeType ?? "none",
        lateFeeValue: input.lateFeeValue ?? 0,
        lateFeeGraceDays: input.lateFeeGraceDays ?? 0,
        electricityRate: input.electricityRate ?? 0,
        waterRate: input.waterRate ?? 0,
        recurringCharges: input.recurringCharges ?? [],
        creditBalance: input.creditBalance ?? 0,
        activatedAt: status === "draft" ? null : startDate,
        endedAt: status === "ended" ? closedAt : null,
        terminatedAt: status === "terminated" ? closedAt : null,
      },
    });
    if (status === "active") await tx.unit.update({ where: { id: unitId }, data: { status: "occupied" } });
    return contract;
  });
}

function firstOfMonthUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/**
 * An issued rent invoice for a contract, written as the invoice run would (one rent line unless
 * `lines` are given; total = their sum), with a pay token. Numbers are unique per call
 * (R-<year>-9xxxxx), so they never meet the run's gap-free counter in the same test tenant.
 * With a `period`, nothing reads the wall clock: issued at 02:00 UTC on its 1st (09:00 in Phnom
 * Penh, when the run would issue it), due on its 5th. Without one, the period is that of `issuedAt`
 * or `now` (default: the wall clock).
 */
export async function createRentInvoice(input: {
  tenantId: string;
  contractId: string;
  period?: string;
  currency?: "USD" | "KHR";
  lines?: { kind?: "rent" | "electricity" | "water" | "charge" | "late_fee"; description: string; quantity?: number; unitAmount: number }[];
  status?: "issued" | "partially_paid" | "overdue" | "draft" | "void";
  amountPaid?: number;
  dueDate?: string;
  issuedAt?: Date;
  payToken?: string | null;
  /** the clock for the defaults when no period (nor issuedAt) is given */
  now?: Date;
}) {
  const { tenantId } = input;
  const lines = (input.lines ?? [{ kind: "rent" as const, description: "Rent", unitAmount: 25_000 }]).map((l, position) => ({
    tenantId,
    kind: l.kind ?? ("rent" as const),
    description: l.description,
    quantity: l.quantity ?? 1,
    unitAmount: l.unitAmount,
    amount: (l.quantity ?? 1) * l.unitAmount,
    position,
  }));
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const at = input.issuedAt ?? (input.period ? new Date(`${input.period}-01T02:00:00Z`) : (input.now ?? new Date()));
  const period = input.period ?? `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
  const hex = () => randomUUID().replace(/-/g, "");
  return new TenantDb(tenantId).run(async (tx) => {
    const contract = await tx.contract.findUniqueOrThrow({
      where: { id: input.contractId },
      select: { currency: true, unit: { select: { propertyId: true } } },
    });
    return tx.rentInvoice.create({
      data: {
        tenantId,
        contractId: input.contractId,
        propertyId: contract.unit.propertyId,
        number: `R-${period.slice(0, 4)}-9${String(parseInt(hex().slice(0, 8), 16) % 100_000).padStart(5, "0")}`,
        period,
        status: input.status ?? "issued",
        currency: input.currency ?? contract.currency,
        total,
        amountPaid: input.amountPaid ?? 0,
        issuedAt: at,
        dueDate: new Date(`${input.dueDate ?? `${period}-05`}T00:00:00Z`),
        payToken: input.payToken === undefined ? Buffer.from(hex() + hex(), "hex").toString("base64url") : input.payToken,
        lines: { create: lines.map(({ tenantId: _t, ...l }) => l) },
      },
      include: { lines: true },
    });
  });
}

// Development demo data. Refuses to run in production. Idempotent, entity by entity: a run
// that stopped half-way is completed by the next one; existing rows are kept as they are.
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { createTenant, createUser, setSubscription, type TestSubscription } from "@/server/testing/factories";
import type { DefaultRoleKey } from "@/lib/permissions";
import type { DbTx } from "@/server/db/tenant-db";
import { nextInvoiceNumber, RENT_INVOICE_PREFIX, rentInvoiceScope } from "@/server/core/invoice-number";
import { newPayToken } from "@/server/rent-invoices/pay-token";

export const DEMO_PASSWORD = "phteah-demo-2026";

export const DEMO_LOGINS = [
  { who: "platform admin", email: "admin@phteah.test", host: "apex" },
  { who: "acme owner", email: "owner@acme.test", host: "acme" },
  { who: "globex owner", email: "owner@globex.test", host: "globex" },
] as const;

const DAY = 86_400_000;

// acme pays for Pro; globex is two days into its 14-day trial (of Pro, so custom roles work there too)
const TENANTS = [
  { slug: "acme", name: "Acme Apartments", subscription: { plan: "pro", status: "active" } },
  {
    slug: "globex",
    name: "Globex Boarding House",
    subscription: {
      plan: "pro",
      status: "trialing",
      periodStart: new Date(Date.now() - 2 * DAY),
      periodEnd: new Date(Date.now() + 12 * DAY),
    },
  },
] satisfies Array<{ slug: string; name: string; subscription: TestSubscription }>;

async function ensureMember(tenantId: string, email: string, name: string, role: DefaultRoleKey): Promise<void> {
  const user = await createUser({ email, name, password: DEMO_PASSWORD });
  await new TenantDb(tenantId).run(async (tx) => {
    if (await tx.membership.findFirst({ where: { tenantId, userId: user.id }, select: { id: true } })) return;
    const roleRow = await tx.role.findFirstOrThrow({ where: { tenantId, key: role }, select: { id: true } });
    await tx.membership.create({ data: { tenantId, userId: user.id, roleId: roleRow.id } });
  });
}

export async function seed(): Promise<void> {
  if (process.env.NODE_ENV === "production") {
    throw new Error("Refusing to seed demo data: NODE_ENV=production.");
  }
  await createUser({ email: "admin@phteah.test", name: "Platform Admin", password: DEMO_PASSWORD, isPlatformAdmin: true });
  for (const { slug, name, subscription } of TENANTS) {
    const existing = await getDb().tenant.findUnique({ where: { slug }, select: { id: true } });
    const tenantId =
      existing?.id ??
      (
        await createTenant({
          slug,
          name,
          ownerEmail: `owner@${slug}.test`,
          ownerName: `${name} Owner`,
          password: DEMO_PASSWORD,
          subscription,
        })
      ).tenantId;
    if (!(await new TenantDb(tenantId).run((tx) => tx.subscription.findFirst({ select: { id: true } }))))
      await setSubscription(tenantId, subscription);
    await ensureMember(tenantId, `owner@${slug}.test`, `${name} Owner`, "owner");
    await ensureMember(tenantId, `manager@${slug}.test`, `${name} Manager`, "manager");
    await ensureMember(tenantId, `viewer@${slug}.test`, `${name} Viewer`, "viewer");
    if (slug === "acme") await seedRentals(tenantId, `owner@${slug}.test`);
  }
}

// ───────────── acme's rental demo: "Sokha Apartments", a 20-unit building ─────────────
// Written with plain inserts (no rental service), in one transaction: either the whole building
// is there or none of it, and a second run finds the property and leaves everything as it is.
// Dates follow today in the tenant's timezone: readings for last month and this month, last
// month's invoices (paid, partly paid, overdue with a late fee waiting), a few of this month's
// issued, and contracts ending within 60 days for the dashboard.

export const DEMO_PROPERTY = "Sokha Apartments";

const RENTERS: ReadonlyArray<{ km: string; latin: string; phone: string; email?: string; telegram?: string; locale?: "km" | "en" }> = [
  { km: "សុខ ដារ៉ា", latin: "Sok Dara", phone: "+85512345678", email: "sok.dara@example.com", telegram: "@sokdara" },
  { km: "ចាន់ សុភា", latin: "Chan Sophea", phone: "+85517234567", telegram: "@chansophea" },
  { km: "ហេង វណ្ណា", latin: "Heng Vanna", phone: "+85596123456", email: "heng.vanna@example.com", locale: "en" },
  { km: "លី ស្រីនិច", latin: "Ly Sreynich", phone: "+85577812345" },
  { km: "គឹម សុខា", latin: "Kim Sokha", phone: "+85510456789", email: "kim.sokha@example.com" },
  { km: "ស៊ាង ពិសិដ្ឋ", latin: "Seang Piseth", phone: "+855978812345", telegram: "@piseth_s" },
  { km: "ម៉ៅ ចន្ថា", latin: "Mao Chantha", phone: "+85511223344" },
  { km: "នួន បុប្ផា", latin: "Nuon Bopha", phone: "+85592667788", email: "bopha.nuon@example.com" },
  { km: "ពៅ រតនា", latin: "Pov Rattana", phone: "+855889012345", locale: "en" },
  { km: "សេង ម៉ានិត", latin: "Seng Manith", phone: "+85515678901" },
  { km: "ឈឹម សុវណ្ណារី", latin: "Chhim Sovannary", phone: "+85570345678", telegram: "@sovannary" },
  { km: "អ៊ុក វិចិត្រ", latin: "Ouk Vichet", phone: "+85569234567" },
  { km: "ទូច សុភ័ក្ត្រ", latin: "Touch Sopheak", phone: "+85581456789", email: "sopheak.touch@example.com" },
  { km: "ខៀវ ស្រីល័ក្ខ", latin: "Khiev Sreyleak", phone: "+85516987654" },
  { km: "ប៉ែន ដាវីត", latin: "Pen David", phone: "+855966543210", email: "pen.david@example.com", locale: "en" },
  { km: "យិន សុធារី", latin: "Yin Sotheary", phone: "+85578123987" },
  { km: "រស់ សំណាង", latin: "Ros Samnang", phone: "+85512908070", telegram: "@rossamnang" },
];

/** Units that stay empty: two vacant, one under repair. Every other unit has an active contract. */
const VACANT = new Set(["204", "402"]);
const MAINTENANCE = new Set(["303"]);
/** The one contract in riel. */
const KHR_UNIT = "305";
const KHR_RENT = 800_000;

/**
 * What each occupied unit's invoices look like (index in occupation order). `last`: last month's
 * invoice; `now`: this month's, already issued today. Units not listed get their invoices from
 * the invoice run. Occupation order: 101–105 (0–4), 201–203, 205 (5–8), 301, 302, 304, 305 (9–12),
 * 401, 403–405 (13–16).
 */
const LAST_MONTH: Record<number, "paid-cash" | "paid-transfer" | "paid-khqr" | "partial" | "overdue"> = {
  0: "paid-cash",
  1: "paid-transfer",
  2: "paid-khqr",
  3: "paid-cash",
  4: "partial",
  5: "overdue",
  6: "overdue",
  7: "paid-cash",
  12: "paid-cash", // the riel contract (unit 305)
};
const THIS_MONTH = new Set([0, 1, 12]);
/** Contracts that end soon (days from today) — shown on the dashboard. */
const ENDING_SOON: Record<number, number> = { 8: 21, 11: 45 };

type SeedDay = string; // YYYY-MM-DD in the tenant's timezone

function seedLocalDay(at: Date, timeZone: string): SeedDay {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
const dateOf = (day: SeedDay) => new Date(`${day}T00:00:00.000Z`);
const plusDays = (day: SeedDay, n: number): SeedDay => new Date(dateOf(day).getTime() + n * DAY).toISOString().slice(0, 10);
function plusMonths(day: SeedDay, n: number): SeedDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
/** Noon of a local day as an instant (Phnom Penh has no DST: UTC+7). */
const noonOf = (day: SeedDay) => new Date(`${day}T05:00:00.000Z`);
const monthName = (period: string) =>
  new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(dateOf(`${period}-01`));
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");

interface SeedLine {
  kind: "rent" | "electricity" | "water" | "charge" | "late_fee";
  description: string;
  quantity: number;
  unitAmount: number;
  meta?: Record<string, string | number>;
}

async function seedRentals(tenantId: string, ownerEmail: string): Promise<void> {
  const owner = await getDb().user.findUniqueOrThrow({ where: { email: ownerEmail }, select: { id: true } });
  const tenant = await getDb().tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timezone: true, bakongAccountId: true } });
  // the renters' KHQR payments go to the landlord's own Bakong account (plan feature khqr_rent_collection)
  if (!tenant.bakongAccountId) await getDb().tenant.update({ where: { id: tenantId }, data: { bakongAccountId: "sokha_apartments@aclb" } });
  const tz = tenant.timezone;
  const today = seedLocalDay(new Date(), tz);
  const thisPeriod = today.slice(0, 7);
  const lastPeriod = plusMonths(`${thisPeriod}-01`, -1).slice(0, 7);
  const billingDayNow = Math.min(28, Number(today.slice(8, 10)));

  await new TenantDb(tenantId).run(
    async (tx) => {
      if (await tx.property.findFirst({ where: { name: DEMO_PROPERTY }, select: { id: true } })) return;
      const property = await tx.property.create({
        data: {
          tenantId,
          name: DEMO_PROPERTY,
          address: "St. 271, Sangkat Tuol Tumpung Ti Muoy, Khan Chamkar Mon, Phnom Penh",
          type: "apartment_building",
          notes: "Four floors, five units per floor. Meters read on the 1st.",
        },
      });

      let occupiedIndex = 0;
      for (let floor = 1; floor <= 4; floor++) {
        for (let n = 1; n <= 5; n++) {
          const code = `${floor}0${n}`;
          const isKhr = code === KHR_UNIT;
          const baseRent = isKhr ? KHR_RENT : (160 + floor * 20 + (n === 5 ? 30 : 0)) * 100;
          const status = VACANT.has(code) ? "vacant" : MAINTENANCE.has(code) ? "maintenance" : "occupied";
          const unit = await tx.unit.create({
            data: {
              tenantId,
              propertyId: property.id,
              code,
              floor,
              sizeSqm: n === 5 ? 42 : 28 + floor,
              baseRent,
              currency: isKhr ? "KHR" : "USD",
              status,
            },
          });
          if (status !== "occupied") continue;
          const i = occupiedIndex++;
          await seedTenancy(tx, {
            tenantId,
            ownerId: owner.id,
            tz,
            unit: { id: unit.id, code, currency: unit.currency, rent: baseRent, floor },
            renter: RENTERS[i]!,
            i,
            today,
            thisPeriod,
            lastPeriod,
            billingDayNow,
          });
        }
      }
    },
    { timeout: 60_000 },
  );
}

async function seedTenancy(
  tx: DbTx,
  s: {
    tenantId: string;
    ownerId: string;
    tz: string;
    unit: { id: string; code: string; currency: string; rent: number; floor: number };
    renter: (typeof RENTERS)[number];
    i: number;
    today: SeedDay;
    thisPeriod: string;
    lastPeriod: string;
    billingDayNow: number;
  },
): Promise<void> {
  const { tenantId, unit, i, today } = s;
  const usd = unit.currency === "USD";
  const renter = await tx.renter.create({
    data: {
      tenantId,
      nameKm: s.renter.km,
      nameLatin: s.renter.latin,
      phone: s.renter.phone,
      email: s.renter.email ?? null,
      telegram: s.renter.telegram ?? null,
      locale: s.renter.locale ?? "km",
      emergencyName: i % 3 === 0 ? "Family contact" : null,
      emergencyPhone: i % 3 === 0 ? `+8551200${String(1000 + i)}` : null,
    },
  });

  // a one-year lease that started 2–13 months ago, or one that ends within 60 days
  const endSoon = ENDING_SOON[i];
  const endDate = endSoon !== undefined ? plusDays(today, endSoon) : plusDays(plusMonths(`${today.slice(0, 8)}01`, 12 - (2 + (i % 9))), -1);
  const startDate = plusDays(plusMonths(endDate, -12), 1);
  const electricityRate = usd ? 25 : 1_000; // per kWh: $0.25 or ៛1,000
  const waterRate = usd ? 50 : 2_000; // per m³
  const charges = usd
    ? [
        { description: "Trash collection & security", amount: 300 },
        ...(i % 4 === 1 ? [{ description: "Motorbike parking", amount: 500 }] : []),
      ]
    : [];
  const contract = await tx.contract.create({
    data: {
      tenantId,
      unitId: unit.id,
      renterId: renter.id,
      status: "active",
      activeUnitId: unit.id,
      startDate: dateOf(startDate),
      endDate: dateOf(endDate),
      rentAmount: unit.rent,
      currency: unit.currency,
      depositAmount: unit.rent,
      billingDay: THIS_MONTH.has(i) ? s.billingDayNow : 1,
      dueDays: 5,
      lateFeeType: usd ? (i % 5 === 0 ? "percent" : "fixed") : "fixed",
      lateFeeValue: usd ? (i % 5 === 0 ? 500 : 500) : 20_000,
      lateFeeGraceDays: 3,
      electricityRate,
      waterRate,
      recurringCharges: charges,
      activatedAt: noonOf(startDate),
      notes: i === 0 ? "Pays in cash at the office." : "",
    },
  });

  // two months of readings: last month's (the start) and this month's (read on the 1st)
  const elecStart = 1_200 + i * 137;
  const waterStart = 80 + i * 9;
  const elecUse = 90 + ((i * 37) % 160);
  const waterUse = 4 + ((i * 5) % 9);
  const reading = { electricity: [elecStart, elecStart + elecUse], water: [waterStart, waterStart + waterUse] } as const;
  for (const kind of ["electricity", "water"] as const) {
    await tx.meterReading.create({
      data: { tenantId, unitId: unit.id, kind, period: s.lastPeriod, reading: reading[kind][0], recordedById: s.ownerId },
    });
    await tx.meterReading.create({
      data: { tenantId, unitId: unit.id, kind, period: s.thisPeriod, reading: reading[kind][1], recordedById: s.ownerId },
    });
  }

  const rentLine = (period: string): SeedLine => ({
    kind: "rent",
    description: `Rent — ${monthName(period)}, unit ${unit.code}`,
    quantity: 1,
    unitAmount: unit.rent,
  });
  const chargeLines = charges.map((c): SeedLine => ({ kind: "charge", description: c.description, quantity: 1, unitAmount: c.amount }));

  // last month: the first reading only sets the meters' start, so rent and charges
  const last = LAST_MONTH[i];
  if (last) {
    const issueDay = `${s.lastPeriod}-01`;
    const dueDay = plusDays(issueDay, 5);
    const lines = [rentLine(s.lastPeriod), ...chargeLines];
    const total = lines.reduce((sum, l) => sum + l.quantity * l.unitAmount, 0);
    const paidDay = plusDays(issueDay, 2 + (i % 3));
    const paid = last.startsWith("paid") ? total : last === "partial" ? Math.round(total / 2 / 100) * 100 : 0;
    const invoice = await createSeedInvoice(tx, s, contract.id, {
      period: s.lastPeriod,
      issueDay,
      dueDay,
      lines,
      status: last.startsWith("paid") ? "paid" : last === "partial" ? "partially_paid" : "overdue",
      amountPaid: paid,
      paidAt: last.startsWith("paid") ? noonOf(paidDay) : null,
      overdueAt: last === "overdue" ? noonOf(plusDays(dueDay, 4)) : null,
    });
    if (paid > 0) {
      const method = last === "paid-transfer" ? "bank_transfer" : last === "paid-khqr" ? "khqr" : "cash";
      await tx.payment.create({
        data: {
          tenantId,
          purpose: "rent",
          rentInvoiceId: invoice.id,
          propertyId: invoice.propertyId,
          method,
          status: "paid",
          amount: paid,
          currency: unit.currency,
          paidAt: noonOf(paidDay),
          reference: method === "bank_transfer" ? `ABA-${hex(10).toUpperCase()}` : null,
          recordedById: method === "khqr" ? null : s.ownerId,
          ...(method === "khqr"
            ? {
                receivingAccount: "sokha_apartments@aclb",
                md5: hex(32),
                bakongHash: hex(64),
                fromAccountId: "renter@wing",
                billNumber: invoice.number,
              }
            : {}),
        },
      });
    }
    if (last === "overdue") {
      // the late fee the overdue job adds once per overdue invoice, waiting for this month's invoice
      await tx.rentCharge.create({
        data: {
          tenantId,
          contractId: contract.id,
          kind: "late_fee",
          description: `Late fee — invoice ${invoice.number}`,
          amount: usd ? (i % 5 === 0 ? Math.round(total * 0.05) : 500) : 20_000,
          currency: unit.currency,
          lateFeeForId: invoice.id,
        },
      });
    }
  }

  // this month: issued today, with the meters' use
  if (THIS_MONTH.has(i)) {
    const lines: SeedLine[] = [
      rentLine(s.thisPeriod),
      {
        kind: "electricity",
        description: `Electricity ${reading.electricity[0]} → ${reading.electricity[1]} kWh`,
        quantity: elecUse,
        unitAmount: electricityRate,
        meta: { previous: reading.electricity[0], current: reading.electricity[1], previousPeriod: s.lastPeriod, period: s.thisPeriod },
      },
      {
        kind: "water",
        description: `Water ${reading.water[0]} → ${reading.water[1]} m³`,
        quantity: waterUse,
        unitAmount: waterRate,
        meta: { previous: reading.water[0], current: reading.water[1], previousPeriod: s.lastPeriod, period: s.thisPeriod },
      },
      ...chargeLines,
    ];
    await createSeedInvoice(tx, s, contract.id, {
      period: s.thisPeriod,
      issueDay: today,
      dueDay: plusDays(today, 5),
      lines,
      status: "issued",
      amountPaid: 0,
      paidAt: null,
      overdueAt: null,
    });
  }
}

async function createSeedInvoice(
  tx: DbTx,
  s: { tenantId: string; tz: string },
  contractId: string,
  inv: {
    period: string;
    issueDay: SeedDay;
    dueDay: SeedDay;
    lines: SeedLine[];
    status: "issued" | "partially_paid" | "paid" | "overdue";
    amountPaid: number;
    paidAt: Date | null;
    overdueAt: Date | null;
  },
) {
  const issuedAt = noonOf(inv.issueDay);
  const total = inv.lines.reduce((sum, l) => sum + l.quantity * l.unitAmount, 0);
  const contract = await tx.contract.findUniqueOrThrow({
    where: { id: contractId },
    select: { currency: true, unit: { select: { propertyId: true } } },
  });
  return tx.rentInvoice.create({
    data: {
      tenantId: s.tenantId,
      contractId,
      propertyId: contract.unit.propertyId,
      number: await nextInvoiceNumber(tx, rentInvoiceScope(s.tenantId), issuedAt, RENT_INVOICE_PREFIX, s.tz),
      period: inv.period,
      status: inv.status,
      currency: contract.currency,
      total,
      amountPaid: inv.amountPaid,
      issuedAt,
      dueDate: dateOf(inv.dueDay),
      paidAt: inv.paidAt,
      overdueAt: inv.overdueAt,
      payToken: inv.status === "paid" ? null : newPayToken(),
      lines: {
        create: inv.lines.map((l, position) => ({
          kind: l.kind,
          description: l.description,
          quantity: l.quantity,
          unitAmount: l.unitAmount,
          amount: l.quantity * l.unitAmount,
          meta: l.meta,
          position,
        })),
      },
    },
  });
}

// No input gets a 500, and no input gets another workspace's data. Generated from the router:
// every procedure's input schema (tRPC `_def.inputs`) feeds a seeded generator
// (support/fuzz.ts) that makes valid samples, boundary and hostile values (100k-character and
// Khmer strings, NUL bytes, RTL overrides, lone surrogates, int4/2^53 overflows, NaN, Infinity),
// wrong types (including the Date/BigInt/Map/Set superjson can put on the wire) and the ids of
// another workspace's rows. Each case is called as one of: the owner, an admin, a manager, a
// viewer of workspace A, a signed-in non-member, anonymous, and (for the console) a platform
// admin with and without 2FA. Every answer must be a success or a TRPCError other than
// INTERNAL_SERVER_ERROR, whose user-facing message (server/api/errors.ts safeError) is plain;
// and nothing returned on A's host may contain workspace B's ids or names.
//
// Bounded: for each procedure a valid sample per role, each id field with B's id, four fields with
// what PostgreSQL refuses, topped up with random mutations to CASES_PER_PROCEDURE; all derived
// from a fixed seed, so a failure names a case that reproduces.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { safeError } from "@/server/api/errors";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import type { Meta } from "@/server/api/trpc";
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
  issueRenewalInvoice,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { validateEnv } from "@/env";
import { newToken } from "@/server/auth/tokens";
import { MESSAGE_CATALOG } from "@/lib/notifications/catalog";
import type { SessionClaims } from "@/server/auth/auth.public";
import { settleBackgroundRuns } from "@/server/rent-invoices/rent-invoice-service";
// aliased: a "use…" name at the top level trips react-hooks/rules-of-hooks
import { ownDatabaseForThisFile } from "./support/own-database";
import { khqrAttempt, useFakeBakong as fakeBakongForThisFile } from "./support/billing";
import { APEX, callPath, callerFor, hostOf, passMfa, sessionFor, type Caller } from "./support/world";
import {
  fakeUuid,
  hostileStrings,
  HOSTILE_NUMBERS,
  leavesOf,
  pick,
  seeded,
  seedOf,
  setAt,
  validSample,
  wrongTypes,
  type GenContext,
  type Rng,
} from "./support/fuzz";

// FUZZ_SEED=<n> explores other cases locally; CI runs the fixed seed
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
// TOTP secrets are encrypted with a key derived from AUTH_SECRET (set by the app in every other run)
process.env.AUTH_SECRET ??= "input-fuzz-auth-secret-input-fuzz-auth-secret";
const CASES_PER_PROCEDURE = 16;

type Role = "owner" | "admin" | "manager" | "viewer" | "nonMember" | "anonymous" | "platformAdmin" | "platformAdminNoMfa";
const TENANT_ROLES: readonly Role[] = ["owner", "admin", "manager", "viewer", "nonMember"];

/** The rows of one workspace the generator names by field. */
interface Rows {
  tenant: CreatedTenant;
  /** field name → a real id of this workspace (propertyId → a property, …) */
  ids: Record<string, string>;
  /** strings that only this workspace's rows contain */
  markers: string[];
}

interface FuzzWorld {
  a: Rows & { admin: Member; manager: Member; viewer: Member };
  b: Rows;
  nonMember: { userId: string };
  platformAdmin: { userId: string };
}
type Member = { userId: string; email: string; membershipId: string };

let w: FuzzWorld;

/** One workspace with a row of every kind the procedures name (its names carry `marker`). */
async function workspace(marker: string): Promise<Rows> {
  const slug = uniqueSlug(marker.toLowerCase().slice(0, 6));
  const tenant = await createTenant({ slug, name: `${marker} workspace` });
  const { tenantId } = tenant;
  const property = await createProperty({ tenantId, name: `${marker} Riverside`, address: `${marker} street` });
  const unit = await createUnit({ tenantId, propertyId: property.id, code: `${marker}-101` });
  const renter = await createRenter({ tenantId, nameLatin: `${marker} Renter`, email: `renter@${slug}.test` });
  const contract = await createContract({ tenantId, unitId: unit.id, renterId: renter.id, status: "active", startDate: "2026-01-01" });
  const invoice = await createRentInvoice({ tenantId, contractId: contract.id, period: "2026-01" });
  const spare = await addMember(tenant, { email: `spare@${slug}.test`, name: `${marker} Spare`, role: "viewer" });
  const extra = await new TenantDb(tenantId).run(async (tx) => {
    const file = (purpose: string, visibility: "public" | "private", mimeType: string) => {
      const id = randomUUID();
      return { id, tenantId, visibility, purpose, storageKey: `${tenantId}/${id}`, originalName: `${marker}.bin`, mimeType };
    };
    const photoFile = file("property_photo", "public", "image/png");
    const freeFile = file("property_photo", "public", "image/png");
    const docFile = file("renter_id", "private", "application/pdf");
    await tx.file.createMany({
      data: [photoFile, freeFile, docFile].map((f) => ({ ...f, sizeBytes: 100, checksumSha256: "0".repeat(64) })),
    });
    const photo = await tx.propertyPhoto.create({ data: { tenantId, propertyId: property.id, fileId: photoFile.id, position: 0 } });
    const invitation = await tx.invitation.create({
      data: {
        tenantId,
        email: `invitee@${slug}.test`,
        roleId: tenant.roles.viewer,
        tokenHash: newToken().tokenHash,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const role = await tx.role.create({ data: { tenantId, key: `custom-${slug}`, name: `${marker} desk` } });
    const message = await tx.outboundMessage.create({
      data: {
        tenantId,
        key: "team.invitation",
        locale: "en",
        to: `failed@${slug}.test`,
        dedupeKey: `fuzz:${slug}`,
        variables: { ...MESSAGE_CATALOG["team.invitation"].sample },
        status: "failed",
      },
    });
    const suppression = await tx.suppressedAddress.create({ data: { tenantId, address: `bounced@${slug}.test`, reason: "bounced" } });
    const run = await tx.invoiceRun.create({
      data: { tenantId, propertyId: property.id, runDate: "2026-01-01", trigger: "manual", status: "done" },
    });
    return { photo, freeFile, docFile, invitation, role, message, suppression, run };
  });
  const renewal = await issueRenewalInvoice(tenantId);
  if (!renewal) throw new Error("no renewal invoice");
  const payment = await khqrAttempt(tenantId, renewal);
  const ids: Record<string, string> = {
    tenantId,
    propertyId: property.id,
    unitId: unit.id,
    includeUnitId: unit.id,
    renterId: renter.id,
    includeRenterId: renter.id,
    contractId: contract.id,
    invoiceId: invoice.id,
    photoId: extra.photo.id,
    fileId: extra.freeFile.id,
    membershipId: spare.membershipId,
    userId: spare.userId,
    invitationId: extra.invitation.id,
    roleId: extra.role.id,
    messageId: extra.message.id,
    suppressionId: extra.suppression.id,
    runId: extra.run.id,
    paymentId: payment.id,
    subscriptionInvoiceId: renewal.id,
    cursor: renter.id,
  };
  return { tenant, ids, markers: [marker, slug, ...Object.values(ids)] };
}

// the console cases change global templates, plans and flags: not in the database other files share
ownDatabaseForThisFile("fuzz");
fakeBakongForThisFile();
beforeAll(async () => {
  process.env.BAKONG_SIMULATOR = "1";
  validateEnv();
  const [a, b] = [await workspace("FuzzOwn"), await workspace("ZqOtherWs")];
  const aSlug = a.tenant.slug;
  const [admin, manager, viewer, nonMember, platformAdmin] = await Promise.all([
    addMember(a.tenant, { email: `admin@${aSlug}.test`, role: "admin" }),
    addMember(a.tenant, { email: `manager@${aSlug}.test`, role: "manager" }),
    addMember(a.tenant, { email: `viewer@${aSlug}.test`, role: "viewer" }),
    createUser({ email: `outsider@${aSlug}.test` }),
    createUser({ email: `staff-${aSlug}@phteah.test`, isPlatformAdmin: true }),
  ]);
  w = { a: { ...a, admin, manager, viewer }, b, nonMember: { userId: nonMember.id }, platformAdmin: { userId: platformAdmin.id } };
}, 60_000);
afterAll(async () => {
  await settleBackgroundRuns();
  delete process.env.BAKONG_SIMULATOR;
  validateEnv();
});

// Sessions are minted lazily and again after procedures that can end them (sign-out
// everywhere, password change, member removal, ownership transfer, role changes).
let claimsCache = new Map<Role, SessionClaims | null>();
const SESSION_ENDING = new Set([
  "account.changePassword",
  "account.revokeSession",
  "account.signOutEverywhere",
  "members.changeRole",
  "members.setStatus",
  "members.remove",
  "members.transferOwnership",
  "roles.update",
  "roles.delete",
  "mfa.confirmEnrollment",
  "mfa.verify",
]);

async function claimsFor(role: Role): Promise<SessionClaims | null> {
  if (claimsCache.has(role)) return claimsCache.get(role)!;
  const host = hostOf(w.a.tenant.slug);
  const claims: SessionClaims | null = await (async () => {
    switch (role) {
      case "owner":
        return sessionFor(w.a.tenant.owner.userId, host);
      case "admin":
      case "manager":
      case "viewer":
        return sessionFor(w.a[role].userId, host);
      case "nonMember":
        return sessionFor(w.nonMember.userId, host);
      case "platformAdmin":
        return passMfa(await sessionFor(w.platformAdmin.userId, APEX));
      case "platformAdminNoMfa":
        return sessionFor(w.platformAdmin.userId, APEX);
      case "anonymous":
        return null;
    }
  })();
  claimsCache.set(role, claims);
  return claims;
}

interface Procedure {
  path: string;
  scope: Meta["scope"];
  input: unknown;
}

const procedures: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; inputs: unknown[] } }>,
).map(([path, p]) => ({
  path,
  scope: p._def.meta?.scope ?? "public",
  // chained .input() calls are merged by tRPC; every procedure here has at most one
  input: p._def.inputs[0],
}));

interface Case {
  role: Role;
  input: unknown;
  /** what the case is, for the failure report */
  label: string;
}

function rolesFor(p: Procedure): readonly Role[] {
  if (p.scope === "admin") return ["platformAdmin", "platformAdminNoMfa", "owner"];
  if (p.scope === "public") return ["anonymous", "owner"];
  return TENANT_ROLES;
}

/** The cases of one procedure: valid samples as each role, then one-field mutations, then whole-input garbage. */
function casesFor(p: Procedure, rng: Rng): Case[] {
  // the console acts on B's rows (suspending B, locking B's member), so A stays usable for the rest
  const own = p.scope === "admin" ? w.b.ids : w.a.ids;
  const ctx: GenContext = { rng, ownId: (key) => own[key] };
  const roles = rolesFor(p);
  const main: Role = p.scope === "admin" ? "platformAdmin" : p.scope === "public" ? "anonymous" : "owner";
  const valid = () => (p.input ? validSample(p.input as never, "", ctx) : undefined);
  const cases: Case[] = roles.map((role) => ({ role, input: valid(), label: "valid" }));
  const base = valid();
  const leaves = leavesOf(base).filter((l) => l.path.length > 0);
  // the ids of the other workspace, in every id field
  for (const leaf of p.scope === "admin" ? [] : leaves) {
    const other = w.b.ids[leaf.key];
    if (other) cases.push({ role: main, input: setAt(base, leaf.path, other), label: `other workspace's ${leaf.key}` });
  }
  // each free-text and number field once with what PostgreSQL refuses or overflows on
  const targeted: Record<"string" | "number", readonly unknown[]> = {
    string: ["a\u0000b", "x".repeat(100_000), "\u202E👩‍👩‍👧‍👦 សួស្តី\uD800"],
    number: [2 ** 31, 2 ** 53 + 2, -1e308],
  };
  for (const leaf of leaves.filter((l) => l.kind === "string" || l.kind === "number").slice(0, 4)) {
    const value = pick(rng, targeted[leaf.kind as "string" | "number"]);
    cases.push({ role: main, input: setAt(base, leaf.path, value), label: `${leaf.path.join(".")} replaced` });
  }
  const whole: unknown[] = [null, [], "x".repeat(100_000), 2 ** 53, { [fakeUuid(rng)]: "\u0000" }, ...wrongTypes()];
  while (cases.length < CASES_PER_PROCEDURE) {
    const role = rng() < 0.75 ? main : pick(rng, [...roles, "anonymous" as const]);
    if (leaves.length === 0 || rng() < 0.12) {
      cases.push({ role, input: pick(rng, whole), label: "whole input replaced" });
      continue;
    }
    const leaf = pick(rng, leaves);
    const current = leaf.path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], base);
    const r = rng();
    const value =
      r < 0.2
        ? pick(rng, wrongTypes())
        : leaf.kind === "number" || (leaf.kind !== "string" && r < 0.5)
          ? pick(rng, HOSTILE_NUMBERS)
          : pick(rng, hostileStrings(typeof current === "string" ? current : "x", rng));
    cases.push({ role, input: setAt(base, leaf.path, value), label: `${leaf.path.join(".")} replaced` });
  }
  return cases;
}

const UNSAFE =
  /prisma|postgres|invalid input syntax|sql|select |insert |update .* set|violates|constraint|relation "|column "|\bat .+:\d+:\d+|node_modules|\bstack\b|typeerror|referenceerror|cannot read prop|undefined is not/i;

function describeInput(input: unknown): string {
  const text = (() => {
    try {
      return JSON.stringify(input, (_k, v: unknown) =>
        typeof v === "bigint" ? `${v}n` : typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
      );
    } catch {
      return String(input);
    }
  })();
  return text === undefined ? "undefined" : text.length > 160 ? `${text.slice(0, 160)}…(${text.length} chars)` : text;
}

/** What went wrong with one call's answer, or null. */
function judge(p: Procedure, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): string | null {
  const leaks = (text: string) => w.b.markers.find((m) => text.includes(m));
  if (outcome.ok) {
    if (p.scope === "admin") return null; // the console sees every workspace by design
    let text: string;
    try {
      text = JSON.stringify(outcome.value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)) ?? "";
    } catch {
      text = String(outcome.value);
    }
    const leaked = leaks(text);
    return leaked ? `succeeded with the other workspace's ${leaked}` : null;
  }
  const e = outcome.error;
  if (!(e instanceof TRPCError)) return `threw a non-tRPC error: ${String(e)}`;
  if (e.code === "INTERNAL_SERVER_ERROR") {
    const cause = e.cause as { code?: unknown; message?: string } | undefined;
    return `500: ${String(cause?.code ?? "")} ${(cause?.message ?? e.message).split("\n").slice(-3).join(" ").slice(0, 300)}`;
  }
  const safe = safeError(e, "en", null);
  const shown = [safe.message, ...Object.values(safe.fieldErrors ?? {})].join(" | ");
  if (UNSAFE.test(shown)) return `${e.code} with an unsafe message: ${shown.slice(0, 300)}`;
  const leaked = leaks(shown);
  if (leaked) return `${e.code} naming the other workspace's ${leaked}`;
  return null;
}

// DEBUG=input-fuzz prints, per procedure, how the cases ended: a run where every case stops at
// zod or at the permission check proves nothing about the services, so look at it after changes.
const DEBUG = process.env.DEBUG?.includes("input-fuzz") ?? false;
const outcomes = new Map<string, Record<string, number>>();
function tally(path: string, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) {
  const e = outcome.ok ? null : (outcome.error as TRPCError);
  const cause = e?.cause as { name?: string; key?: string } | undefined;
  const kind = !e ? "ok" : cause?.name === "ZodError" ? "zod" : cause?.key ? `${e.code}:${cause.key}` : e.code;
  const row = outcomes.get(path) ?? {};
  row[kind] = (row[kind] ?? 0) + 1;
  outcomes.set(path, row);
}
afterAll(() => {
  if (DEBUG) for (const [path, row] of outcomes) console.log(path.padEnd(36), JSON.stringify(row));
});

// procedures that end sessions or hand the workspace away run last, so they cannot starve the rest
const LAST = ["members.transferOwnership", "account.signOutEverywhere"];
const ordered = [...procedures].sort((x, y) => LAST.indexOf(x.path) - LAST.indexOf(y.path));

describe("every procedure, every role, generated inputs: never a 500, never another workspace's data", () => {
  it("walks the whole router", () => {
    expect(procedures.length).toBeGreaterThan(100);
  });

  for (const p of ordered) {
    it(
      p.path,
      async () => {
        const rng = seeded(SEED ^ seedOf(p.path));
        const failures: string[] = [];
        // one request context per role and procedure (as one browser tab would send them)
        const callers = new Map<Role, Caller>();
        for (const c of casesFor(p, rng)) {
          let caller = callers.get(c.role);
          if (!caller) {
            const host = c.role.startsWith("platformAdmin") ? APEX : hostOf(w.a.tenant.slug);
            caller = await callerFor(host, await claimsFor(c.role));
            callers.set(c.role, caller);
          }
          const outcome = await callPath(caller, p.path, c.input).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          if (DEBUG) tally(p.path, outcome);
          const problem = judge(p, outcome);
          if (problem) failures.push(`${c.role} ${c.label} ${describeInput(c.input)} → ${problem}`);
        }
        if (SESSION_ENDING.has(p.path)) claimsCache = new Map();
        expect(failures).toEqual([]);
      },
      60_000,
    );
  }
});

// The same promise on the wire (the tRPC HTTP endpoint with its superjson transformer): bodies
// and query strings no client of ours would send get a 4xx with a plain JSON error.
describe("the tRPC endpoint with hostile bodies: never a 500", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const q = (input: string) => `?input=${encodeURIComponent(input)}`;
  // [path + query string, method, body]
  const requests: [string, "GET" | "POST", string | null][] = [
    // mutations: the body
    ["renters.create", "POST", "{"],
    ["renters.create", "POST", ""],
    ["renters.create", "POST", "null"],
    ["renters.create", "POST", '{"json":{"nameLatin":"a\\u0000b","phone":"+85517000001"}}'],
    ["renters.create", "POST", '{"json":{"nameLatin":"x"},"meta":{"values":{"nameLatin":["Date"]}}}'],
    ["renters.create", "POST", '{"json":{"nameLatin":"1e400"},"meta":{"values":{"nameLatin":["bigint"]}}}'],
    ["renters.create", "POST", '{"json":{"x":1},"meta":{"values":{"__proto__.polluted":["undefined"]}}}'],
    ["renters.create", "POST", '{"json":{"x":1},"meta":{"values":{"x":["custom","evil"]}}}'],
    ["renters.create", "POST", '{"json":{"x":{}},"meta":{"referentialEqualities":{"x":["constructor.prototype"]}}}'],
    ["renters.create", "POST", `{"json":${deep(5000)}}`],
    ["renters.create", "POST", `{"json":{"nameLatin":"${"x".repeat(200_000)}"}}`],
    ["renters.create,renters.archive?batch=1", "POST", '{"0":{"json":{}},"1":{"json":{"renterId":"x"}}}'],
    // queries: the query string
    [`renters.list${q('{"json":{"search":"a\\u0000b"}}')}`, "GET", null],
    [`renters.list${q("{")}`, "GET", null],
    [`renters.list${q('{"json":{"limit":1},"meta":{"values":{"limit":["bigint"]}}}')}`, "GET", null],
    [`renters.get${q(`{"json":{"renterId":"${"0".repeat(36)}"}}`)}`, "GET", null],
    [`renters.list,renters.get?batch=1&input=${encodeURIComponent('{"0":{"json":{}},"1":"x"}')}`, "GET", null],
    // a query sent as a mutation, an unknown procedure
    ["renters.list", "POST", '{"json":{}}'],
    ["no.such.procedure", "POST", '{"json":{}}'],
  ];
  it.each(requests)("%s %s %#", async (path, method, body) => {
    const host = hostOf(w.a.tenant.slug);
    const claims = await claimsFor("owner");
    const req = new Request(`http://${host}:3000/api/trpc/${path}`, {
      method,
      headers: { host: `${host}:3000`, "content-type": "application/json", "x-forwarded-for": "10.9.9.9" },
      body,
    });
    const res = await handleTrpcRequest(req, async () => claims);
    const text = await res.text();
    expect(res.status, text.slice(0, 500)).toBeLessThan(500);
    expect(text).not.toMatch(UNSAFE);
    // a refusal of the request is not "something went wrong on our side"
    expect(text).not.toContain("on our side");
  });
});

// Each field within its bounds, the sum past what the invoice's amount columns (int4) hold: the
// run must say so for that contract, not fail it as a database error forever.
describe("a contract whose invoice total cannot be stored", () => {
  it("is skipped by the invoice run with amount_too_large", async () => {
    const { tenantId } = w.a.tenant;
    const property = await createProperty({ tenantId, name: "Overflow house" });
    const unit = await createUnit({ tenantId, propertyId: property.id });
    const renter = await createRenter({ tenantId });
    const owner = await callerFor(hostOf(w.a.tenant.slug), await claimsFor("owner"));
    const max = 1_000_000_000; // the schemas' largest rent and charge
    const created = await owner.contracts.create({
      unitId: unit.id,
      renterId: renter.id,
      startDate: "2026-01-01",
      rentAmount: max,
      currency: "KHR",
      billingDay: 1,
      recurringCharges: [
        { description: "Parking", amount: max },
        { description: "Cleaning", amount: max },
      ],
    });
    await owner.contracts.activate({ contractId: created.id });
    const { runId } = await owner.rentInvoices.startRun({ propertyId: property.id });
    await settleBackgroundRuns();
    const run = await owner.rentInvoices.run({ runId });
    expect(run).toMatchObject({ issued: 0, failed: 0, skipped: 1 });
    expect(run.entries).toEqual([expect.objectContaining({ contractId: created.id, reason: "amount_too_large" })]);
  });
});

// Every closed set of values the database stores, in one place (isomorphic: no server imports).
//
// The database has no PostgreSQL enum types: each of these columns is `text` with a CHECK
// constraint listing exactly the values below (migration 20261206124650_enums_to_text; the rule and
// the reason are in docs/ARCHITECTURE.md, "Row-level security and leakproof operators"). Under RLS an
// enum comparison (`enum_eq`, not LEAKPROOF) can never be an index condition; text equality can.
//
// Adding a value: append it to the tuple here AND write a migration that replaces the column's
// CHECK constraint (`<Table>_<column>_check`). tests/integration/enum-columns.test.ts fails until
// both say the same. Prisma types these columns as `string`: narrow a row's value with `asEnumValue`
// at the service boundary (honest: the CHECK constraint guarantees it) and validate input with
// `z.enum(X_VALUES)`.

/** closed: the owner asked to delete it; nobody can use it until it is restored or deleted (server/workspaces/deletion.admin.ts) */
export const TENANT_STATUS_VALUES = ["active", "suspended", "closed"] as const;
export type TenantStatus = (typeof TENANT_STATUS_VALUES)[number];

/** the documents a user accepts at sign-up (ConsentRecord.document) */
export const CONSENT_DOCUMENT_VALUES = ["terms", "privacy"] as const;
export type ConsentDocument = (typeof CONSENT_DOCUMENT_VALUES)[number];

export const MEMBERSHIP_STATUS_VALUES = ["active", "deactivated"] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUS_VALUES)[number];

/** mfa_enrolment: a platform admin's first 2FA enrolment (e-mailed, or printed by `npm run admin:enrol-link`) */
export const AUTH_TOKEN_KIND_VALUES = ["password_reset", "login_handoff", "mfa_enrolment"] as const;
export type AuthTokenKind = (typeof AUTH_TOKEN_KIND_VALUES)[number];

export const OUTBOX_STATUS_VALUES = ["pending", "published", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUS_VALUES)[number];

export const WEBHOOK_STATUS_VALUES = ["received", "processed", "ignored", "needs_review", "failed"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUS_VALUES)[number];

export const FILE_VISIBILITY_VALUES = ["public", "private"] as const;
export type FileVisibility = (typeof FILE_VISIBILITY_VALUES)[number];

export const BILLING_INTERVAL_VALUES = ["month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVAL_VALUES)[number];

export const SUBSCRIPTION_STATUS_VALUES = ["trialing", "active", "past_due", "suspended", "canceled"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUS_VALUES)[number];

/**
 * renewal: the next period of the current (or pending) plan; plan_change: a paid plan bought from
 * trial, free or a lapsed subscription (a new period starts when paid); upgrade: a bigger plan during
 * a paid period (the price difference for the rest of the period).
 */
export const INVOICE_KIND_VALUES = ["renewal", "plan_change", "upgrade"] as const;
export type InvoiceKind = (typeof INVOICE_KIND_VALUES)[number];

export const SUBSCRIPTION_INVOICE_STATUS_VALUES = ["open", "paid", "void"] as const;
export type SubscriptionInvoiceStatus = (typeof SUBSCRIPTION_INVOICE_STATUS_VALUES)[number];

export const PAYMENT_STATUS_VALUES = ["pending", "paid", "failed", "expired", "refunded"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUS_VALUES)[number];

export const PAYMENT_METHOD_VALUES = ["khqr", "cash", "bank_transfer"] as const;
export type PaymentMethod = (typeof PAYMENT_METHOD_VALUES)[number];

/** where a workspace's riel-per-dollar rate came from: staff, or the National Bank of Cambodia provider (server/rates) */
export const EXCHANGE_RATE_SOURCE_VALUES = ["manual", "nbc"] as const;
export type ExchangeRateSource = (typeof EXCHANGE_RATE_SOURCE_VALUES)[number];

export const PAYMENT_PURPOSE_VALUES = ["subscription", "rent"] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSE_VALUES)[number];

export const PROPERTY_TYPE_VALUES = ["apartment_building", "boarding_house", "house", "shop"] as const;
export type PropertyType = (typeof PROPERTY_TYPE_VALUES)[number];

export const UNIT_STATUS_VALUES = ["vacant", "occupied", "maintenance"] as const;
export type UnitStatus = (typeof UNIT_STATUS_VALUES)[number];

export const CONTRACT_STATUS_VALUES = ["draft", "active", "ended", "terminated"] as const;
export type ContractStatus = (typeof CONTRACT_STATUS_VALUES)[number];

/** fixed: an amount (minor units) once per overdue invoice; percent: basis points of its total (500 = 5 %) */
export const LATE_FEE_TYPE_VALUES = ["none", "fixed", "percent"] as const;
export type LateFeeType = (typeof LATE_FEE_TYPE_VALUES)[number];

export const DEPOSIT_OUTCOME_VALUES = ["returned", "partially_returned", "withheld"] as const;
export type DepositOutcome = (typeof DEPOSIT_OUTCOME_VALUES)[number];

export const METER_KIND_VALUES = ["electricity", "water"] as const;
export type MeterKind = (typeof METER_KIND_VALUES)[number];

export const RENT_INVOICE_STATUS_VALUES = ["draft", "issued", "partially_paid", "paid", "overdue", "void"] as const;
export type RentInvoiceStatus = (typeof RENT_INVOICE_STATUS_VALUES)[number];

export const RENT_LINE_KIND_VALUES = ["rent", "electricity", "water", "charge", "late_fee"] as const;
export type RentLineKind = (typeof RENT_LINE_KIND_VALUES)[number];

export const RENT_CHARGE_KIND_VALUES = ["late_fee", "other"] as const;
export type RentChargeKind = (typeof RENT_CHARGE_KIND_VALUES)[number];

export const INVOICE_RUN_STATUS_VALUES = ["running", "done", "failed"] as const;
export type InvoiceRunStatus = (typeof INVOICE_RUN_STATUS_VALUES)[number];

export const MESSAGE_CHANNEL_VALUES = ["email", "telegram"] as const;
export type MessageChannel = (typeof MESSAGE_CHANNEL_VALUES)[number];

/** where a renter's messages go (staff choose on the renter; docs/TELEGRAM.md) */
export const RENTER_MESSAGE_CHANNEL_VALUES = ["email", "telegram", "both"] as const;
export type RenterMessageChannel = (typeof RENTER_MESSAGE_CHANNEL_VALUES)[number];

/** suppressed: not sent, the address is on the tenant's suppression list */
export const MESSAGE_STATUS_VALUES = ["queued", "sending", "sent", "delivered", "bounced", "complained", "failed", "suppressed"] as const;
export type MessageStatus = (typeof MESSAGE_STATUS_VALUES)[number];

/**
 * Which column holds which set: `"<Table>.<column>"` → its values. The CHECK constraint
 * `<Table>_<column>_check` of each lists exactly these (tests/integration/enum-columns.test.ts).
 */
export const ENUM_COLUMNS = {
  "Tenant.status": TENANT_STATUS_VALUES,
  "Membership.status": MEMBERSHIP_STATUS_VALUES,
  "AuthToken.kind": AUTH_TOKEN_KIND_VALUES,
  "OutboxEvent.status": OUTBOX_STATUS_VALUES,
  "WebhookEvent.status": WEBHOOK_STATUS_VALUES,
  "File.visibility": FILE_VISIBILITY_VALUES,
  "Subscription.interval": BILLING_INTERVAL_VALUES,
  "Subscription.pendingInterval": BILLING_INTERVAL_VALUES,
  "Subscription.status": SUBSCRIPTION_STATUS_VALUES,
  "SubscriptionInvoice.kind": INVOICE_KIND_VALUES,
  "SubscriptionInvoice.interval": BILLING_INTERVAL_VALUES,
  "SubscriptionInvoice.status": SUBSCRIPTION_INVOICE_STATUS_VALUES,
  "Payment.purpose": PAYMENT_PURPOSE_VALUES,
  "Payment.method": PAYMENT_METHOD_VALUES,
  "Payment.status": PAYMENT_STATUS_VALUES,
  "Property.type": PROPERTY_TYPE_VALUES,
  "Unit.status": UNIT_STATUS_VALUES,
  "Contract.status": CONTRACT_STATUS_VALUES,
  "Contract.lateFeeType": LATE_FEE_TYPE_VALUES,
  "Contract.depositOutcome": DEPOSIT_OUTCOME_VALUES,
  "MeterReading.kind": METER_KIND_VALUES,
  "RentInvoice.status": RENT_INVOICE_STATUS_VALUES,
  "RentInvoiceLine.kind": RENT_LINE_KIND_VALUES,
  "RentCharge.kind": RENT_CHARGE_KIND_VALUES,
  "InvoiceRun.status": INVOICE_RUN_STATUS_VALUES,
  "GlobalTemplate.channel": MESSAGE_CHANNEL_VALUES,
  "TenantTemplate.channel": MESSAGE_CHANNEL_VALUES,
  "OutboundMessage.channel": MESSAGE_CHANNEL_VALUES,
  "OutboundMessage.status": MESSAGE_STATUS_VALUES,
  "SuppressedAddress.channel": MESSAGE_CHANNEL_VALUES,
  "ConsentRecord.document": CONSENT_DOCUMENT_VALUES,
  "Renter.messageChannel": RENTER_MESSAGE_CHANNEL_VALUES,
  "ExchangeRate.source": EXCHANGE_RATE_SOURCE_VALUES,
} as const satisfies Record<string, readonly string[]>;

/** true when `value` is one of `values` (a type guard). */
export function isEnumValue<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

/**
 * A stored value as its union type. For values read from one of the columns above, where the CHECK
 * constraint already guarantees membership; anything else is a bug and throws (never a silent cast).
 */
export function asEnumValue<T extends string>(values: readonly T[], value: string): T;
export function asEnumValue<T extends string>(values: readonly T[], value: string | null): T | null;
export function asEnumValue<T extends string>(values: readonly T[], value: string | null): T | null {
  if (value === null) return null;
  if (isEnumValue(values, value)) return value;
  throw new Error(`Unexpected stored value "${value}" (expected one of ${values.join(", ")})`);
}

type EnumSpec<R> = { [K in keyof R]?: readonly string[] };

/** `row` with the fields named in `spec` typed as their sets (a null stays null). */
export type WithEnums<R, S extends EnumSpec<R>> = {
  [K in keyof R]: K extends keyof S ? (S[K] extends readonly (infer T)[] ? T | (null extends R[K] ? null : never) : R[K]) : R[K];
};

/**
 * A row read from the database with its closed-set columns narrowed (`asEnumValue` on each field of
 * `spec`): `withEnums(sub, { status: SUBSCRIPTION_STATUS_VALUES, interval: BILLING_INTERVAL_VALUES })`.
 */
export function withEnums<R extends object, S extends EnumSpec<R>>(row: R, spec: S): WithEnums<R, S> {
  const out = { ...row } as Record<string, unknown>;
  for (const [key, values] of Object.entries(spec) as Array<[string, readonly string[] | undefined]>) {
    if (values) out[key] = asEnumValue(values, out[key] as string | null);
  }
  return out as WithEnums<R, S>;
}

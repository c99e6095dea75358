-- Every Prisma enum column becomes text with a CHECK constraint listing its values (the same values
-- as the tuples of lib/enums.ts; tests/integration/enum-columns.test.ts keeps both in step), and
-- the PostgreSQL enum types are dropped.
--
-- Why: under row-level security only LEAKPROOF operators may be evaluated before the policy, so
-- only they can be index conditions. enum_eq is not LEAKPROOF (and `ALTER FUNCTION … LEAKPROOF`
-- needs a superuser, which managed PostgreSQL does not grant): `status = 'paid'` was applied as a
-- filter after reading every row of the workspace. texteq is LEAKPROOF. See docs/ARCHITECTURE.md,
-- "Row-level security and leakproof operators".
--
-- Safe on a filled database: every value converts as is (USING col::text), each table is rewritten
-- once (one ALTER TABLE per table), and every row is kept.

-- Objects whose stored expressions name an enum type: dropped here, created again below on text.
ALTER TABLE "Payment" DROP CONSTRAINT "Payment_paid_at_check", DROP CONSTRAINT "Payment_purpose_check";
ALTER TABLE "Contract" DROP CONSTRAINT "Contract_active_unit_check";
ALTER TABLE "RentInvoice" DROP CONSTRAINT "RentInvoice_amounts_check";
-- the generated column (and its unique index) depends on "status": dropped and added again
DROP INDEX "RentInvoice_contractId_billedPeriod_key";
ALTER TABLE "RentInvoice" DROP COLUMN "billedPeriod";

ALTER TABLE "Tenant"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'active',
  ADD CONSTRAINT "Tenant_status_check" CHECK ("status" IN ('active', 'suspended'));

ALTER TABLE "Membership"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'active',
  ADD CONSTRAINT "Membership_status_check" CHECK ("status" IN ('active', 'deactivated'));

ALTER TABLE "AuthToken"
  ALTER COLUMN "kind" TYPE TEXT USING "kind"::text,
  ADD CONSTRAINT "AuthToken_kind_check" CHECK ("kind" IN ('password_reset', 'login_handoff', 'mfa_enrolment'));

ALTER TABLE "OutboxEvent"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'pending',
  ADD CONSTRAINT "OutboxEvent_status_check" CHECK ("status" IN ('pending', 'published', 'failed'));

ALTER TABLE "WebhookEvent"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'received',
  ADD CONSTRAINT "WebhookEvent_status_check" CHECK ("status" IN ('received', 'processed', 'ignored', 'needs_review', 'failed'));

ALTER TABLE "File"
  ALTER COLUMN "visibility" TYPE TEXT USING "visibility"::text,
  ADD CONSTRAINT "File_visibility_check" CHECK ("visibility" IN ('public', 'private'));

ALTER TABLE "Subscription"
  ALTER COLUMN "interval" DROP DEFAULT,
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "interval" TYPE TEXT USING "interval"::text,
  ALTER COLUMN "pendingInterval" TYPE TEXT USING "pendingInterval"::text,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "interval" SET DEFAULT 'month',
  ALTER COLUMN "status" SET DEFAULT 'trialing',
  ADD CONSTRAINT "Subscription_interval_check" CHECK ("interval" IN ('month', 'year')),
  ADD CONSTRAINT "Subscription_pendingInterval_check" CHECK ("pendingInterval" IN ('month', 'year')),
  ADD CONSTRAINT "Subscription_status_check" CHECK ("status" IN ('trialing', 'active', 'past_due', 'suspended', 'canceled'));

ALTER TABLE "SubscriptionInvoice"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "kind" TYPE TEXT USING "kind"::text,
  ALTER COLUMN "interval" TYPE TEXT USING "interval"::text,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'open',
  ADD CONSTRAINT "SubscriptionInvoice_kind_check" CHECK ("kind" IN ('renewal', 'plan_change', 'upgrade')),
  ADD CONSTRAINT "SubscriptionInvoice_interval_check" CHECK ("interval" IN ('month', 'year')),
  ADD CONSTRAINT "SubscriptionInvoice_status_check" CHECK ("status" IN ('open', 'paid', 'void'));

ALTER TABLE "Payment"
  ALTER COLUMN "purpose" DROP DEFAULT,
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "purpose" TYPE TEXT USING "purpose"::text,
  ALTER COLUMN "method" TYPE TEXT USING "method"::text,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "purpose" SET DEFAULT 'subscription',
  ALTER COLUMN "status" SET DEFAULT 'pending',
  ADD CONSTRAINT "Payment_purpose_check" CHECK ("purpose" IN ('subscription', 'rent')),
  ADD CONSTRAINT "Payment_method_check" CHECK ("method" IN ('khqr', 'cash', 'bank_transfer')),
  ADD CONSTRAINT "Payment_status_check" CHECK ("status" IN ('pending', 'paid', 'failed', 'expired', 'refunded'));

ALTER TABLE "Property"
  ALTER COLUMN "type" TYPE TEXT USING "type"::text,
  ADD CONSTRAINT "Property_type_check" CHECK ("type" IN ('apartment_building', 'boarding_house', 'house', 'shop'));

ALTER TABLE "Unit"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'vacant',
  ADD CONSTRAINT "Unit_status_check" CHECK ("status" IN ('vacant', 'occupied', 'maintenance'));

ALTER TABLE "Contract"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "lateFeeType" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "lateFeeType" TYPE TEXT USING "lateFeeType"::text,
  ALTER COLUMN "depositOutcome" TYPE TEXT USING "depositOutcome"::text,
  ALTER COLUMN "status" SET DEFAULT 'draft',
  ALTER COLUMN "lateFeeType" SET DEFAULT 'none',
  ADD CONSTRAINT "Contract_status_check" CHECK ("status" IN ('draft', 'active', 'ended', 'terminated')),
  ADD CONSTRAINT "Contract_lateFeeType_check" CHECK ("lateFeeType" IN ('none', 'fixed', 'percent')),
  ADD CONSTRAINT "Contract_depositOutcome_check" CHECK ("depositOutcome" IN ('returned', 'partially_returned', 'withheld'));

ALTER TABLE "MeterReading"
  ALTER COLUMN "kind" TYPE TEXT USING "kind"::text,
  ADD CONSTRAINT "MeterReading_kind_check" CHECK ("kind" IN ('electricity', 'water'));

ALTER TABLE "RentInvoice"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'issued',
  ADD CONSTRAINT "RentInvoice_status_check" CHECK ("status" IN ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'void'));

ALTER TABLE "RentInvoiceLine"
  ALTER COLUMN "kind" TYPE TEXT USING "kind"::text,
  ADD CONSTRAINT "RentInvoiceLine_kind_check" CHECK ("kind" IN ('rent', 'electricity', 'water', 'charge', 'late_fee'));

ALTER TABLE "RentCharge"
  ALTER COLUMN "kind" TYPE TEXT USING "kind"::text,
  ADD CONSTRAINT "RentCharge_kind_check" CHECK ("kind" IN ('late_fee', 'other'));

ALTER TABLE "InvoiceRun"
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "status" SET DEFAULT 'running',
  ADD CONSTRAINT "InvoiceRun_status_check" CHECK ("status" IN ('running', 'done', 'failed'));

ALTER TABLE "GlobalTemplate"
  ALTER COLUMN "channel" DROP DEFAULT,
  ALTER COLUMN "channel" TYPE TEXT USING "channel"::text,
  ALTER COLUMN "channel" SET DEFAULT 'email',
  ADD CONSTRAINT "GlobalTemplate_channel_check" CHECK ("channel" IN ('email'));

ALTER TABLE "TenantTemplate"
  ALTER COLUMN "channel" DROP DEFAULT,
  ALTER COLUMN "channel" TYPE TEXT USING "channel"::text,
  ALTER COLUMN "channel" SET DEFAULT 'email',
  ADD CONSTRAINT "TenantTemplate_channel_check" CHECK ("channel" IN ('email'));

ALTER TABLE "OutboundMessage"
  ALTER COLUMN "channel" DROP DEFAULT,
  ALTER COLUMN "status" DROP DEFAULT,
  ALTER COLUMN "channel" TYPE TEXT USING "channel"::text,
  ALTER COLUMN "status" TYPE TEXT USING "status"::text,
  ALTER COLUMN "channel" SET DEFAULT 'email',
  ALTER COLUMN "status" SET DEFAULT 'queued',
  ADD CONSTRAINT "OutboundMessage_channel_check" CHECK ("channel" IN ('email')),
  ADD CONSTRAINT "OutboundMessage_status_check" CHECK ("status" IN ('queued', 'sending', 'sent', 'delivered', 'bounced', 'complained', 'failed', 'suppressed'));

ALTER TABLE "SuppressedAddress"
  ALTER COLUMN "channel" DROP DEFAULT,
  ALTER COLUMN "channel" TYPE TEXT USING "channel"::text,
  ALTER COLUMN "channel" SET DEFAULT 'email',
  ADD CONSTRAINT "SuppressedAddress_channel_check" CHECK ("channel" IN ('email'));

-- The constraints dropped above, on text (the purpose/invoice rule gets its own name: "Payment_purpose_check" now lists the values)
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_paid_at_check" CHECK ("status" NOT IN ('paid', 'refunded') OR "paidAt" IS NOT NULL);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_purpose_invoice_check" CHECK (
  ("purpose" = 'subscription' AND "rentInvoiceId" IS NULL) OR ("purpose" = 'rent' AND "rentInvoiceId" IS NOT NULL AND "subscriptionInvoiceId" IS NULL)
);
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_active_unit_check" CHECK (
  ("status" = 'active' AND "activeUnitId" = "unitId") OR ("status" <> 'active' AND "activeUnitId" IS NULL)
);
ALTER TABLE "RentInvoice" ADD CONSTRAINT "RentInvoice_amounts_check" CHECK (
  "total" >= 0 AND "amountPaid" >= 0 AND "amountPaid" <= "total" AND "creditApplied" >= 0 AND "creditApplied" <= "amountPaid"
  AND "currency" IN ('USD', 'KHR') AND "period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
  AND ("status" <> 'paid' OR ("paidAt" IS NOT NULL AND "amountPaid" = "total"))
);
ALTER TABLE "RentInvoice" ADD COLUMN "billedPeriod" TEXT GENERATED ALWAYS AS (CASE WHEN "status" <> 'void' THEN "period" END) STORED;
CREATE UNIQUE INDEX "RentInvoice_contractId_billedPeriod_key" ON "RentInvoice"("contractId", "billedPeriod");

-- DropEnum
DROP TYPE "TenantStatus";
DROP TYPE "MembershipStatus";
DROP TYPE "AuthTokenKind";
DROP TYPE "OutboxStatus";
DROP TYPE "WebhookStatus";
DROP TYPE "FileVisibility";
DROP TYPE "BillingInterval";
DROP TYPE "SubscriptionStatus";
DROP TYPE "InvoiceKind";
DROP TYPE "SubscriptionInvoiceStatus";
DROP TYPE "PaymentPurpose";
DROP TYPE "PaymentMethod";
DROP TYPE "PaymentStatus";
DROP TYPE "PropertyType";
DROP TYPE "UnitStatus";
DROP TYPE "ContractStatus";
DROP TYPE "LateFeeType";
DROP TYPE "DepositOutcome";
DROP TYPE "MeterKind";
DROP TYPE "RentInvoiceStatus";
DROP TYPE "RentLineKind";
DROP TYPE "RentChargeKind";
DROP TYPE "InvoiceRunStatus";
DROP TYPE "MessageChannel";
DROP TYPE "MessageStatus";

-- CreateEnum
CREATE TYPE "PropertyType" AS ENUM ('apartment_building', 'boarding_house', 'house', 'shop');

-- CreateEnum
CREATE TYPE "UnitStatus" AS ENUM ('vacant', 'occupied', 'maintenance');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('draft', 'active', 'ended', 'terminated');

-- CreateEnum
CREATE TYPE "LateFeeType" AS ENUM ('none', 'fixed', 'percent');

-- CreateEnum
CREATE TYPE "DepositOutcome" AS ENUM ('returned', 'partially_returned', 'withheld');

-- CreateEnum
CREATE TYPE "MeterKind" AS ENUM ('electricity', 'water');

-- CreateEnum
CREATE TYPE "RentInvoiceStatus" AS ENUM ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'void');

-- CreateEnum
CREATE TYPE "RentLineKind" AS ENUM ('rent', 'electricity', 'water', 'charge', 'late_fee');

-- CreateEnum
CREATE TYPE "RentChargeKind" AS ENUM ('late_fee', 'other');

-- CreateEnum
CREATE TYPE "InvoiceRunStatus" AS ENUM ('running', 'done', 'failed');

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "rentInvoiceId" UUID;

-- CreateTable
CREATE TABLE "Property" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "type" "PropertyType" NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Property_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PropertyPhoto" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "propertyId" UUID NOT NULL,
    "fileId" UUID NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PropertyPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Unit" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "propertyId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "floor" INTEGER,
    "sizeSqm" DOUBLE PRECISION,
    "baseRent" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "status" "UnitStatus" NOT NULL DEFAULT 'vacant',
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Renter" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "nameKm" TEXT NOT NULL DEFAULT '',
    "nameLatin" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL,
    "email" TEXT,
    "telegram" TEXT,
    "emergencyName" TEXT,
    "emergencyPhone" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "locale" TEXT NOT NULL DEFAULT 'km',
    "idDocumentFileId" UUID,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Renter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "renterId" UUID NOT NULL,
    "status" "ContractStatus" NOT NULL DEFAULT 'draft',
    "activeUnitId" UUID,
    "startDate" DATE NOT NULL,
    "endDate" DATE,
    "rentAmount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "depositAmount" INTEGER NOT NULL DEFAULT 0,
    "billingDay" INTEGER NOT NULL,
    "dueDays" INTEGER NOT NULL DEFAULT 5,
    "lateFeeType" "LateFeeType" NOT NULL DEFAULT 'none',
    "lateFeeValue" INTEGER NOT NULL DEFAULT 0,
    "lateFeeGraceDays" INTEGER NOT NULL DEFAULT 0,
    "electricityRate" INTEGER NOT NULL DEFAULT 0,
    "waterRate" INTEGER NOT NULL DEFAULT 0,
    "recurringCharges" JSONB NOT NULL DEFAULT '[]',
    "creditBalance" INTEGER NOT NULL DEFAULT 0,
    "signedFileId" UUID,
    "notes" TEXT NOT NULL DEFAULT '',
    "activatedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "terminatedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "depositOutcome" "DepositOutcome",
    "depositReturnedAmount" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeterReading" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "kind" "MeterKind" NOT NULL,
    "period" TEXT NOT NULL,
    "reading" INTEGER NOT NULL,
    "recordedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeterReading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentInvoice" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "contractId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" "RentInvoiceStatus" NOT NULL DEFAULT 'issued',
    "currency" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "amountPaid" INTEGER NOT NULL DEFAULT 0,
    "creditApplied" INTEGER NOT NULL DEFAULT 0,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueDate" DATE NOT NULL,
    "paidAt" TIMESTAMP(3),
    "overdueAt" TIMESTAMP(3),
    "voidedAt" TIMESTAMP(3),
    "voidReason" TEXT,
    "payToken" TEXT,
    "runId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RentInvoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentInvoiceLine" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "invoiceId" UUID NOT NULL,
    "kind" "RentLineKind" NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "unitAmount" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "meta" JSONB,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RentInvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentCharge" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "contractId" UUID NOT NULL,
    "kind" "RentChargeKind" NOT NULL,
    "description" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "lateFeeForId" UUID,
    "billedInvoiceId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RentCharge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceRun" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "propertyId" UUID,
    "runDate" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" "InvoiceRunStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "issued" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "startedById" UUID,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "InvoiceRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Property_tenantId_id_key" ON "Property"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Property_tenantId_name_key" ON "Property"("tenantId", "name");

-- CreateIndex
CREATE INDEX "PropertyPhoto_tenantId_propertyId_position_idx" ON "PropertyPhoto"("tenantId", "propertyId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "PropertyPhoto_tenantId_id_key" ON "PropertyPhoto"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PropertyPhoto_fileId_key" ON "PropertyPhoto"("fileId");

-- CreateIndex
CREATE INDEX "Unit_tenantId_status_idx" ON "Unit"("tenantId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Unit_tenantId_id_key" ON "Unit"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Unit_tenantId_propertyId_code_key" ON "Unit"("tenantId", "propertyId", "code");

-- CreateIndex
CREATE INDEX "Renter_tenantId_phone_idx" ON "Renter"("tenantId", "phone");

-- CreateIndex
CREATE INDEX "Renter_tenantId_nameLatin_idx" ON "Renter"("tenantId", "nameLatin");

-- CreateIndex
CREATE UNIQUE INDEX "Renter_tenantId_id_key" ON "Renter"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Contract_tenantId_status_billingDay_idx" ON "Contract"("tenantId", "status", "billingDay");

-- CreateIndex
CREATE INDEX "Contract_tenantId_renterId_idx" ON "Contract"("tenantId", "renterId");

-- CreateIndex
CREATE INDEX "Contract_tenantId_endDate_idx" ON "Contract"("tenantId", "endDate");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_tenantId_id_key" ON "Contract"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_activeUnitId_key" ON "Contract"("activeUnitId");

-- CreateIndex
CREATE UNIQUE INDEX "MeterReading_tenantId_id_key" ON "MeterReading"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "MeterReading_tenantId_unitId_kind_period_key" ON "MeterReading"("tenantId", "unitId", "kind", "period");

-- CreateIndex
CREATE UNIQUE INDEX "RentInvoice_payToken_key" ON "RentInvoice"("payToken");

-- CreateIndex
CREATE INDEX "RentInvoice_tenantId_status_dueDate_idx" ON "RentInvoice"("tenantId", "status", "dueDate");

-- CreateIndex
CREATE INDEX "RentInvoice_tenantId_issuedAt_idx" ON "RentInvoice"("tenantId", "issuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RentInvoice_tenantId_id_key" ON "RentInvoice"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "RentInvoice_tenantId_number_key" ON "RentInvoice"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "RentInvoice_contractId_period_key" ON "RentInvoice"("contractId", "period");

-- CreateIndex
CREATE INDEX "RentInvoiceLine_tenantId_invoiceId_position_idx" ON "RentInvoiceLine"("tenantId", "invoiceId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "RentInvoiceLine_tenantId_id_key" ON "RentInvoiceLine"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "RentCharge_lateFeeForId_key" ON "RentCharge"("lateFeeForId");

-- CreateIndex
CREATE INDEX "RentCharge_tenantId_contractId_billedInvoiceId_idx" ON "RentCharge"("tenantId", "contractId", "billedInvoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "RentCharge_tenantId_id_key" ON "RentCharge"("tenantId", "id");

-- CreateIndex
CREATE INDEX "InvoiceRun_tenantId_startedAt_idx" ON "InvoiceRun"("tenantId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceRun_tenantId_id_key" ON "InvoiceRun"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Payment_tenantId_rentInvoiceId_idx" ON "Payment"("tenantId", "rentInvoiceId");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_tenantId_rentInvoiceId_fkey" FOREIGN KEY ("tenantId", "rentInvoiceId") REFERENCES "RentInvoice"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Property" ADD CONSTRAINT "Property_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PropertyPhoto" ADD CONSTRAINT "PropertyPhoto_tenantId_propertyId_fkey" FOREIGN KEY ("tenantId", "propertyId") REFERENCES "Property"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PropertyPhoto" ADD CONSTRAINT "PropertyPhoto_tenantId_fileId_fkey" FOREIGN KEY ("tenantId", "fileId") REFERENCES "File"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_tenantId_propertyId_fkey" FOREIGN KEY ("tenantId", "propertyId") REFERENCES "Property"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Renter" ADD CONSTRAINT "Renter_tenantId_idDocumentFileId_fkey" FOREIGN KEY ("tenantId", "idDocumentFileId") REFERENCES "File"("tenantId", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_tenantId_unitId_fkey" FOREIGN KEY ("tenantId", "unitId") REFERENCES "Unit"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_tenantId_renterId_fkey" FOREIGN KEY ("tenantId", "renterId") REFERENCES "Renter"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_tenantId_signedFileId_fkey" FOREIGN KEY ("tenantId", "signedFileId") REFERENCES "File"("tenantId", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "MeterReading" ADD CONSTRAINT "MeterReading_tenantId_unitId_fkey" FOREIGN KEY ("tenantId", "unitId") REFERENCES "Unit"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentInvoice" ADD CONSTRAINT "RentInvoice_tenantId_contractId_fkey" FOREIGN KEY ("tenantId", "contractId") REFERENCES "Contract"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentInvoiceLine" ADD CONSTRAINT "RentInvoiceLine_tenantId_invoiceId_fkey" FOREIGN KEY ("tenantId", "invoiceId") REFERENCES "RentInvoice"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentCharge" ADD CONSTRAINT "RentCharge_tenantId_contractId_fkey" FOREIGN KEY ("tenantId", "contractId") REFERENCES "Contract"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentCharge" ADD CONSTRAINT "RentCharge_tenantId_lateFeeForId_fkey" FOREIGN KEY ("tenantId", "lateFeeForId") REFERENCES "RentInvoice"("tenantId", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "RentCharge" ADD CONSTRAINT "RentCharge_tenantId_billedInvoiceId_fkey" FOREIGN KEY ("tenantId", "billedInvoiceId") REFERENCES "RentInvoice"("tenantId", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "InvoiceRun" ADD CONSTRAINT "InvoiceRun_tenantId_propertyId_fkey" FOREIGN KEY ("tenantId", "propertyId") REFERENCES "Property"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security: every rental table belongs to one tenant.
ALTER TABLE "Property" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Property" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Property"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "PropertyPhoto" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PropertyPhoto" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PropertyPhoto"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "Unit" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Unit" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Unit"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "Renter" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Renter" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Renter"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "Contract" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Contract" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Contract"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "MeterReading" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MeterReading" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MeterReading"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "RentInvoice" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RentInvoice" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RentInvoice"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "RentInvoiceLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RentInvoiceLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RentInvoiceLine"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "RentCharge" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RentCharge" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RentCharge"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

ALTER TABLE "InvoiceRun" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceRun" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "InvoiceRun"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

-- Invariants the services rely on, enforced by the database too.
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_money_check" CHECK ("baseRent" >= 0 AND "currency" IN ('USD', 'KHR') AND ("sizeSqm" IS NULL OR "sizeSqm" > 0));
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_terms_check" CHECK (
  "rentAmount" > 0 AND "depositAmount" >= 0 AND "currency" IN ('USD', 'KHR')
  AND "billingDay" BETWEEN 1 AND 28 AND "dueDays" BETWEEN 0 AND 60
  AND "lateFeeValue" >= 0 AND "lateFeeGraceDays" >= 0
  AND "electricityRate" >= 0 AND "waterRate" >= 0 AND "creditBalance" >= 0
  AND ("endDate" IS NULL OR "endDate" >= "startDate")
  AND ("depositReturnedAmount" IS NULL OR "depositReturnedAmount" BETWEEN 0 AND "depositAmount")
);
-- one active contract per unit: activeUnitId is unitId exactly while active (unique index above)
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_active_unit_check" CHECK (
  ("status" = 'active' AND "activeUnitId" = "unitId") OR ("status" <> 'active' AND "activeUnitId" IS NULL)
);
ALTER TABLE "MeterReading" ADD CONSTRAINT "MeterReading_check" CHECK ("reading" >= 0 AND "period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
ALTER TABLE "RentInvoice" ADD CONSTRAINT "RentInvoice_amounts_check" CHECK (
  "total" >= 0 AND "amountPaid" >= 0 AND "amountPaid" <= "total" AND "creditApplied" >= 0 AND "creditApplied" <= "amountPaid"
  AND "currency" IN ('USD', 'KHR') AND "period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
  AND ("status" <> 'paid' OR ("paidAt" IS NOT NULL AND "amountPaid" = "total"))
);
ALTER TABLE "RentInvoiceLine" ADD CONSTRAINT "RentInvoiceLine_amount_check" CHECK ("amount" = "quantity" * "unitAmount");
ALTER TABLE "RentCharge" ADD CONSTRAINT "RentCharge_amount_check" CHECK ("amount" > 0);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_purpose_check" CHECK (
  ("purpose" = 'subscription' AND "rentInvoiceId" IS NULL) OR ("purpose" = 'rent' AND "rentInvoiceId" IS NOT NULL AND "subscriptionInvoiceId" IS NULL)
);

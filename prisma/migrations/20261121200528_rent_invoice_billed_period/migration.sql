-- DropIndex
DROP INDEX "RentInvoice_contractId_period_key";

-- AlterTable
-- A void invoice leaves its month free to bill again: uniqueness is on the period of the
-- invoices that are not void, computed by PostgreSQL (the app never writes it).
ALTER TABLE "RentInvoice" ADD COLUMN "billedPeriod" TEXT GENERATED ALWAYS AS (CASE WHEN "status" <> 'void' THEN "period" END) STORED;

-- CreateIndex
CREATE INDEX "RentInvoice_tenantId_contractId_period_idx" ON "RentInvoice"("tenantId", "contractId", "period");

-- CreateIndex
CREATE UNIQUE INDEX "RentInvoice_contractId_billedPeriod_key" ON "RentInvoice"("contractId", "billedPeriod");

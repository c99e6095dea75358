-- Issue 18, USD and riel together (docs/CURRENCY.md): each workspace's history of riel per US
-- dollar, and what a payment in the other currency received.

-- "The rate of day D" is the latest row with effectiveDate <= D (a manual rate wins over a
-- provider's of the same day). Whole riel per dollar, as the National Bank of Cambodia publishes it.
CREATE TABLE "ExchangeRate" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "effectiveDate" DATE NOT NULL,
    "khrPerUsd" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExchangeRate_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ExchangeRate_tenantId_id_key" ON "ExchangeRate"("tenantId", "id");
CREATE UNIQUE INDEX "ExchangeRate_tenantId_effectiveDate_source_key" ON "ExchangeRate"("tenantId", "effectiveDate", "source");
CREATE INDEX "ExchangeRate_tenantId_effectiveDate_id_idx" ON "ExchangeRate"("tenantId", "effectiveDate", "id");

ALTER TABLE "ExchangeRate" ADD CONSTRAINT "ExchangeRate_source_check" CHECK ("source" IN ('manual', 'nbc'));
ALTER TABLE "ExchangeRate" ADD CONSTRAINT "ExchangeRate_rate_check" CHECK ("khrPerUsd" BETWEEN 1000 AND 100000);
ALTER TABLE "ExchangeRate" ADD CONSTRAINT "ExchangeRate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ExchangeRate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ExchangeRate" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ExchangeRate"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

-- A payment in the other currency: "amount"/"currency" stay the value in the invoice's currency
-- (what settlement, the ledger and every total add up); these record the money that moved and the
-- rate used. All three or none.
ALTER TABLE "Payment"
  ADD COLUMN "receivedAmount" INTEGER,
  ADD COLUMN "receivedCurrency" TEXT,
  ADD COLUMN "khrPerUsd" INTEGER;
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_received_check" CHECK (
  ("receivedAmount" IS NULL AND "receivedCurrency" IS NULL AND "khrPerUsd" IS NULL)
  OR ("receivedAmount" > 0 AND "receivedCurrency" IN ('USD', 'KHR') AND "receivedCurrency" <> "currency"
      AND "khrPerUsd" BETWEEN 1000 AND 100000)
) NOT VALID;
ALTER TABLE "Payment" VALIDATE CONSTRAINT "Payment_received_check";

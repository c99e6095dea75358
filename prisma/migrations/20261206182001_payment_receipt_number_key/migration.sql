-- A receipt number is unique per workspace (server/receipts/receipts.ts); alone: CONCURRENTLY.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Payment_tenantId_receiptNumber_key" ON "Payment"("tenantId", "receiptNumber");

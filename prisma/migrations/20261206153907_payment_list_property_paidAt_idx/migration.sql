-- The payments list filtered by property, by paidAt within a status (server/payments/rent-payment-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Payment_list_property_paidAt_idx" ON "Payment"("tenantId", "propertyId", "status", "paidAt", "id");

-- The payments list filtered by property, by createdAt within a status (server/payments/rent-payment-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Payment_list_property_createdAt_idx" ON "Payment"("tenantId", "propertyId", "status", "createdAt", "id");

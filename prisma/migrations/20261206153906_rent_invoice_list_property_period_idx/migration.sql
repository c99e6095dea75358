-- The invoices list filtered by property, by period (server/rent-invoices/rent-invoice-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "RentInvoice_list_property_period_idx" ON "RentInvoice"("tenantId", "propertyId", "period", "id");

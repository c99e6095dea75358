-- The invoices list filtered by property, by total (server/rent-invoices/rent-invoice-service.ts); alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "RentInvoice_list_property_total_idx" ON "RentInvoice"("tenantId", "propertyId", "total", "id");

-- Keyset pages of the workspace lists (properties, units, renters, contracts, members, message log):
-- (tenantId, [equality filter,] [archivedAt,] sort key, id), see server/properties/list-queries.ts,
-- server/renters/renter-service.ts, server/contracts/contract-list-query.ts, server/team/member-service.ts
-- and server/notifications/message-log.ts.

-- CreateIndex
CREATE INDEX "Property_list_name_idx" ON "Property"("tenantId", "archivedAt", "name", "id");

-- CreateIndex
CREATE INDEX "Property_list_type_name_idx" ON "Property"("tenantId", "type", "archivedAt", "name", "id");

-- CreateIndex
CREATE INDEX "Property_list_createdAt_idx" ON "Property"("tenantId", "archivedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Property_list_type_createdAt_idx" ON "Property"("tenantId", "type", "archivedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Unit_list_code_idx" ON "Unit"("tenantId", "archivedAt", "code", "id");

-- CreateIndex
CREATE INDEX "Unit_list_property_code_idx" ON "Unit"("tenantId", "propertyId", "archivedAt", "code", "id");

-- CreateIndex
CREATE INDEX "Unit_list_status_code_idx" ON "Unit"("tenantId", "status", "archivedAt", "code", "id");

-- CreateIndex
CREATE INDEX "Unit_list_baseRent_idx" ON "Unit"("tenantId", "archivedAt", "baseRent", "id");

-- CreateIndex
CREATE INDEX "Unit_list_property_baseRent_idx" ON "Unit"("tenantId", "propertyId", "archivedAt", "baseRent", "id");

-- CreateIndex
CREATE INDEX "Unit_list_status_baseRent_idx" ON "Unit"("tenantId", "status", "archivedAt", "baseRent", "id");

-- CreateIndex
CREATE INDEX "Unit_list_status_idx" ON "Unit"("tenantId", "archivedAt", "status", "id");

-- CreateIndex
CREATE INDEX "Unit_list_property_status_idx" ON "Unit"("tenantId", "propertyId", "archivedAt", "status", "id");

-- CreateIndex
CREATE INDEX "Unit_list_createdAt_idx" ON "Unit"("tenantId", "archivedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Unit_list_property_createdAt_idx" ON "Unit"("tenantId", "propertyId", "archivedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Unit_list_status_createdAt_idx" ON "Unit"("tenantId", "status", "archivedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Renter_list_nameLatin_idx" ON "Renter"("tenantId", "archivedAt", "nameLatin", "id");

-- CreateIndex
CREATE INDEX "Renter_list_nameKm_idx" ON "Renter"("tenantId", "archivedAt", "nameKm", "id");

-- CreateIndex
CREATE INDEX "Renter_list_createdAt_idx" ON "Renter"("tenantId", "archivedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Contract_list_startDate_idx" ON "Contract"("tenantId", "startDate", "id");

-- CreateIndex
CREATE INDEX "Contract_list_status_startDate_idx" ON "Contract"("tenantId", "status", "startDate", "id");

-- CreateIndex
CREATE INDEX "Contract_list_endDate_idx" ON "Contract"("tenantId", "endDate", "id");

-- CreateIndex
CREATE INDEX "Contract_list_status_endDate_idx" ON "Contract"("tenantId", "status", "endDate", "id");

-- CreateIndex
CREATE INDEX "Contract_list_rentAmount_idx" ON "Contract"("tenantId", "rentAmount", "id");

-- CreateIndex
CREATE INDEX "Contract_list_status_rentAmount_idx" ON "Contract"("tenantId", "status", "rentAmount", "id");

-- CreateIndex
CREATE INDEX "Contract_list_createdAt_idx" ON "Contract"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Contract_list_status_createdAt_idx" ON "Contract"("tenantId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Contract_tenantId_unitId_idx" ON "Contract"("tenantId", "unitId");

-- CreateIndex
CREATE INDEX "Membership_list_status_idx" ON "Membership"("tenantId", "status", "id");

-- CreateIndex
CREATE INDEX "OutboundMessage_list_idx" ON "OutboundMessage"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "OutboundMessage_list_status_idx" ON "OutboundMessage"("tenantId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "OutboundMessage_list_key_idx" ON "OutboundMessage"("tenantId", "key", "createdAt", "id");

-- Issue 14: workspace deletion with a grace period, renter erasure, consent records.

-- A workspace its owner asked to delete is "closed": nobody can use it, no job acts on it, its pay
-- links stop; after "deleteAfter" the workspace-deletion job removes every row of the tenant
-- (server/workspaces/deletion.jobs.ts). Restoring it within the grace period clears the three.
ALTER TABLE "Tenant" DROP CONSTRAINT "Tenant_status_check";
-- migration-lint: allow validating-constraint because "Tenant" holds one row per workspace (a scan of milliseconds), and the widened set accepts every status the previous release writes
ALTER TABLE "Tenant"
  ADD CONSTRAINT "Tenant_status_check" CHECK ("status" IN ('active', 'suspended', 'closed')),
  ADD COLUMN "closedAt" TIMESTAMP(3),
  ADD COLUMN "closedByUserId" UUID,
  ADD COLUMN "deleteAfter" TIMESTAMP(3);

-- Renter erasure (server/renters/erasure.ts): when the renter's personal data was erased, and
-- when staff recorded the renter's agreement to be contacted on the channels on file.
ALTER TABLE "Renter"
  ADD COLUMN "erasedAt" TIMESTAMP(3),
  ADD COLUMN "contactConsentAt" TIMESTAMP(3);

-- The terms and privacy notice versions a user accepted, and when (platform scope, no tenant).
CREATE TABLE "ConsentRecord" (
    "id" UUID NOT NULL,
    "userId" UUID,
    "document" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "acceptedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ConsentRecord_document_check" CHECK ("document" IN ('terms', 'privacy'))
);

CREATE INDEX "ConsentRecord_userId_document_acceptedAt_idx" ON "ConsentRecord"("userId", "document", "acceptedAt");

ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

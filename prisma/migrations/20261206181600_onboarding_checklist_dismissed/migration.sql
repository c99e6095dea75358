-- The dashboard's first-run checklist (issue 17): when the owner hid it. NULL = shown until every
-- step is done. Expand-only: a nullable column with no default.
ALTER TABLE "Tenant" ADD COLUMN "onboardingDismissedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "logoFileId" UUID,
ADD COLUMN     "rentReminderDays" INTEGER[] DEFAULT ARRAY[-3, 1, 7]::INTEGER[];
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_reminder_days_check" CHECK (cardinality("rentReminderDays") <= 6 AND -30 <= ALL("rentReminderDays") AND 60 >= ALL("rentReminderDays"));

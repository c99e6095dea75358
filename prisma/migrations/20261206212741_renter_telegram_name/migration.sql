-- Issue 18, Telegram link security (docs/TELEGRAM.md, "Linking"): the Telegram account a chat
-- belongs to when it was linked (first name, last name and @username as Telegram sent them), so
-- staff see on the renter page which Telegram took the renter's messages, and the renter's notice
-- on their other channel names it. Cleared with the link (/stop, staff unlink, erasure).
ALTER TABLE "Renter" ADD COLUMN "telegramName" TEXT;

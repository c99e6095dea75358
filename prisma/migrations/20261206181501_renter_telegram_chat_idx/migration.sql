-- The bot finds a chat's renters (/stop, /balance, /receipt) by chat id; alone: CONCURRENTLY.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Renter_telegramChatId_idx" ON "Renter"("telegramChatId");

-- The daily retention purge deletes outgoing messages by age across workspaces (server/ops/cleanup.jobs.ts).
CREATE INDEX "OutboundMessage_createdAt_idx" ON "OutboundMessage"("createdAt");

-- Issue 18, renter portal (docs/RENTER_PORTAL.md): one-time sign-in codes and renter sessions.
-- Both are tenant data (RLS forced); the renter's sessions are separate from staff UserSession.

-- A 6-digit sign-in code sent to the renter's Telegram chat and/or e-mail: only an HMAC of the
-- code and a SHA-256 of the identifier typed are stored; single-use, 10 minutes, 5 attempts.
CREATE TABLE "RenterLoginCode" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "renterId" UUID NOT NULL,
    "identifierHash" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RenterLoginCode_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "RenterLoginCode_attempts_check" CHECK ("attempts" >= 0)
);

CREATE UNIQUE INDEX "RenterLoginCode_tenantId_id_key" ON "RenterLoginCode"("tenantId", "id");
CREATE INDEX "RenterLoginCode_tenantId_identifierHash_createdAt_idx" ON "RenterLoginCode"("tenantId", "identifierHash", "createdAt");
CREATE INDEX "RenterLoginCode_tenantId_renterId_idx" ON "RenterLoginCode"("tenantId", "renterId");
CREATE INDEX "RenterLoginCode_expiresAt_idx" ON "RenterLoginCode"("expiresAt");

ALTER TABLE "RenterLoginCode" ADD CONSTRAINT "RenterLoginCode_tenantId_renterId_fkey" FOREIGN KEY ("tenantId", "renterId") REFERENCES "Renter"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "RenterLoginCode" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RenterLoginCode" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RenterLoginCode"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

-- A signed-in renter: only a SHA-256 of the cookie's token is stored; bound to the workspace and
-- the host it was issued on; idle expiry (lastSeenAt) and absolute expiry (expiresAt); sign-out revokes.
CREATE TABLE "RenterSession" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "renterId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "RenterSession_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "RenterSession_tokenHash_key" ON "RenterSession"("tokenHash");
CREATE UNIQUE INDEX "RenterSession_tenantId_id_key" ON "RenterSession"("tenantId", "id");
CREATE INDEX "RenterSession_tenantId_renterId_idx" ON "RenterSession"("tenantId", "renterId");
CREATE INDEX "RenterSession_expiresAt_idx" ON "RenterSession"("expiresAt");

ALTER TABLE "RenterSession" ADD CONSTRAINT "RenterSession_tenantId_renterId_fkey" FOREIGN KEY ("tenantId", "renterId") REFERENCES "Renter"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "RenterSession" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RenterSession" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RenterSession"
  USING ("tenantId" = app_current_tenant() OR app_is_platform())
  WITH CHECK ("tenantId" = app_current_tenant() OR app_is_platform());

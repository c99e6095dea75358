-- The request context cache (server/core/context-cache.ts): every table app_request_context reads
-- tells the app servers what changed, with NOTIFY phteah_context at commit:
--   s:<session id>  a session row changed (not: its lastSeenAt alone) or went
--   u:<user id>     a user row changed or went
--   t:<tenant id>   the workspace, a membership, role, role permission or subscription of it
--   *               a plan (shared by every workspace)
-- Each server drops the cached contexts tagged with it. Row triggers (the payload names the row);
-- PostgreSQL sends one notification per distinct payload per transaction. SECURITY INVOKER, no
-- SET clause: the schema owner need not be a superuser.

CREATE OR REPLACE FUNCTION app_context_notify() RETURNS trigger
  LANGUAGE plpgsql
AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'UserSession' THEN
    PERFORM pg_notify('phteah_context', 's:' || r.id::text);
  ELSIF TG_TABLE_NAME = 'User' THEN
    PERFORM pg_notify('phteah_context', 'u:' || r.id::text);
  ELSIF TG_TABLE_NAME = 'Tenant' THEN
    PERFORM pg_notify('phteah_context', 't:' || r.id::text);
  ELSIF TG_TABLE_NAME = 'Plan' THEN
    PERFORM pg_notify('phteah_context', '*');
  ELSE
    PERFORM pg_notify('phteah_context', 't:' || r."tenantId"::text);
    -- a row moved to another workspace (not done by the app, but never missed)
    IF TG_OP = 'UPDATE' AND OLD."tenantId" IS DISTINCT FROM NEW."tenantId" THEN
      PERFORM pg_notify('phteah_context', 't:' || OLD."tenantId"::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "UserSession_context_notify" AFTER UPDATE ON "UserSession" FOR EACH ROW
  WHEN ((OLD."userId", OLD."host", OLD."expiresAt", OLD."revokedAt", OLD."mfaVerifiedAt", OLD."impersonatorUserId")
        IS DISTINCT FROM (NEW."userId", NEW."host", NEW."expiresAt", NEW."revokedAt", NEW."mfaVerifiedAt", NEW."impersonatorUserId"))
  EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "UserSession_context_notify_delete" AFTER DELETE ON "UserSession" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "User_context_notify" AFTER UPDATE OR DELETE ON "User" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "Tenant_context_notify" AFTER UPDATE OR DELETE ON "Tenant" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "Membership_context_notify" AFTER INSERT OR UPDATE OR DELETE ON "Membership" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "Role_context_notify" AFTER INSERT OR UPDATE OR DELETE ON "Role" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "RolePermission_context_notify" AFTER INSERT OR UPDATE OR DELETE ON "RolePermission" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "Subscription_context_notify" AFTER INSERT OR UPDATE OR DELETE ON "Subscription" FOR EACH ROW EXECUTE FUNCTION app_context_notify();
CREATE TRIGGER "Plan_context_notify" AFTER INSERT OR UPDATE OR DELETE ON "Plan" FOR EACH ROW EXECUTE FUNCTION app_context_notify();

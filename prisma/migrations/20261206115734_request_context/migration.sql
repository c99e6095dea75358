-- The request context in one statement (server/core/request-lookup.ts): the host's tenant, the
-- session row with its user, the user's active membership with its role and permissions, and the
-- workspace's subscription and plan, as one jsonb value, so that a request resolves who is asking
-- in one round trip instead of eight statements in a transaction of their own.
--
-- It runs as the caller (SECURITY INVOKER: the app role, row-level security forced as everywhere).
-- Tenant, User, UserSession and Plan are global tables. Membership, Role, RolePermission and
-- Subscription are tenant tables: the function binds app.tenant_id to the tenant it found by
-- the slug (or id) it was given, exactly as a TenantDb transaction does, and puts the caller's
-- app.tenant_id and app.platform back before it returns, so nothing leaks into the caller's
-- transaction. (Not with function SET clauses: setting a custom parameter there needs a
-- superuser, and the schema owner of a managed PostgreSQL is not one.) STABLE: every query inside sees the snapshot of the calling statement (atomic).
-- Refusals are decided by the caller from these facts (server/core/session.ts, tenant-context.ts).
-- Timestamps are UTC instants with an explicit offset (the columns are UTC `timestamp(3)`).
--
-- p_slug / p_tenant_id: the tenant (by the Host header's slug, or by id when re-reading); both null = none
-- p_session_id: the session cookie's session id (null: no session read)
-- p_user_id: the cookie's user id (null: no membership read)
-- p_free_plan: the plan code a workspace without a subscription row gets

CREATE OR REPLACE FUNCTION app_request_context(p_slug text, p_tenant_id uuid, p_session_id uuid, p_user_id uuid, p_free_plan text)
  RETURNS jsonb
  LANGUAGE plpgsql
  STABLE
AS $$
DECLARE
  v_caller_tenant text := COALESCE(current_setting('app.tenant_id', true), '');
  v_caller_platform text := COALESCE(current_setting('app.platform', true), '');
  v_tenant_id uuid;
  v_tenant jsonb;
  v_session jsonb;
  v_membership jsonb;
  v_subscription jsonb;
  v_free_plan jsonb;
BEGIN
  PERFORM set_config('app.tenant_id', '', true);
  PERFORM set_config('app.platform', '', true);
  IF p_tenant_id IS NOT NULL THEN
    SELECT t.id, jsonb_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'status', t.status,
             'locale', t.locale, 'timezone', t.timezone, 'currency', t.currency)
      INTO v_tenant_id, v_tenant
      FROM "Tenant" t WHERE t.id = p_tenant_id;
  ELSIF p_slug IS NOT NULL THEN
    SELECT t.id, jsonb_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'status', t.status,
             'locale', t.locale, 'timezone', t.timezone, 'currency', t.currency)
      INTO v_tenant_id, v_tenant
      FROM "Tenant" t WHERE t.slug = p_slug;
  END IF;

  IF p_session_id IS NOT NULL THEN
    SELECT jsonb_build_object(
             'id', s.id, 'userId', s."userId", 'host', s.host,
             'expiresAt', s."expiresAt" AT TIME ZONE 'UTC', 'revokedAt', s."revokedAt" AT TIME ZONE 'UTC',
             'lastSeenAt', s."lastSeenAt" AT TIME ZONE 'UTC', 'mfaVerifiedAt', s."mfaVerifiedAt" AT TIME ZONE 'UTC',
             'impersonatorUserId', s."impersonatorUserId",
             'user', jsonb_build_object('id', u.id, 'email', u.email, 'name', u.name, 'locale', u.locale,
                       'isPlatformAdmin', u."isPlatformAdmin", 'lockedAt', u."lockedAt" AT TIME ZONE 'UTC'))
      INTO v_session
      FROM "UserSession" s JOIN "User" u ON u.id = s."userId"
     WHERE s.id = p_session_id;
  END IF;

  IF v_tenant_id IS NOT NULL AND p_user_id IS NOT NULL THEN
    -- the tenant tables below are read under their row-level security policy, bound to this tenant
    PERFORM set_config('app.tenant_id', v_tenant_id::text, true);
    SELECT jsonb_build_object('id', m.id, 'userId', m."userId", 'tenantId', m."tenantId", 'roleKey', r.key, 'roleName', r.name,
             'permissions', COALESCE((SELECT jsonb_agg(rp."permissionCode" ORDER BY rp."permissionCode")
                                        FROM "RolePermission" rp
                                       WHERE rp."tenantId" = m."tenantId" AND rp."roleId" = m."roleId"), '[]'::jsonb))
      INTO v_membership
      FROM "Membership" m JOIN "Role" r ON r."tenantId" = m."tenantId" AND r.id = m."roleId"
     WHERE m."tenantId" = v_tenant_id AND m."userId" = p_user_id AND m.status = 'active';

    IF v_membership IS NOT NULL THEN
      SELECT jsonb_build_object('id', s.id, 'status', s.status,
               'currentPeriodEnd', s."currentPeriodEnd" AT TIME ZONE 'UTC', 'trialEndsAt', s."trialEndsAt" AT TIME ZONE 'UTC',
               'graceEndsAt', s."graceEndsAt" AT TIME ZONE 'UTC',
               'plan', jsonb_build_object('id', p.id, 'code', p.code, 'name', p.name, 'tier', p.tier,
                         'features', to_jsonb(p.features), 'limits', p.limits))
        INTO v_subscription
        FROM "Subscription" s JOIN "Plan" p ON p.id = s."planId"
       WHERE s."tenantId" = v_tenant_id;
      IF v_subscription IS NULL AND p_free_plan IS NOT NULL THEN
        SELECT jsonb_build_object('id', p.id, 'code', p.code, 'name', p.name, 'tier', p.tier,
                 'features', to_jsonb(p.features), 'limits', p.limits)
          INTO v_free_plan
          FROM "Plan" p WHERE p.code = p_free_plan;
      END IF;
    END IF;
  END IF;

  PERFORM set_config('app.tenant_id', v_caller_tenant, true);
  PERFORM set_config('app.platform', v_caller_platform, true);
  RETURN jsonb_build_object('tenant', v_tenant, 'session', v_session, 'membership', v_membership,
                            'subscription', v_subscription, 'freePlan', v_free_plan);
END
$$;

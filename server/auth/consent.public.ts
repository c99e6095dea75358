import "server-only";
import { Prisma } from "@/server/db/generated/client";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import type { SessionUser } from "@/server/core/session";
import { CONSENT_DOCUMENT_VALUES, type ConsentDocument } from "@/lib/enums";
import { CURRENT_VERSIONS } from "@/lib/legal";

// Re-consent (issue 14, docs/PRIVACY_RETENTION.md "Consent"): when lib/legal.ts names a newer terms
// of service or privacy notice version than the one a user last accepted, every signed-in surface
// (the workspace, the admin console) refuses to work until they accept it:
//   - tRPC: tenantProcedure and adminProcedure call assertConsentCurrent (errors `consent.pending`,
//     FORBIDDEN); only consent.status / consent.accept, the sign-in steps (2FA) and sign-out pass;
//   - pages: the workspace layout and the console layout redirect to /accept-terms.
// A user with no consent record at all (invited members, operators created by script) is not asked:
// the gate is for a version change after an acceptance. A support (impersonation) session is not
// gated and cannot accept on the user's behalf.

/** Users already known to have accepted the current versions: a version only changes with a release (new process). */
const current = new Set<string>();
const REMEMBER_MAX = 50_000;

function remember(userId: string): void {
  if (current.size >= REMEMBER_MAX) current.delete(current.values().next().value!);
  current.add(userId);
}

/** The documents whose current version is newer than the one this user last accepted (empty: nothing to accept). */
export async function pendingConsents(userId: string): Promise<ConsentDocument[]> {
  if (current.has(userId)) return [];
  const rows = await platformDb.read<{ document: string; latest: string }>(
    Prisma.sql`SELECT "document", max("version") AS "latest" FROM "ConsentRecord" WHERE "userId" = ${userId}::uuid GROUP BY "document"`,
  );
  const latest = new Map(rows.map((r) => [r.document, r.latest]));
  // versions are ISO dates (YYYY-MM-DD): their text order is their time order
  const pending = CONSENT_DOCUMENT_VALUES.filter((d) => {
    const accepted = latest.get(d);
    return accepted !== undefined && accepted < CURRENT_VERSIONS[d];
  });
  if (pending.length === 0) remember(userId);
  return pending;
}

/** The gate: refuses a signed-in user who still has to accept a new version. */
export async function assertConsentCurrent(user: Pick<SessionUser, "userId" | "impersonatorUserId">): Promise<void> {
  if (user.impersonatorUserId) return;
  if ((await pendingConsents(user.userId)).length > 0) throw new AppError("FORBIDDEN", "consent.pending");
}

export interface ConsentStatus {
  pending: ConsentDocument[];
  versions: Record<ConsentDocument, string>;
}

export async function consentStatus(user: Pick<SessionUser, "userId" | "impersonatorUserId">): Promise<ConsentStatus> {
  return { pending: user.impersonatorUserId ? [] : await pendingConsents(user.userId), versions: { ...CURRENT_VERSIONS } };
}

/**
 * Records the acceptance of the current version of each pending document (one ConsentRecord each,
 * with the time) and an audit row: in the workspace's log when accepted on a workspace host, in the
 * platform log on the apex. Accepting twice records nothing more.
 */
export async function acceptCurrentConsents(
  user: Pick<SessionUser, "userId" | "email" | "impersonatorUserId">,
  meta: RequestMeta,
  tenantId: string | null,
): Promise<{ accepted: ConsentDocument[] }> {
  if (user.impersonatorUserId) throw new AppError("FORBIDDEN", "account.errors.impersonated");
  const accepted = await platformDb.run(async (tx) => {
    // one acceptance at a time per user (a double click records one row per document)
    await tx.$executeRaw`SELECT 1 FROM "User" WHERE id = ${user.userId}::uuid FOR UPDATE`;
    const rows = await tx.consentRecord.findMany({ where: { userId: user.userId }, select: { document: true, version: true } });
    const missing = CONSENT_DOCUMENT_VALUES.filter((d) => !rows.some((r) => r.document === d && r.version >= CURRENT_VERSIONS[d]));
    if (missing.length === 0) return missing;
    await tx.consentRecord.createMany({
      data: missing.map((document) => ({ userId: user.userId, document, version: CURRENT_VERSIONS[document] })),
    });
    await new AuditLogger(meta).log(tx, tenantId, {
      action: "account.terms_accepted",
      actorUserId: user.userId,
      actorEmail: user.email,
      targetType: "user",
      targetId: user.userId,
      metadata: Object.fromEntries(missing.map((d) => [d, CURRENT_VERSIONS[d]])),
    });
    return missing;
  });
  remember(user.userId);
  return { accepted };
}

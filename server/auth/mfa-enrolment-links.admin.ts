import "server-only";
import { getEnv } from "@/env";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import { hashToken, newToken } from "@/server/auth/tokens";
import { AuditLogger } from "@/server/audit/audit-logger";
import { originForApex } from "@/server/core/host-scope";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { renderMessage } from "@/server/notifications/template-render";
import { sendMail } from "@/server/notifications/mail";
import { isLocale } from "@/lib/i18n";

/**
 * A platform admin's first 2FA enrolment needs a one-time enrolment link, so knowing the password
 * is not enough to bind an authenticator (no trust on first use). The link is e-mailed to the
 * admin's address when an un-enrolled admin signs in, or printed for the first admin by
 * `npm run admin:enrol-link -- <email>` on the server. Single use, 30 minutes, only its SHA-256 is
 * stored (AuthToken kind mfa_enrolment), bound to the admin it was issued for.
 */
export const ENROLMENT_LINK_TTL_MS = 30 * 60_000;
/** a sign-in within this long of the last e-mailed link does not send another (no inbox flooding) */
export const ENROLMENT_LINK_RESEND_AFTER_MS = 5 * 60_000;

export type EnrolmentLinkVia = "email" | "command";

export class EnrolmentLinkRefused extends Error {}

/** The enrolment page with the token: `<apex>/admin/mfa?enrol=<token>`. */
export function enrolmentUrl(token: string): string {
  return `${originForApex()}/admin/mfa?enrol=${encodeURIComponent(token)}`;
}

/** Creates a link for an un-enrolled platform admin; audited. Throws EnrolmentLinkRefused otherwise. */
export async function issueEnrolmentLink(
  userId: string,
  via: EnrolmentLinkVia,
  meta: RequestMeta,
  clock: Clock = systemClock,
): Promise<{ link: string; expiresAt: Date; email: string; name: string; locale: string | null }> {
  const now = clock();
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(now.getTime() + ENROLMENT_LINK_TTL_MS);
  const user = await platformDb.run(async (tx) => {
    const u = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, email: true, name: true, locale: true, isPlatformAdmin: true, totpEnabledAt: true },
    });
    if (!u || !u.isPlatformAdmin) throw new EnrolmentLinkRefused("not a platform admin");
    if (u.totpEnabledAt) throw new EnrolmentLinkRefused("two-factor authentication is already set up");
    await tx.authToken.create({
      data: { kind: "mfa_enrolment", tokenHash, userId: u.id, host: getEnv().APP_ROOT_DOMAIN, expiresAt },
    });
    await new AuditLogger(meta).log(tx, null, {
      action: "admin.mfa.enrolment_link_issued",
      actorUserId: via === "email" ? u.id : null,
      actorEmail: via === "email" ? u.email : null,
      targetType: "user",
      targetId: u.id,
      metadata: { via, expiresAt: expiresAt.toISOString() },
    });
    return u;
  });
  return { link: enrolmentUrl(token), expiresAt, email: user.email, name: user.name, locale: user.locale };
}

/**
 * E-mails a link to the signed-in, un-enrolled admin's own address, unless one went out in the
 * last five minutes. Returns whether a mail was sent.
 */
export async function emailEnrolmentLink(user: { userId: string }, meta: RequestMeta, clock: Clock = systemClock): Promise<boolean> {
  const now = clock();
  const recent = await platformDb.run((tx) =>
    tx.authToken.count({
      where: {
        userId: user.userId,
        kind: "mfa_enrolment",
        usedAt: null,
        createdAt: { gt: new Date(now.getTime() - ENROLMENT_LINK_RESEND_AFTER_MS) },
      },
    }),
  );
  if (recent > 0) return false;
  const issued = await issueEnrolmentLink(user.userId, "email", meta, clock);
  const locale = isLocale(issued.locale) ? issued.locale : "en";
  const mail = await platformDb.run((tx) =>
    renderMessage(tx, {
      tenantId: null,
      key: "auth.mfa_enrolment",
      channel: "email",
      locale,
      variables: { name: issued.name, link: issued.link, minutes: String(ENROLMENT_LINK_TTL_MS / 60_000) },
    }),
  );
  await sendMail({ to: issued.email, subject: mail.subject, text: mail.text, html: mail.html, tags: { kind: "admin_mfa_enrolment" } });
  return true;
}

function tokenWhere(userId: string, token: string, now: Date) {
  return { tokenHash: hashToken(token), userId, kind: "mfa_enrolment" as const, usedAt: null, expiresAt: { gt: now } };
}

/** Whether `token` is an unused, unexpired enrolment link of this admin. */
export async function enrolmentTokenValid(tx: DbTx, userId: string, token: string, now: Date): Promise<boolean> {
  if (!token) return false;
  return (await tx.authToken.count({ where: tokenWhere(userId, token, now) })) === 1;
}

/** Uses the link up (in the enrolment's transaction): true for exactly one caller. */
export async function claimEnrolmentToken(tx: DbTx, userId: string, token: string, now: Date): Promise<boolean> {
  if (!token) return false;
  const claimed = await tx.authToken.updateMany({ where: tokenWhere(userId, token, now), data: { usedAt: now } });
  return claimed.count === 1;
}

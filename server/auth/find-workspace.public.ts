import "server-only";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { RateLimiter, type RateLimitRule } from "@/server/core/rate-limiter";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { originForTenant } from "@/server/core/host-scope";
import { logger } from "@/server/core/observability/logger";
import { sendMail } from "@/server/notifications/mail";
import { renderMessage } from "@/server/notifications/template-render";
import { isLocale, type Locale } from "@/lib/i18n";

/** Every request counts (kept), per client address and per typed e-mail: at most 5 per 15 minutes each. */
export const FIND_WORKSPACE_RULE: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };

export type FindWorkspaceResult =
  | {
      throttled: false;
      /**
       * The lookup and the e-mail, started after the answer was decided: the caller does not wait
       * for it (the answer and its timing are the same whether or not the address has workspaces).
       * It never rejects; it resolves to the number of workspaces e-mailed (0: no mail).
       */
      delivery: Promise<number>;
    }
  | { throttled: true; retryAfterSeconds: number };

/**
 * "Find my workspace" on the apex: whoever types an address sees one neutral sentence; the
 * address's owner gets an e-mail listing the workspaces they are an active member of, with each
 * one's sign-in link. Nothing is ever listed on screen (docs/AUTH.md).
 */
export class FindWorkspaceService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly meta: RequestMeta,
    clock: Clock = systemClock,
  ) {
    this.limiter = new RateLimiter(clock);
  }

  async request(email: string, locale: Locale): Promise<FindWorkspaceResult> {
    const buckets = [`find-workspace:ip:${this.meta.ip ?? "unknown"}`, `find-workspace:acct:${email}`];
    const slot = await this.limiter.consume(buckets, FIND_WORKSPACE_RULE);
    if (slot.limited) return { throttled: true, retryAfterSeconds: slot.retryAfterSeconds };
    const delivery = Promise.resolve()
      .then(() => this.mailWorkspaces(email, locale))
      .catch((err: unknown) => {
        logger.error({ err }, "find my workspace: the e-mail could not be sent");
        return 0;
      });
    return { throttled: false, delivery };
  }

  private async mailWorkspaces(email: string, locale: Locale): Promise<number> {
    const user = await getDb().user.findUnique({
      where: { email },
      select: { id: true, email: true, name: true, locale: true, lockedAt: true },
    });
    if (!user || user.lockedAt) return 0;
    const workspaces = await workspaceLinksOf(user.id);
    if (workspaces.length === 0) return 0;
    const mailLocale: Locale = isLocale(user.locale) ? user.locale : locale;
    const list = workspaces.map((w) => `${w.name}: ${w.signInUrl}`).join("\n");
    const mail = await platformDb.run((tx) =>
      renderMessage(tx, {
        tenantId: null,
        key: "auth.find_workspace",
        channel: "email",
        locale: mailLocale,
        variables: { name: user.name, workspaces: list },
      }),
    );
    await sendMail({ to: user.email, subject: mail.subject, text: mail.text, html: mail.html, tags: { kind: "auth_find_workspace" } });
    return workspaces.length;
  }
}

export interface WorkspaceLink {
  name: string;
  slug: string;
  /** the workspace's own sign-in page (sessions are per host: each workspace signs in on its address) */
  signInUrl: string;
}

/**
 * The workspaces `userId` is an active member of, by name, with their sign-in links: for the
 * e-mail above, and for a user already signed in on the apex (who proved who they are).
 */
export async function workspaceLinksOf(userId: string): Promise<WorkspaceLink[]> {
  // memberships live under RLS; the platform binding reads one user's across workspaces
  const rows = await platformDb.run((tx) =>
    tx.membership.findMany({
      where: { userId, status: "active" },
      select: { tenant: { select: { slug: true, name: true } } },
      orderBy: [{ tenant: { name: "asc" } }, { tenant: { slug: "asc" } }],
      take: 100,
    }),
  );
  return rows.map(({ tenant }) => ({ name: tenant.name, slug: tenant.slug, signInUrl: `${originForTenant(tenant.slug)}/login` }));
}

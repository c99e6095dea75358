import "server-only";
import { sendMail, escapeHtml } from "@/server/mail";
import { createTranslator, isLocale, type Locale } from "@/lib/i18n";
import { originForTenant } from "@/server/services/host-scope";

/** The invitation email: link to <slug>.<root>/invite?token=…, valid 7 days. */
export async function sendInvitationMail(input: {
  to: string;
  token: string;
  tenant: { slug: string; name: string; locale: string };
  inviterName: string;
  roleName: string;
  locale?: string | null;
}): Promise<void> {
  const locale: Locale = isLocale(input.locale) ? input.locale : isLocale(input.tenant.locale) ? input.tenant.locale : "en";
  const t = createTranslator(locale);
  const link = `${originForTenant(input.tenant.slug)}/invite?token=${encodeURIComponent(input.token)}`;
  const vars = { workspace: input.tenant.name, inviter: input.inviterName, role: input.roleName, days: 7 };
  await sendMail({
    to: input.to,
    subject: t("mail.invite.subject", vars),
    text: `${t("mail.invite.body", vars)}\n\n${link}\n\n${t("mail.invite.expires", vars)}`,
    html: `<p>${escapeHtml(t("mail.invite.body", vars))}</p><p><a href="${escapeHtml(link)}">${escapeHtml(t("mail.invite.cta", vars))}</a></p><p>${escapeHtml(t("mail.invite.expires", vars))}</p>`,
    tags: { kind: "invitation" },
  });
}

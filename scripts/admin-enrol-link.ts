// `npm run admin:enrol-link -- <email>`: prints a one-time 2FA enrolment link for a platform admin
// who has not set up two-factor authentication yet (the first admin, or one whose e-mail does not
// arrive). Run it on the server, with the production environment: whoever can run it already
// controls the server, so the link proves more than the password does. Single use, 30 minutes.
import { getDb } from "../server/db/client";
import { EnrolmentLinkRefused, issueEnrolmentLink } from "../server/auth/mfa-enrolment-links.admin";

async function main(): Promise<number> {
  const email = process.argv[2]?.trim().toLowerCase();
  if (!email) {
    console.error("usage: npm run admin:enrol-link -- <admin e-mail>");
    return 1;
  }
  const user = await getDb().user.findUnique({ where: { email }, select: { id: true } });
  if (!user) {
    console.error(`No account with the e-mail ${email}.`);
    return 1;
  }
  try {
    const { link, expiresAt } = await issueEnrolmentLink(user.id, "command", {
      ip: null,
      userAgent: "npm run admin:enrol-link",
      requestId: null,
    });
    console.log(`Two-factor enrolment link for ${email} (single use, expires ${expiresAt.toISOString()}):`);
    console.log(`Sign in as ${email} in a browser first, then open:`);
    console.log(link);
    return 0;
  } catch (error) {
    if (error instanceof EnrolmentLinkRefused) {
      console.error(`Refused for ${email}: ${error.message}.`);
      return 1;
    }
    throw error;
  }
}

main()
  .then(async (code) => {
    await getDb().$disconnect();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await getDb().$disconnect();
    process.exit(1);
  });

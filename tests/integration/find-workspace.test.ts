// "Find my workspace" on the apex (server/auth/find-workspace.public.ts): whoever types an address
// gets the same answer; only the address's owner gets an e-mail, listing the workspaces they are an
// active member of with each one's sign-in link; requests are throttled per address and per e-mail.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { setMailTransportForTests, type MailMessage, type MailTransport } from "@/server/notifications/mail";
import { FIND_WORKSPACE_RULE, FindWorkspaceService, workspaceLinksOf } from "@/server/auth/find-workspace.public";
import { originForTenant } from "@/server/core/host-scope";
import { addMember, createTenant, createUser, uniqueSlug } from "@/server/testing/factories";
import { testMeta, uniqueEmail } from "./support/world";

const sent: MailMessage[] = [];
const capture: MailTransport = {
  name: "capture",
  async send(message) {
    sent.push(message);
    return { id: `captured-${randomUUID()}` };
  },
};

beforeAll(() => setMailTransportForTests(capture));
afterAll(() => setMailTransportForTests(undefined));
afterEach(() => {
  sent.length = 0;
});

const MIN = 60_000;

function manualClock() {
  let now = Date.now();
  return Object.assign(() => new Date(now), {
    advance: (ms: number) => {
      now += ms;
    },
  });
}

/** A person who owns one workspace, manages another and was removed from a third. */
async function member() {
  const slug = uniqueSlug("fw");
  const email = uniqueEmail("dara", slug);
  const own = await createTenant({ slug, name: `Sokha Apartments ${slug}`, ownerEmail: email, ownerName: "Dara" });
  const other = await createTenant({ slug: uniqueSlug("fwb"), name: `Borey Rooms ${slug}` });
  await addMember(other, { email, role: "manager" });
  const gone = await createTenant({ slug: uniqueSlug("fwc"), name: `Gone Flats ${slug}` });
  await addMember(gone, { email, role: "viewer", status: "deactivated" });
  return { email, own, other, gone };
}

const mailsTo = (email: string) => sent.filter((m) => m.to === email);

describe("find my workspace", () => {
  it("e-mails a member the sign-in links of their active workspaces, and nothing else", async () => {
    const { email, own, other, gone } = await member();
    const result = await new FindWorkspaceService(testMeta()).request(email, "en");
    expect(result).toMatchObject({ throttled: false });
    if (result.throttled) throw new Error("unreachable");
    expect(await result.delivery).toBe(2);

    const [mail, ...more] = mailsTo(email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Your Phteah workspaces");
    for (const t of [own, other]) {
      expect(mail!.text).toContain(`${originForTenant(t.slug)}/login`);
      expect(mail!.html).toContain(`${originForTenant(t.slug)}/login`);
    }
    expect(mail!.text).toContain(`Sokha Apartments ${own.slug}`);
    expect(mail!.text).toContain(`Borey Rooms ${own.slug}`);
    // a workspace they were removed from is not listed
    expect(mail!.text).not.toContain(gone.slug);
    expect(mail!.text).not.toContain(`Gone Flats`);
    // one line per workspace in the HTML too
    expect(mail!.html).toMatch(/Borey Rooms [^<]*<br\s*\/?>/);
  });

  it("answers exactly the same for an unknown e-mail, an account without workspaces and a locked member, and mails none of them", async () => {
    const { email } = await member();
    const noWorkspace = await createUser({ email: uniqueEmail("lonely", "phteah"), password: "a long password 1" });
    const locked = await member();
    await getDb().user.update({ where: { email: locked.email }, data: { lockedAt: new Date() } });
    const unknown = uniqueEmail("nobody", "phteah");

    const answers = [];
    for (const address of [email, unknown, noWorkspace.email, locked.email]) {
      const result = await new FindWorkspaceService(testMeta()).request(address, "en");
      if (result.throttled) throw new Error("unexpected throttle");
      const { delivery, ...answer } = result;
      answers.push(answer);
      await delivery;
    }
    // what the caller can see is one shape for all; the lookup runs in `delivery`, after the answer
    expect(answers).toEqual([{ throttled: false }, { throttled: false }, { throttled: false }, { throttled: false }]);
    expect(sent.map((m) => m.to)).toEqual([email]);
  });

  it("writes to a Khmer-speaking member in Khmer", async () => {
    const { email } = await member();
    await getDb().user.update({ where: { email }, data: { locale: "km" } });
    const result = await new FindWorkspaceService(testMeta()).request(email, "en");
    if (result.throttled) throw new Error("unexpected throttle");
    await result.delivery;
    const [mail] = mailsTo(email);
    expect(mail!.subject).toBe("កន្លែងធ្វើការ Phteah របស់អ្នក");
    expect(mail!.text).toContain("សូមចូលកន្លែងធ្វើការនីមួយៗតាមអាសយដ្ឋានរបស់វា");
  });

  it("throttles one e-mail after 5 requests in 15 minutes, from any address", async () => {
    const { email } = await member();
    const clock = manualClock();
    for (let i = 0; i < FIND_WORKSPACE_RULE.limit; i++) {
      const result = await new FindWorkspaceService(testMeta(), clock).request(email, "en");
      expect(result.throttled, `request ${i + 1}`).toBe(false);
      if (!result.throttled) await result.delivery;
      clock.advance(MIN);
    }
    const blocked = await new FindWorkspaceService(testMeta(), clock).request(email, "en");
    expect(blocked).toEqual({ throttled: true, retryAfterSeconds: 600 });
    expect(mailsTo(email)).toHaveLength(5);
    clock.advance(10 * MIN + 1);
    const again = await new FindWorkspaceService(testMeta(), clock).request(email, "en");
    expect(again.throttled).toBe(false);
  });

  it("throttles one client address after 5 requests, whatever e-mails it types", async () => {
    const { email } = await member();
    const meta = testMeta();
    for (let i = 0; i < FIND_WORKSPACE_RULE.limit; i++) {
      const result = await new FindWorkspaceService(meta).request(uniqueEmail(`probe${i}`, "phteah"), "en");
      expect(result.throttled).toBe(false);
    }
    const blocked = await new FindWorkspaceService(meta).request(email, "en");
    expect(blocked).toMatchObject({ throttled: true });
    expect(mailsTo(email)).toEqual([]);
    // the same person from another address is served
    const other = await new FindWorkspaceService(testMeta()).request(email, "en");
    if (other.throttled) throw new Error("unexpected throttle");
    expect(await other.delivery).toBe(2);
  });

  it("lists a signed-in user's workspaces by name with their sign-in links", async () => {
    const { email, own, other } = await member();
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    const links = await workspaceLinksOf(user.id);
    expect(links).toEqual([
      { name: `Borey Rooms ${own.slug}`, slug: other.slug, signInUrl: `${originForTenant(other.slug)}/login` },
      { name: `Sokha Apartments ${own.slug}`, slug: own.slug, signInUrl: `${originForTenant(own.slug)}/login` },
    ]);
  });
});

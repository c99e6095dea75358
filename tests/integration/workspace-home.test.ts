// One server-rendered request of the workspace home (issue 13: at most 10 statements), counted
// in-process: the request's resolver as pages build it (page-context.ts: prefetching, one per
// request), then what the workspace layout and the home page read on it, in the order they ask:
// layout = context, session, support-session banner (none here), feature flags; page = context,
// session, the "what's new" flag, the dashboard figures and the first-run checklist. Statements as the bench counts them
// (transaction control and the tenant's set_config left out).
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { createRequestResolver } from "@/server/core/tenant-resolver";
import { workspaceFlags, workspaceHome } from "@/server/dashboard/workspace-home";
import { PORT, hostOf, sessionFor, uniqueIp } from "./support/world";
import { captureStatements, workStatements } from "./support/sql-plans";

describe("workspace home: statements of one server-rendered request", () => {
  let t: CreatedTenant;

  beforeAll(async () => {
    t = await createTenant({ slug: uniqueSlug("home") });
  });

  it("resolves the context and loads the layout's and the page's data in at most 10 statements", async () => {
    const claims = await sessionFor(t.owner.userId, hostOf(t.slug));
    const resolver = createRequestResolver({
      headers: new Headers({ host: `${hostOf(t.slug)}:${PORT}`, "x-forwarded-for": uniqueIp() }),
      getClaims: async () => claims,
      prefetch: true,
    });
    const { result, statements } = await captureStatements(async () => {
      // the layout and the page render concurrently and share the request's resolver
      const layout = (async () => {
        const ctx = await resolver.tenant();
        await resolver.session();
        return workspaceFlags(ctx);
      })();
      // the home's layout starts the page's reads beside the shell's ((home)/layout.tsx)
      const homeLayout = resolver.tenant().then((ctx) => workspaceHome(ctx));
      const page = (async () => {
        const ctx = await resolver.tenant();
        await resolver.session();
        // one read per request: the page gets the promise the layout started
        expect(workspaceHome(ctx)).toBe(workspaceHome(ctx));
        return workspaceHome(ctx);
      })();
      await homeLayout;
      return { flags: await layout, home: await page };
    });
    const work = workStatements(statements);
    expect(work.length, work.map((s) => s.text.slice(0, 120)).join("\n")).toBeLessThanOrEqual(10);
    // the flags are read once for the layout and the page together
    expect(work.filter((s) => /FROM "public"\."FeatureFlag"(?!Override)/.test(s.text))).toHaveLength(1);
    // and nothing twice, though the home's layout and its page both ask for the figures and the checklist
    expect(work.length).toBe(new Set(work.map((s) => s.text)).size);
    expect(result.home.summary?.occupancy.total).toBe(0);
    expect(result.home.checklist).toMatchObject({ allDone: false, dismissed: false });
    expect(result.home.showWhatsNew).toBe(result.flags.includes("dashboard-whats-new"));
  });
});

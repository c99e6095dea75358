import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

test("the workspace at 390×844: drawer navigation and members as cards, no horizontal scroll", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("members-cards")).toBeVisible();
  await expect(page.getByTestId("members-table")).toBeHidden();
  // other specs may have added members to acme; the seeded three are always there
  for (const email of ["owner@acme.test", "manager@acme.test", "viewer@acme.test"]) {
    await expect(page.getByTestId("members-cards")).toContainText(email);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/members-mobile.png", fullPage: true });
});

test("the sign-in page works at 390 px in Khmer", async ({ page, context }) => {
  await context.addCookies([{ name: "phteah-locale", value: "km", domain: "acme.localhost", path: "/" }]);
  await page.goto(`${origin("acme")}/login`);
  await expect(page.locator("html")).toHaveAttribute("lang", "km");
  await expect(page.getByRole("button", { name: "ចូល" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("the workspace home on a phone asks for no other page until one is tapped, then opens it in the page", async ({ page }) => {
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  // a fresh load of the home: every request for another page's server components (Next's prefetch of
  // the links in view) is counted from here on (issue 17: the figures' links are not prefetched)
  const asked: string[] = [];
  page.on("request", (req) => {
    const headers = req.headers();
    if (headers["rsc"] || headers["next-router-prefetch"]) asked.push(req.url());
  });
  await page.goto(`${origin("acme")}/`);
  await expect(page.getByTestId("dashboard-heading")).toBeVisible();
  await expect(page.getByTestId("dash-chart")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(asked).toEqual([]);
  // the figures' links still navigate on the client (the heading's document stays)
  await page.evaluate(() => ((window as unknown as { __stayed?: boolean }).__stayed = true));
  await page.getByTestId("dash-occupancy-rate").click();
  await page.waitForURL(`${origin("acme")}/units?status=occupied`);
  expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);
  expect(asked.length).toBeGreaterThan(0);
});

test("the home's framework scripts reach the browser marked for eager compilation (V8 compile hints)", async ({ page }) => {
  // the build marks the chunks every page runs on load (scripts/lib/compile-hints.ts, next.config.ts)
  const { rootMainFiles } = JSON.parse(readFileSync(".next/build-manifest.json", "utf8")) as { rootMainFiles: string[] };
  const framework = rootMainFiles.filter((f) => f.endsWith(".js")).map((f) => `/_next/${f}`);
  expect(framework.length).toBeGreaterThan(0);
  const bodies = new Map<string, Promise<string>>();
  page.on("response", (res) => {
    const url = new URL(res.url());
    if (framework.includes(url.pathname)) bodies.set(url.pathname, res.text());
  });
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.waitForLoadState("load");
  expect([...bodies.keys()].sort()).toEqual([...framework].sort());
  for (const [file, body] of bodies) expect((await body).startsWith("//# allFunctionsCalledOnLoad\n"), file).toBe(true);
});

test("the home's first paint waits for no stylesheet: its CSS is in the HTML (fonts and scripts from memory)", async ({ page }) => {
  const styles: string[] = [];
  page.on("request", (req) => {
    if (req.resourceType() === "stylesheet") styles.push(req.url());
  });
  await signedIn(page, "acme", "owner@acme.test");
  await page.waitForURL(`${origin("acme")}/`);
  await page.waitForLoadState("load");
  expect(styles).toEqual([]);
  // styled all the same: the app's Tailwind classes apply (the heading's weight, the cards' borders)
  await expect(page.getByTestId("dashboard-heading")).toHaveCSS("font-weight", "600");
  expect(await page.locator("style").count()).toBeGreaterThan(0);
  // the build's files come from server.mjs's memory, gzipped once, with Next's immutable caching
  const font = await page.evaluate(
    () => performance.getEntriesByType("resource").find((e) => e.name.includes("/_next/static/media/"))?.name,
  );
  const res = await page.request.get(font!);
  expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(res.headers()["etag"]).toMatch(/^"[\w-]{27}"$/);
});

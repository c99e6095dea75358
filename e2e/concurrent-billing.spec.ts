// Issue 17: "with three sessions at once /billing answered 500 (Prisma P2028, pool of 10)". Three
// members of three workspaces, each in their own browser, open /billing at the same moment, three
// times over; no page and no request it makes (the page itself, tRPC, files) answers 5xx.
import { expect, test, newClientContext, type Page } from "./fixtures/test";
import { origin } from "./fixtures/helpers";
import { signedIn } from "./fixtures/sessions";

const MEMBERS = [
  ["acme", "owner@acme.test"],
  ["globex", "owner@globex.test"],
  ["rentdesk", "owner@rentdesk.test"],
] as const;

test("three sessions opening /billing at once never get a server error", async ({ browser }) => {
  test.setTimeout(180_000);
  const failures: string[] = [];
  const pages: [string, Page][] = [];
  for (const [sub, email] of MEMBERS) {
    const context = await newClientContext(browser);
    const page = await context.newPage();
    page.on("response", (res) => {
      if (res.status() >= 500) failures.push(`${res.status()} ${res.request().method()} ${res.url()}`);
    });
    await signedIn(page, sub, email);
    pages.push([sub, page]);
  }
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      pages.map(async ([sub, page]) => {
        const res = await page.goto(`${origin(sub)}/billing`);
        expect(res?.status(), `${sub} round ${round + 1}`).toBe(200);
        // slow is allowed (two cores, three sessions and the menu's prefetches at once); an error is not
        await expect(page.getByTestId("billing-current")).toBeVisible({ timeout: 30_000 });
      }),
    );
  }
  expect(failures).toEqual([]);
  for (const [, page] of pages) await page.context().close();
});

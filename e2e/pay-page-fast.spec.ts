// Issue 17, "Fast on phones": the pay page's QR is in the server's HTML (no JavaScript and round
// trip before the largest paint), in a box of fixed size; the icons and the web app manifest a
// phone needs to add the pay page to its home screen are served on a workspace's host.
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";

const TOKEN = "e2e-payco-look".padEnd(43, "0"); // server/testing/factories.ts E2E_PAY_TOKENS.look

test("the KHQR, its amount and countdown are in the pay page's HTML", async ({ page }) => {
  const res = await page.request.get(`${origin("payco")}/pay/${TOKEN}`);
  expect(res.status()).toBe(200);
  const html = await res.text();
  const img = /<img[^>]*data-testid="pay-khqr-image"[^>]*>/.exec(html)?.[0] ?? "";
  expect(img, "the QR image is server-rendered").toContain('src="data:image/png;base64,');
  expect(img).toContain('width="320"');
  expect(img).toContain('height="320"');
  expect(html).toContain('data-testid="pay-khqr-countdown"');
  expect(html).toContain('data-testid="pay-khqr-amount"');
  // the links a phone reads to add the page to its home screen
  expect(html).toMatch(/<link rel="manifest" href="\/manifest.webmanifest"/);
  expect(html).toContain('rel="apple-touch-icon" href="/apple-touch-icon.png"');
  // a route handler's page (server/pay-page/): still under proxy.ts's security headers, its inline
  // script and style allowed by the request's nonce, and no framework script
  const headers = res.headers();
  const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1];
  expect(nonce, "the CSP's nonce").toBeTruthy();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-request-id"]).toBeTruthy();
  expect(headers["content-type"]).toBe("text/html; charset=utf-8");
  expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([`<script nonce="${nonce}">`]);
  expect([...html.matchAll(/<style\b[^>]*>/g)].map((m) => m[0])).toEqual([`<style nonce="${nonce}">`]);
  expect(html).not.toContain("/_next/static/");
  expect(html).toContain('<meta name="robots" content="noindex, nofollow"');
  expect(html).toContain('<meta name="referrer" content="no-referrer"');

  // the same page with JavaScript: the QR stays, the countdown ticks
  await page.goto(`${origin("payco")}/pay/${TOKEN}`);
  await expect(page.getByTestId("pay-khqr-image")).toBeVisible();
  const countdown = page.getByTestId("pay-khqr-countdown");
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 5_000 });
});

test("the manifest and the icons are served on a workspace's host", async ({ page }) => {
  const manifest = await page.request.get(`${origin("payco")}/manifest.webmanifest`);
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { name: string; display: string; icons: { src: string; sizes: string; purpose?: string }[] };
  expect(body.name).toBe("Phteah");
  expect(body.display).toBe("standalone");
  expect(body.icons.map((i) => `${i.sizes} ${i.purpose ?? "any"}`)).toEqual(
    expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]),
  );
  for (const { src } of body.icons) {
    const icon = await page.request.get(`${origin("payco")}${src}`);
    expect(icon.status(), src).toBe(200);
    expect(icon.headers()["content-type"], src).toMatch(/^image\//);
  }
  for (const path of ["/favicon.ico", "/apple-touch-icon.png"]) {
    const r = await page.request.get(`${origin("payco")}${path}`);
    expect(r.status(), path).toBe(200);
    expect(r.headers()["content-type"], path).toMatch(/^image\//);
  }
});

test("the renter switches the pay page's language, and the choice stays", async ({ page, context }) => {
  await context.clearCookies();
  await page.goto(`${origin("payco")}/pay/${TOKEN}`);
  // the browser asks for English (Accept-Language en-US): the page follows it until the renter chooses
  await expect(page.getByText("Pay your rent", { exact: true })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Language" });
  await expect(nav.locator('[aria-current="true"]')).toHaveText("English");
  await nav.getByRole("link", { name: "ខ្មែរ" }).click();
  await page.waitForURL(`${origin("payco")}/pay/${TOKEN}`);
  await expect(page.locator("html")).toHaveAttribute("lang", "km");
  await expect(page.getByText("បង់ថ្លៃជួលរបស់អ្នក", { exact: true })).toBeVisible();
  await expect(page.getByTestId("pay-khqr-image")).toBeVisible();
  // kept: the next visit opens in Khmer
  await page.goto(`${origin("payco")}/pay/${TOKEN}`);
  await expect(page.getByRole("navigation", { name: "ភាសា" }).locator('[aria-current="true"]')).toHaveText("ខ្មែរ");
  await page.getByTestId("pay-language-en").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByText("Pay your rent", { exact: true })).toBeVisible();
});

// Browser errors reach Sentry: the e2e server runs with SENTRY_DSN pointing at a local Sentry
// (scripts/e2e-server.ts, server/testing/sentry-sink.ts); the page reads the DSN the server put in
// it and sends through the same-origin tunnel /api/monitoring. A page error arrives with its
// message, and the pay token and KHQR md5 in it are scrubbed before it left the browser.
import { expect, test } from "./fixtures/test";
import { origin } from "./fixtures/helpers";

const port = Number(process.env.E2E_PORT ?? 3100);
const SINK = `http://127.0.0.1:${Number(process.env.E2E_SENTRY_PORT ?? port + 1)}`;

test("a page error in the browser reaches the local Sentry, scrubbed of tokens", async ({ page }) => {
  const marker = `e2e-browser-error-${Date.now().toString(36)}`;
  const payToken = `PayTok${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const md5 = Array.from({ length: 32 }, (_, i) => "0123456789abcdef"[(i * 7 + marker.length) % 16]).join("");

  await page.goto(`${origin()}/login`);
  await expect(page.locator('meta[name="sentry-dsn"]')).toHaveAttribute("content", /^http:\/\/e2epublickey@127\.0\.0\.1:\d+\/1$/);
  await page.evaluate(
    ([m, t, h]) => {
      setTimeout(() => {
        throw new Error(`${m} while opening /pay/${t}?md5=${h}`);
      }, 0);
    },
    [marker, payToken, md5] as const,
  );

  const ours = async () => {
    const events = (await (await fetch(`${SINK}/events`)).json()) as {
      exception?: { values?: { value?: string }[] };
      environment?: string;
    }[];
    return events.filter((e) => e.exception?.values?.some((v) => v.value?.includes(marker)));
  };
  await expect.poll(async () => (await ours()).length, { timeout: 15_000 }).toBe(1);
  const [event] = await ours();
  expect(event!.exception!.values![0]!.value).toBe(`${marker} while opening /pay/[scrubbed]?md5=[scrubbed]`);
  expect(event!.environment).toBe("e2e");
  const sent = JSON.stringify(event);
  expect(sent).not.toContain(payToken);
  expect(sent).not.toContain(md5);
});

// The renter pay page asks for the SDK only on the first error (lib/observability/sentry-browser.ts
// sentryLoadPlan): an error there is still kept from the first script on and arrives, scrubbed.
test("an error on the renter pay page loads the SDK and reaches the local Sentry", async ({ page }) => {
  const marker = `e2e-pay-error-${Date.now().toString(36)}`;
  const token = "e2e-paycash-open".padEnd(43, "0"); // server/testing/factories.ts E2E_PAY_TOKENS.cashOnly
  await page.goto(`${origin("paycash")}/pay/${token}`);
  await expect(page.locator('meta[name="sentry-dsn"]')).toHaveAttribute("content", /^http:\/\/e2epublickey@127\.0\.0\.1:\d+\/1$/);
  await page.evaluate(
    ([m, t]) => {
      setTimeout(() => {
        throw new Error(`${m} on /pay/${t}`);
      }, 0);
    },
    [marker, token] as const,
  );
  const ours = async () => {
    const events = (await (await fetch(`${SINK}/events`)).json()) as { exception?: { values?: { value?: string }[] } }[];
    return events.filter((e) => e.exception?.values?.some((v) => v.value?.includes(marker)));
  };
  await expect.poll(async () => (await ours()).length, { timeout: 15_000 }).toBe(1);
  const [event] = await ours();
  expect(event!.exception!.values![0]!.value).toBe(`${marker} on /pay/[scrubbed]`);
  expect(JSON.stringify(event)).not.toContain(token);
});

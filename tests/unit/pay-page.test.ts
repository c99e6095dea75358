// Issues 13 and 17: the renter pay page is written by a route handler (server/pay-page/document.ts),
// not React, and its browser code is one self-contained inline script (server/pay-page/runtime.ts)
// that renders the live part exactly as the server did. What the page prints is escaped; the
// browser's money, dates, countdown and messages are the server's; errors are scrubbed as on the server.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTranslator, messagesFor } from "@/lib/i18n";
import { createFormat, withDigits, type Digits } from "@/lib/i18n/format";
import { scrubText } from "@/lib/observability/scrub";
// the tag under another name here: prettier would format an `html` template's markup
import { escapeHtml, html as tag, jsonForScript, raw } from "@/server/pay-page/html";
import {
  languageRedirect,
  moneySpec,
  payDocument,
  payPageBody,
  runtimeConfig,
  type PayCheckoutView,
  type PayDocumentContext,
  type PayPageView,
} from "@/server/pay-page/document";
import { payPageRuntime } from "@/server/pay-page/runtime";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const HOSTILE = `<script>alert("x")</script> & 'quotes' "double"`;
const NOW = Date.UTC(2026, 3, 10, 5, 0, 0);

function view(over: Partial<PayPageView> = {}, invoice: Partial<PayPageView["invoice"]> = {}): PayPageView {
  return {
    workspace: { name: `Sok ${HOSTILE}`, logoUrl: `/files/logo"><script>alert(1)</script>` },
    invoice: {
      number: "INV-2026-000012",
      period: "2026-04",
      status: "issued",
      currency: "USD",
      total: 25_000,
      amountPaid: 0,
      amountDue: 25_000,
      dueDate: "2026-04-30",
      paidAt: null,
      lines: [
        { kind: "rent", description: `Room ${HOSTILE}`, quantity: 1, unitAmount: 20_000, amount: 20_000 },
        { kind: "electricity", description: "", quantity: 20, unitAmount: 250, amount: 5_000 },
      ],
      ...invoice,
    },
    khqr: true,
    simulator: true,
    instructions: { bankName: `ABA ${HOSTILE}`, accountName: "Sok", accountNumber: "000 111", phone: "012-345 678" },
    equivalent: null,
    payInOther: null,
    ...over,
  } as PayPageView;
}

const attempt = (over: Partial<PayCheckoutView> = {}): PayCheckoutView => ({
  paymentId: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000",
  status: "pending",
  amount: 25_000,
  currency: "USD",
  expiresAt: new Date(NOW + 5 * 60_000),
  serverNow: new Date(NOW),
  qr: `000201${HOSTILE}`,
  qrImage: "data:image/png;base64,iVBORw0KGgo=",
  deepLink: "https://bakong.example/deeplink?x=1&y=2",
  ...over,
});

function page(
  p: {
    locale?: "km" | "en";
    digits?: Digits;
    v?: PayPageView;
    a?: PayCheckoutView | null;
    telegram?: { url: string; qr: string } | null;
  } = {},
) {
  const locale = p.locale ?? "en";
  const digits = p.digits ?? "latn";
  const v = p.v ?? view();
  const a = p.a === undefined ? attempt() : p.a;
  const t = createTranslator(locale) as unknown as (k: string, params?: Record<string, string | number>) => string;
  const config = runtimeConfig({
    locale,
    digits,
    timeZone: "Asia/Phnom_Penh",
    token: "tok".padEnd(43, "0"),
    payIn: null,
    view: v,
    attempt: a,
    sentry: null,
  });
  const ctx: PayDocumentContext = {
    locale,
    digits,
    nonce: "bm9uY2U=",
    sentry: { dsn: "http://k@127.0.0.1:9/1", environment: "e2e" },
    staging: null,
  };
  const { body, script } = payPageBody({ t, locale, digits, config, view: v, payIn: null, telegram: p.telegram ?? null, now: NOW });
  return { doc: payDocument(ctx, t("payPage.title"), body, script), script, config };
}

describe("the pay page's HTML", () => {
  it("escapes text and attribute values; nested html and raw are kept", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const out = tag`<p title="${`" onclick="x`}">${HOSTILE}${tag`<b>${"<i>"}</b>`}${raw("<br>")}${null}${false}${[tag`<i>1</i>`, "<2>"]}</p>`;
    expect(out.__html).toBe(
      `<p title="&quot; onclick=&quot;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &quot;double&quot;<b>&lt;i&gt;</b><br><i>1</i>&lt;2&gt;</p>`,
    );
  });

  it("embeds JSON in a script without a way out of it", () => {
    const json = jsonForScript({ s: "</script><!-- \u2028 &" });
    expect(json).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(json)).toEqual({ s: "</script><!-- \u2028 &" });
  });

  it("shows a workspace, line, instruction or QR text with <script> and quotes as text", () => {
    const { doc } = page({ telegram: { url: `https://t.me/bot?start=${HOSTILE}`, qr: "data:image/png;base64,AA==" } });
    // one script element: the page's own, with the nonce
    expect(doc.match(/<script\b/g)).toHaveLength(1);
    expect(doc).toMatch(/<script nonce="bm9uY2U=">\s*\(function /);
    expect(doc).not.toContain("<script>alert");
    expect(doc).not.toContain('"><script>');
    expect(doc).toContain("Sok &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    expect(doc).toContain("Room &lt;script&gt;");
    expect(doc).toContain("ABA &lt;script&gt;");
    expect(doc).toContain('src="/files/logo&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(doc).toContain('data-qr="000201&lt;script&gt;');
    expect(doc).toContain('href="https://bakong.example/deeplink?x=1&amp;y=2"');
    // the script's JSON cannot close the script element
    const script = doc.slice(doc.indexOf("<script") + 1, doc.lastIndexOf("</script>"));
    expect(script).not.toMatch(/<\/script|<!--/i);
  });

  it("has the document's metadata, icons, inline CSS with the nonce and no framework script", () => {
    const { doc } = page();
    expect(doc).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(doc).toContain("<title>Pay your rent · Phteah</title>");
    expect(doc).toContain('<meta name="robots" content="noindex, nofollow"');
    expect(doc).toContain('<meta name="referrer" content="no-referrer"');
    expect(doc).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    expect(doc).toContain('rel="apple-touch-icon" href="/apple-touch-icon.png"');
    expect(doc).toContain('<link rel="icon" href="/favicon.ico" sizes="48x48"');
    expect(doc).toMatch(/<meta\s+name="sentry-dsn"\s+content="http:\/\/k@127\.0\.0\.1:9\/1"/);
    expect(doc).toMatch(/<style nonce="bm9uY2U=">[^<]*\.bg-slate-50\{/);
    expect(doc).not.toMatch(/<script[^>]*\ssrc=|\/_next\/|<link rel="stylesheet"/);
    expect(doc.match(/<h1\b/g)).toHaveLength(1);
  });

  it("shows the staging banner above the page when given", () => {
    const t = createTranslator("km") as unknown as (k: string) => string;
    const doc = payDocument(
      { locale: "km", digits: "latn", nonce: "n", sentry: null, staging: t("app.stagingBanner") },
      "x",
      tag`<main>page</main>`,
    );
    expect(doc).toContain('data-testid="staging-banner"');
    expect(doc.indexOf("staging-banner")).toBeLessThan(doc.indexOf("<main>page</main>"));
    expect(doc).toContain(messagesFor("km").app.stagingBanner);
  });

  it("renders the KHQR, countdown, deep link and simulator in the HTML; Paid, closed and cash pages as the React page did", () => {
    const { doc } = page();
    for (const id of [
      "pay-workspace",
      "pay-logo",
      "pay-invoice-number",
      "pay-status",
      "pay-amount-due",
      "pay-khqr",
      "pay-khqr-image",
      "pay-khqr-amount",
      "pay-khqr-status",
      "pay-khqr-countdown",
      "pay-khqr-deeplink",
      "pay-simulate",
      "pay-manual",
      "pay-instructions",
    ])
      expect(doc, id).toContain(`data-testid="${id}"`);
    expect(doc).toContain("Expires in 05:00");
    expect(doc).toContain('width="320" height="320"');
    expect(doc).toContain('href="tel:012345678"');
    expect(doc).toContain("20 × $2.50");

    const bodyOf = (d: string) => d.slice(0, d.indexOf("<script"));
    const paid = page({ v: view({}, { status: "paid", amountDue: 0, amountPaid: 25_000, paidAt: new Date(NOW) }), a: null }).doc;
    expect(paid).toContain('data-testid="pay-paid"');
    expect(paid).toContain("Paid on 10 Apr 2026");
    expect(paid).toContain('data-testid="pay-paid-so-far"');
    expect(bodyOf(paid)).not.toMatch(/pay-khqr|pay-manual/);

    const closed = page({ v: view({}, { status: "void" }), a: null }).doc;
    expect(closed).toContain("This invoice no longer takes payments.");
    expect(bodyOf(closed)).not.toMatch(/pay-khqr|pay-manual/);

    const cash = page({ v: view({ khqr: false }), a: null }).doc;
    expect(cash).toContain("Paying by KHQR is not available for this invoice.");
    expect(bodyOf(cash)).not.toContain("pay-khqr");

    const starting = page({ a: null }).doc;
    expect(starting).toContain('data-testid="pay-khqr-starting"');
  });

  it("prints Khmer with Khmer digits when the reader chose them", () => {
    const { doc } = page({ locale: "km", digits: "khmr" });
    expect(doc).toContain('<html lang="km">');
    expect(doc).toContain("ផុតកំណត់ក្នុងរយៈពេល ០៥:០០");
    expect(doc).toContain("២៥០.០០$");
    expect(doc).toContain("INV-2026-000012"); // a code as given
  });
});

describe("the page's script", () => {
  it("is self-contained: no import, no bundler helper", () => {
    const source = payPageRuntime.toString();
    expect(source).not.toMatch(/\brequire\(|\bimport\(|__webpack|__turbopack|_interop|_async_to_generator/);
    const text = read("server/pay-page/runtime.ts");
    expect(text).not.toMatch(/^import\s+(?!type\s)/m);
  });

  it("prints money, dates, countdowns and messages as the server's formatter does", () => {
    for (const locale of ["en", "km"] as const)
      for (const digits of ["latn", "khmr"] as const) {
        const { config } = page({ locale, digits });
        const rt = payPageRuntime(config, false);
        const fmt = createFormat(locale, digits);
        const t = withDigits(
          createTranslator(locale) as unknown as (k: never, p?: Record<string, string | number>) => string,
          digits,
        ) as unknown as (k: string, p?: Record<string, string | number>) => string;
        for (const [minor, currency] of [
          [0, "USD"],
          [25_000, "USD"],
          [123_456_789, "USD"],
          [5, "USD"],
          [78_000, "KHR"],
          [1_234_567, "KHR"],
          [0, "KHR"],
        ] as const)
          expect(rt.money(minor, currency), `${locale} ${digits} ${minor} ${currency}`).toBe(fmt.money(minor, currency));
        for (const iso of ["2026-04-10T05:00:00Z", "2026-12-31T18:30:00Z", "2027-01-01T00:00:00Z"])
          expect(rt.date(iso)).toBe(fmt.date(iso, "Asia/Phnom_Penh"));
        for (const ms of [0, 999, 60_000, 299_001, -5]) expect(rt.countdown(ms)).toBe(fmt.countdown(ms));
        expect(rt.t("payPage.paidToast", { number: "INV-2026-000012" })).toBe(t("payPage.paidToast", { number: "INV-2026-000012" }));
        // a number param grouped, in the reader's digits (as the React island printed it)
        expect(rt.t("payPage.quantity", { quantity: 1500, unit: fmt.money(250_000, "KHR") })).toBe(
          `${fmt.number(1500)} × ${fmt.money(250_000, "KHR")}`,
        );
        expect(rt.t("payPage.expiresIn", { time: rt.countdown(61_000) })).toBe(t("payPage.expiresIn", { time: fmt.countdown(61_000) }));
      }
    expect(moneySpec("km", "KHR")).toEqual({ d: 0, pre: "", suf: "៛" });
    expect(moneySpec("en", "USD")).toEqual({ d: 2, pre: "$", suf: "" });
  });

  it("has every message it reads, in English and Khmer", () => {
    const text = read("server/pay-page/runtime.ts");
    const keys = new Set([...text.matchAll(/\bt\(\s*"([a-zA-Z.]+)"/g)].map((m) => m[1]!));
    const prefixes = new Set([...text.matchAll(/\bt\(\s*`([a-zA-Z.]+)\.\$\{/g)].map((m) => m[1]!));
    expect(keys.size).toBeGreaterThan(20);
    expect(prefixes.size).toBeGreaterThan(1);
    for (const locale of ["en", "km"] as const) {
      const { s } = page({ locale }).config;
      expect(
        [...keys].filter((k) => typeof s[k] !== "string"),
        locale,
      ).toEqual([]);
      for (const p of prefixes)
        expect(
          Object.keys(s).some((k) => k.startsWith(`${p}.`)),
          `${locale} ${p}`,
        ).toBe(true);
      for (const status of ["draft", "issued", "partially_paid", "overdue", "paid", "void"])
        expect(s[`payPage.status.${status}`]).toBeTruthy();
      for (const status of ["pending", "paid", "failed", "expired", "refunded"]) expect(s[`payPage.khqrStatus.${status}`]).toBeTruthy();
    }
  });

  it("scrubs an error report as the server's scrubber does", () => {
    const rt = payPageRuntime(page().config, false);
    for (const text of [
      `boom on /pay/${"PayTok".padEnd(43, "x")}?md5=${"a".repeat(32)}`,
      "Bearer abc.def and mail sok@example.com ?token=secret&x=1",
      "plain text",
    ])
      expect(rt.scrub(text)).toBe(scrubText(text));
  });
});

describe("the pay page's language switch (issue 17)", () => {
  it("offers the other language as a link to this page with ?lang=, the current one marked, each in its own script", () => {
    for (const [locale, other] of [
      ["km", "en"],
      ["en", "km"],
    ] as const) {
      const { doc } = page({ locale });
      const nav = doc.match(/<nav aria-label="[^"]+"[^>]*data-testid="pay-language">[\s\S]*?<\/nav>/)?.[0] ?? "";
      expect(nav, locale).toContain(`aria-label="${messagesFor(locale).app.language}"`);
      expect(nav).toMatch(new RegExp(`<span aria-current="true"[^>]*lang="${locale}"\\s*>${messagesFor(locale).locale[locale]}</span`));
      expect(nav).toContain(`href="/pay/${"tok".padEnd(43, "0")}?lang=${other}"`);
      expect(nav).toContain(`>${messagesFor(locale).locale[other]}</a`);
      expect(nav).not.toContain(`?lang=${locale}`);
    }
  });

  it("keeps the choice in the app's language cookie and shows the page again, keeping ?pay=; a bad value changes nothing", () => {
    const token = "tok".padEnd(43, "0");
    expect(languageRedirect(token, new URLSearchParams(""))).toBeNull();
    expect(languageRedirect(token, new URLSearchParams("pay=KHR"))).toBeNull();

    const km = languageRedirect(token, new URLSearchParams("lang=km&pay=KHR"))!;
    expect(km.status).toBe(303);
    expect(km.headers.get("location")).toBe(`/pay/${token}?pay=KHR`);
    expect(km.headers.get("set-cookie")).toBe("phteah-locale=km; Path=/; Max-Age=31536000; SameSite=Lax");

    const en = languageRedirect(token, new URLSearchParams("lang=en&pay=EUR"))!;
    expect(en.headers.get("location")).toBe(`/pay/${token}`);
    expect(en.headers.get("set-cookie")).toContain("phteah-locale=en;");

    const bad = languageRedirect(token, new URLSearchParams("lang=fr%3B%20Domain%3Devil"))!;
    expect(bad.status).toBe(303);
    expect(bad.headers.get("set-cookie")).toBeNull();
    // the redirect only ever names this page on this host, whatever the token holds
    const odd = languageRedirect("//evil.example/x?y", new URLSearchParams("lang=km"))!;
    expect(odd.headers.get("location")).toBe("/pay/%2F%2Fevil.example%2Fx%3Fy");
  });
});

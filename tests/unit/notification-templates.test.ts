// Message templates without a database: the syntax (validation), the catalog (every key has real
// English and Khmer defaults using only its declared variables) and the React Email rendering.
import { describe, expect, it } from "vitest";
import {
  APEX_KEYS,
  DIRECT_KEYS,
  MESSAGE_CATALOG,
  MESSAGE_KEYS,
  SECURITY_KEYS,
  TENANT_TEMPLATE_KEYS,
  WORKSPACE_SECRET_KEYS,
  isSecurityKey,
  type MessageKey,
} from "@/lib/notifications/catalog";
import { checkTemplate, misplacedSecrets, parseBody, tokenize, usedVariables } from "@/lib/notifications/syntax";
import { redactLogText, redactValues, secretValues } from "@/server/notifications/redact";
import { assertValidTemplate, pickTemplate, validateTemplate } from "@/server/notifications/templates";
import { previewTemplate, renderTelegramText, renderTemplate } from "@/server/notifications/template-render";
import { AppError } from "@/server/core/errors";

const KHMER = /[\u1780-\u17FF]/;

describe("validation", () => {
  it("accepts declared variables, with or without spaces inside the braces", () => {
    expect(validateTemplate("team.invitation", { subject: "Join {{workspace}}", body: "{{ inviter }} asks.\n\n[Go]({{link}})" })).toEqual({
      ok: true,
      unknown: [],
      malformed: [],
      misplaced: [],
    });
  });

  it("lists unknown variables once each, in order of first use, from subject and body", () => {
    const check = validateTemplate("billing.past_due", {
      subject: "{{workspace}}: {{amount}} due",
      body: "Pay {{amount}} before {{grace}} — {{password}}",
    });
    expect(check.ok).toBe(false);
    expect(check.unknown).toEqual(["amount", "password"]);
    expect(check.malformed).toEqual([]);
  });

  it("reports broken braces with the field and where", () => {
    const check = validateTemplate("billing.suspended", { subject: "{{workspace}", body: "Hello }} there\n\n{{{workspace}}}" });
    expect(check.ok).toBe(false);
    expect(check.malformed.map((m) => m.field)).toEqual(["subject", "body", "body", "body"]);
    expect(check.malformed[0]).toMatchObject({ field: "subject", index: 0, near: "{{workspace}" });
    expect(check.malformed[1]).toMatchObject({ field: "body", index: 6 });
    expect(checkTemplate(["x"], { subject: "{{ 1x }}", body: "{{}}" }).malformed).toHaveLength(4);
  });

  it("leaves single braces alone (plain text)", () => {
    expect(validateTemplate("billing.canceled", { subject: "{workspace}", body: "a {b} c" }).ok).toBe(true);
  });

  it("treats every variable as unknown for a key that does not exist", () => {
    expect(validateTemplate("nope.nothing", { subject: "{{workspace}}", body: "x" }).unknown).toEqual(["workspace"]);
  });

  it("refuses on save with an error naming the unknown variables, or the broken field", () => {
    const unknown = (() => {
      try {
        assertValidTemplate("rent.reminder", { subject: "{{number}}", body: "{{secret}} and {{token}}" });
      } catch (e) {
        return e;
      }
    })();
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown).toMatchObject({
      code: "VALIDATION",
      key: "templates.errors.unknownVariables",
      params: { variables: "secret, token", allowed: MESSAGE_CATALOG["rent.reminder"].variables.join(", ") },
    });
    expect(() => assertValidTemplate("rent.reminder", { subject: "ok", body: "Pay {{amount" })).toThrow(
      expect.objectContaining({ key: "templates.errors.malformedBody", params: { near: "{{amount" } }),
    );
    expect(() => assertValidTemplate("rent.reminder", { subject: "}} {{renter}}", body: "ok" })).toThrow(
      expect.objectContaining({ key: "templates.errors.malformedSubject" }),
    );
  });

  it("tokenizes into text and variables", () => {
    expect(tokenize("Hi {{name}}, see {{ link }}!").segments).toEqual([
      { kind: "text", value: "Hi " },
      { kind: "var", name: "name" },
      { kind: "text", value: ", see " },
      { kind: "var", name: "link" },
      { kind: "text", value: "!" },
    ]);
    expect(usedVariables("{{a}} {{b}} {{a}}")).toEqual(["a", "b"]);
  });

  it("parses paragraphs, line breaks and button lines", () => {
    const blocks = parseBody("One\ntwo\n\n  [Pay]({{payLink}})  \nafter\n\r\n\r\nlast\n[not a button]({{x}}) here");
    expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "button", "paragraph", "paragraph"]);
    expect(blocks[0]).toMatchObject({ kind: "paragraph", lines: [[{ value: "One" }], [{ value: "two" }]] });
    expect(blocks[1]).toMatchObject({ kind: "button", label: [{ value: "Pay" }], url: [{ kind: "var", name: "payLink" }] });
    expect(blocks[3]).toMatchObject({ kind: "paragraph" });
    expect((blocks[3] as { lines: unknown[] }).lines).toHaveLength(2);
  });
});

// The variables each key declares (the contract with the services that queue the messages).
const DECLARED: Record<MessageKey, string[]> = {
  "team.invitation": ["workspace", "inviter", "role", "link", "days"],
  "auth.password_reset": ["workspace", "name", "link", "minutes"],
  "auth.mfa_enrolment": ["name", "link", "minutes"],
  "auth.find_workspace": ["name", "workspaces"],
  "billing.invoice_issued": ["workspace", "number", "amount", "plan", "due", "link"],
  "billing.invoice_reminder": ["workspace", "number", "amount", "due", "link"],
  "billing.invoice_overdue": ["workspace", "number", "amount", "due", "link"],
  "billing.payment_receipt": ["workspace", "number", "amount", "date", "link"],
  "billing.past_due": ["workspace", "grace", "link"],
  "billing.suspended": ["workspace", "link"],
  "billing.canceled": ["workspace", "link"],
  "billing.reactivated": ["workspace", "link"],
  "rent.invoice_issued": ["workspace", "renter", "number", "amount", "due", "payLink"],
  "rent.reminder": ["workspace", "renter", "number", "amount", "due", "payLink"],
  "rent.overdue": ["workspace", "renter", "number", "amount", "due", "payLink"],
  "contract.expiring": ["workspace", "renter", "unit", "endDate"],
  "contract.activated": ["workspace", "renter", "unit", "startDate", "telegramLink"],
  "rent.receipt": ["workspace", "renter", "receipt", "amount", "method", "date", "number", "balance", "receiptLink"],
  "renter.telegram_linked": ["workspace", "renter", "telegramName", "date"],
  "renter.login_code": ["workspace", "renter", "code", "minutes"],
};

describe("catalog", () => {
  it("has exactly the contract's keys, each with its declared variables", () => {
    expect([...MESSAGE_KEYS].sort()).toEqual(Object.keys(DECLARED).sort());
    for (const key of MESSAGE_KEYS) expect([...MESSAGE_CATALOG[key].variables].sort(), key).toEqual([...DECLARED[key]].sort());
  });

  it("has English and Khmer defaults for every key, using only declared variables, the same ones in both", () => {
    for (const key of MESSAGE_KEYS) {
      const { defaults, variables, secrets } = MESSAGE_CATALOG[key];
      for (const locale of ["en", "km"] as const) {
        const t = defaults[locale];
        expect(t.subject.trim(), `${key} ${locale} subject`).not.toBe("");
        expect(t.body.trim(), `${key} ${locale} body`).not.toBe("");
        // the built-in wording follows the secret-placement rule too (it is the last fallback)
        expect(checkTemplate(variables, t, secrets), `${key} ${locale}`).toEqual({ ok: true, unknown: [], malformed: [], misplaced: [] });
      }
      expect(KHMER.test(defaults.km.subject) && KHMER.test(defaults.km.body), `${key} km is Khmer`).toBe(true);
      expect(KHMER.test(defaults.en.subject + defaults.en.body), `${key} en has no Khmer`).toBe(false);
      const vars = (l: "en" | "km") => usedVariables(`${defaults[l].subject}\n${defaults[l].body}`).sort();
      expect(vars("km"), `${key}: km and en use the same variables`).toEqual(vars("en"));
    }
  });

  it("has a button in every default body that has a link, and a sample value for every variable", () => {
    for (const key of MESSAGE_KEYS) {
      const entry = MESSAGE_CATALOG[key];
      // contract messages go to renters, who have no login: nothing to link to
      const linked = entry.variables.some((v) => /link/i.test(v));
      for (const locale of ["en", "km"] as const) {
        expect(parseBody(entry.defaults[locale].body).some((b) => b.kind === "button") === linked, `${key} ${locale}`).toBe(true);
      }
      for (const v of entry.variables) expect(entry.sample[v]?.trim(), `${key}.${v}`).toBeTruthy();
    }
  });

  it("marks the keys carrying single-use links as sensitive, with secrets among their variables", () => {
    const sensitive = MESSAGE_KEYS.filter((k) => MESSAGE_CATALOG[k].sensitive);
    expect(sensitive.sort()).toEqual(["auth.mfa_enrolment", "auth.password_reset", "contract.activated", "team.invitation"]);
    for (const key of MESSAGE_KEYS) {
      const e = MESSAGE_CATALOG[key];
      expect(e.sensitive).toBe(e.secrets.length > 0);
      for (const s of e.secrets) expect(e.variables).toContain(s);
    }
  });

  it("makes every key with a secret a security message that workspaces cannot override, but the declared workspace-editable ones", () => {
    expect(SECURITY_KEYS).toEqual(expect.arrayContaining(["auth.password_reset", "team.invitation"]));
    // the one-time Telegram link is a secret (hidden in the log), yet the welcome stays the workspace's wording
    expect(WORKSPACE_SECRET_KEYS).toEqual(["contract.activated"]);
    expect(MESSAGE_CATALOG["contract.activated"].secrets).toEqual(["telegramLink"]);
    expect(MESSAGE_CATALOG["contract.activated"].security).toBe(false);
    expect(TENANT_TEMPLATE_KEYS).toContain("contract.activated");
    for (const key of MESSAGE_KEYS) {
      const closedBySecret = MESSAGE_CATALOG[key].secrets.length > 0 && !WORKSPACE_SECRET_KEYS.includes(key);
      expect(MESSAGE_CATALOG[key].security, key).toBe(closedBySecret || APEX_KEYS.includes(key) || DIRECT_KEYS.includes(key));
      expect(TENANT_TEMPLATE_KEYS.includes(key), key).toBe(!MESSAGE_CATALOG[key].security);
      expect(isSecurityKey(key), key).toBe(MESSAGE_CATALOG[key].security);
    }
  });
});

describe("fallback order (loaded rows)", () => {
  const row = (key: string, locale: string, subject: string) => ({ key, locale, subject, body: `${subject} body`, updatedAt: new Date(0) });
  const key = "contract.expiring" as const;

  it("walks tenant+locale, tenant default locale, global+locale, global en, catalog", () => {
    const rows = {
      tenant: [row(key, "km", "T-km"), row(key, "en", "T-en")],
      global: [row(key, "km", "G-km"), row(key, "en", "G-en")],
      tenantLocale: "km" as const,
    };
    expect(pickTemplate(rows, key, "en")).toMatchObject({ source: "tenant", subject: "T-en", locale: "en" });
    rows.tenant = [row(key, "km", "T-km")];
    expect(pickTemplate(rows, key, "en")).toMatchObject({ source: "tenant_default_locale", subject: "T-km", locale: "km" });
    rows.tenant = [];
    expect(pickTemplate(rows, key, "km")).toMatchObject({ source: "global", subject: "G-km" });
    rows.global = [row(key, "en", "G-en")];
    expect(pickTemplate(rows, key, "km")).toMatchObject({ source: "global_default_locale", subject: "G-en", locale: "en" });
    rows.global = [];
    expect(pickTemplate(rows, key, "km")).toMatchObject({ source: "catalog", ...MESSAGE_CATALOG[key].defaults.km, locale: "km" });
    expect(pickTemplate({ tenant: [], global: [], tenantLocale: null }, key, "en")).toMatchObject({ source: "catalog" });
  });

  it("leaves out one row for the reset fallback, and ignores other keys", () => {
    const rows = { tenant: [row(key, "en", "T-en"), row("rent.overdue", "km", "other")], global: [], tenantLocale: "km" as const };
    expect(pickTemplate(rows, key, "en", { level: "tenant", locale: "en" })).toMatchObject({ source: "catalog", locale: "en" });
    expect(pickTemplate(rows, key, "km")).toMatchObject({ source: "catalog", locale: "km" });
  });
});

describe("rendering", () => {
  const invitation = MESSAGE_CATALOG["team.invitation"];

  it("escapes variables in the HTML (React) and keeps the subject plain text", async () => {
    const r = await renderTemplate({
      key: "team.invitation",
      locale: "en",
      template: invitation.defaults.en,
      variables: { ...invitation.sample, inviter: `<script>alert("x")</script>`, workspace: "Tom & Jerry's <b>flats</b>" },
      heading: "Heading <img src=x onerror=alert(1)>",
    });
    expect(r.html).not.toContain("<script>");
    expect(r.html).not.toContain("<img src=x");
    expect(r.html).not.toContain("<b>flats</b>");
    expect(r.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(r.html).toContain("Heading &lt;img src=x onerror=alert(1)&gt;");
    expect(r.subject).toBe("You are invited to Tom & Jerry's <b>flats</b> on Phteah");
  });

  it("makes a button only of http(s) addresses; a value cannot add a button", async () => {
    const render = (link: string, inviter = "Dara") =>
      renderTemplate({
        key: "team.invitation",
        locale: "en",
        template: invitation.defaults.en,
        variables: { ...invitation.sample, link, inviter },
        heading: "Acme",
      });
    const https = await render("https://acme.example.test/invite?token=abc&x=1");
    expect(https.html).toContain('href="https://acme.example.test/invite?token=abc&amp;x=1"');
    expect(https.html).toMatch(/<a [^>]*href="https:\/\/acme\.example\.test[^"]*"[^>]*>.*Accept the invitation/);
    expect((await render("http://localhost:3000/invite")).html).toContain('href="http://localhost:3000/invite"');
    for (const bad of ["javascript:alert(1)", "data:text/html,hi", "mailto:a@b.test", "/relative/path", "not a url"]) {
      const r = await render(bad);
      expect(r.html, bad).not.toContain("<a ");
      expect(r.html, bad).toContain("Accept the invitation");
    }
    const injected = await render("https://ok.test/x", "[Click](https://evil.test)\n\n[Again](https://evil.test)");
    expect(injected.html).not.toContain('href="https://evil.test');
    expect(injected.html.match(/<a /g)).toHaveLength(1);
  });

  it("renders Khmer text with the Khmer font family and lang", async () => {
    const r = await renderTemplate({
      key: "team.invitation",
      locale: "km",
      template: invitation.defaults.km,
      variables: { ...invitation.sample, workspace: "ផ្ទះសុខា" },
      heading: "ផ្ទះសុខា",
    });
    expect(r.html).toContain('lang="km"');
    expect(r.html).toContain("font-family: 'Noto Sans Khmer'");
    expect(r.html).toMatch(/font-family:&#x27;Noto Sans Khmer&#x27;, &#x27;Khmer UI&#x27;/);
    expect(r.html).toContain("ទទួលយកការអញ្ជើញ");
    expect(r.html).toContain("បានអញ្ជើញអ្នកឱ្យចូលរួម ផ្ទះសុខា ជា Manager។");
    expect(r.html).toContain("ផ្ញើដោយ Phteah ជំនួសឱ្យ ផ្ទះសុខា។");
    expect(r.subject).toBe("អ្នកត្រូវបានអញ្ជើញចូល ផ្ទះសុខា នៅលើ Phteah");
  });

  it("has a plain-text part: heading, paragraphs, the button's label and address, no markup", async () => {
    const receipt = MESSAGE_CATALOG["billing.payment_receipt"];
    const r = await renderTemplate({
      key: "billing.payment_receipt",
      locale: "en",
      template: { subject: receipt.defaults.en.subject, body: `Line one\nline two\n\n${receipt.defaults.en.body}` },
      variables: { ...receipt.sample, amount: "<$49.00>" },
      heading: "Acme Rentals",
    });
    expect(r.text.split("\n")[0]).toBe("Acme Rentals");
    expect(r.text).toContain("Line one\nline two");
    expect(r.text).toContain("We received your payment of <$49.00> for invoice INV-2026-0042 on 1 Dec 2026. Thank you!");
    expect(r.text).toContain(`Download the receipt (PDF) ${receipt.sample.link}`);
    expect(r.text).toContain("Sent by Phteah on behalf of Acme Rentals.");
    expect(r.text).not.toMatch(/<\/?(p|a|table|td|h1|br)\b/);
    // nothing secret in a receipt: the log keeps the text as sent
    expect(r.redactedText).toBe(r.text);
  });

  it("hides a sensitive key's secrets in redactedText only", async () => {
    const reset = MESSAGE_CATALOG["auth.password_reset"];
    const link = "https://acme.example.test/reset-password?token=very-secret-token";
    const r = await renderTemplate({
      key: "auth.password_reset",
      locale: "en",
      template: reset.defaults.en,
      variables: { ...reset.sample, link, name: "Sokha" },
      heading: "Acme",
    });
    expect(r.text).toContain(link);
    expect(r.html).toContain(link);
    expect(r.redactedText).not.toContain("very-secret-token");
    expect(r.redactedText).toContain("Choose a new password [hidden]");
    expect(r.redactedText).toContain("Hello Sokha,");
  });

  it("hides the one-time Telegram link of contract.activated in the log, by e-mail and on Telegram", async () => {
    const activated = MESSAGE_CATALOG["contract.activated"];
    const link = "https://t.me/phteah_bot?start=AbCdEfGhIjKlMnOpQrStUvWx";
    const variables = { ...activated.sample, telegramLink: link };
    const mail = await renderTemplate({
      key: "contract.activated",
      locale: "en",
      template: activated.defaults.en,
      variables,
      heading: "Acme",
    });
    expect(mail.html).toContain(link);
    expect(mail.redactedText).not.toContain("AbCdEfGhIjKlMnOpQrStUvWx");
    expect(mail.redactedText).toContain("Get your invoices on Telegram [hidden]");
    const tg = renderTelegramText({ key: "contract.activated", template: activated.defaults.km, variables });
    expect(tg.buttons).toEqual([{ label: "ទទួលវិក្កយបត្រតាមតេឡេក្រាម", url: link }]);
    expect(tg.redactedText).not.toContain("AbCdEfGhIjKlMnOpQrStUvWx");
    expect(redactLogText("contract.activated", `failed: ${link}`, variables)).not.toContain("AbCdEfGhIjKlMnOpQrStUvWx");
    // a workspace's own wording still cannot move the link out of a button
    expect(() => assertValidTemplate("contract.activated", { subject: "Hi", body: "Link: {{telegramLink}}" })).toThrow(AppError);
  });

  it("inlines the Khmer font in the editors' preview only, never in a sent e-mail", async () => {
    const preview = await previewTemplate({ key: "team.invitation", locale: "km", template: invitation.defaults.km, heading: "ផ្ទះសុខា" });
    expect(preview.html).toMatch(/src: url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{20000,}\) format\('woff2'\)/);
    expect(preview.subject).toBe("អ្នកត្រូវបានអញ្ជើញចូល ផ្ទះសុខា នៅលើ Phteah");
    expect(preview.check.ok).toBe(true);
    const sent = await renderTemplate({
      key: "team.invitation",
      locale: "km",
      template: invitation.defaults.km,
      variables: invitation.sample,
      heading: "x",
    });
    expect(sent.html).not.toContain("data:font");
  });

  it("fills missing declared variables with nothing and keeps undeclared ones visible", async () => {
    const r = await renderTemplate({
      key: "billing.suspended",
      locale: "en",
      template: { subject: "{{workspace}} {{nope}}", body: "Hi {{workspace}}, {{nope}}." },
      variables: { link: "https://x.test" },
      heading: "Acme",
    });
    expect(r.subject).toBe("{{nope}}");
    expect(r.text).toContain("Hi , {{nope}}.");
  });
});

describe("secret variables: only as the whole address of a button line", () => {
  const SECRET_KEYS = MESSAGE_KEYS.filter((k) => MESSAGE_CATALOG[k].secrets.length > 0);

  it.each(SECRET_KEYS)("%s: refuses the secret in the subject, text, a label or inside another address", (key) => {
    const { secrets, defaults } = MESSAGE_CATALOG[key];
    const v = secrets[0]!;
    const ok = defaults.en;
    const cases: Array<[{ subject: string; body: string }, Array<{ field: "subject" | "body"; variable: string }>]> = [
      [ok, []],
      [{ subject: `${ok.subject} {{${v}}}`, body: ok.body }, [{ field: "subject", variable: v }]],
      [{ subject: `{{ ${v} }}`, body: ok.body }, [{ field: "subject", variable: v }]],
      [{ subject: ok.subject, body: `${ok.body}\n\nCopy {{${v}}}` }, [{ field: "body", variable: v }]],
      [{ subject: ok.subject, body: `Line one\n{{${v}}}` }, [{ field: "body", variable: v }]],
      [{ subject: ok.subject, body: `[{{${v}}}](https://example.test)` }, [{ field: "body", variable: v }]],
      [{ subject: ok.subject, body: `[Go](https://evil.example/?t={{${v}}})` }, [{ field: "body", variable: v }]],
      [{ subject: ok.subject, body: `[Go]({{${v}}}) and more` }, [{ field: "body", variable: v }]],
      [{ subject: ok.subject, body: `[Go]( {{${v}}} )` }, []],
      // spaces inside the braces make the line text, not a button: the secret would show as text
      [{ subject: ok.subject, body: `[Go]({{ ${v} }})` }, [{ field: "body", variable: v }]],
    ];
    for (const [template, misplaced] of cases) {
      expect(misplacedSecrets(template, secrets), JSON.stringify(template)).toEqual(misplaced);
      expect(validateTemplate(key, template).ok, JSON.stringify(template)).toBe(misplaced.length === 0);
      if (misplaced.length === 0) continue;
      let error: unknown;
      try {
        assertValidTemplate(key, template);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).key).toBe(
        misplaced[0]!.field === "subject" ? "templates.errors.secretInSubject" : "templates.errors.secretOutsideButton",
      );
      expect((error as AppError).params).toEqual({ variable: `{{${v}}}` });
    }
  });

  it("leaves keys without secrets alone (a pay link may be anywhere)", () => {
    const { variables, secrets } = MESSAGE_CATALOG["rent.reminder"];
    expect(secrets).toEqual([]);
    expect(checkTemplate(variables, { subject: "Pay {{payLink}}", body: "Here: {{payLink}}" }, secrets).ok).toBe(true);
  });

  it.each(SECRET_KEYS)("%s: the renderer puts the secret nowhere but the button, whatever the template says", async (key) => {
    const entry = MESSAGE_CATALOG[key];
    const v = entry.secrets[0]!;
    const link = "https://acme.example.test/x?token=render-secret-123";
    const r = await renderTemplate({
      key,
      locale: "en",
      template: { subject: `S {{${v}}}`, body: `Text {{${v}}}\n\n[{{${v}}}](https://evil.example/?t={{${v}}})\n\n[Open]({{${v}}})` },
      variables: { ...entry.sample, [v]: link },
      heading: "Acme",
    });
    expect(r.subject).toBe("S [hidden]");
    expect(r.redactedSubject).toBe("S [hidden]");
    // the only place: the real button's address (and its plain-text twin)
    expect(r.html.split(link)).toHaveLength(2);
    expect(r.html).toContain(`href="${link}"`);
    expect(r.html).toContain("https://evil.example/?t=[hidden]");
    expect(r.text).toContain(`Open ${link}`);
    expect(r.text).toContain("Text [hidden]");
    expect(r.redactedText).not.toContain("render-secret-123");
  });
});

describe("redaction of the message log", () => {
  const link = "https://acme.example.test/reset-password?token=Abc_def-123456";

  it("takes the secret values of a key from its variables", () => {
    expect(secretValues("auth.password_reset", { link, name: "Dara" })).toEqual([link]);
    expect(secretValues("auth.password_reset", {})).toEqual([]);
    expect(secretValues("rent.reminder", { payLink: "https://x.test/pay/abcdefgh" })).toEqual([]);
    expect(secretValues("nope", { link })).toEqual([]);
    expect(secretValues("auth.password_reset", null)).toEqual([]);
  });

  it("hides a value as is, percent-encoded, HTML-escaped, and its token alone", () => {
    const hidden = redactValues(
      `a ${link} b ${encodeURIComponent(link)} c Abc_def-123456 d`,
      secretValues("auth.password_reset", { link }),
    );
    expect(hidden).toBe("a [hidden] b [hidden] c [hidden] d");
  });

  it("hides every address of a key with secrets, and token parameters in any message", () => {
    expect(redactLogText("team.invitation", `Join https://acme.test/invite?token=zz now`)).toBe("Join [hidden] now");
    expect(redactLogText("rent.reminder", "Pay https://acme.test/pay/abc")).toBe("Pay https://acme.test/pay/abc");
    expect(redactLogText("billing.past_due", "See https://acme.test/x?token=abc&y=1")).toBe("See https://acme.test/x?token=[hidden]&y=1");
    expect(redactLogText("team.invitation", null)).toBeNull();
  });
});

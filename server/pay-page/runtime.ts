// The renter pay page's live part (issues 13 and 17): one self-contained function that renders the
// parts of the page that change (the invoice's status badge and totals; the KHQR, "Paid" or closed
// section) and, in the browser, runs them: the countdown, the polling of payPage.status, "new QR
// code", the simulator, the one "Payment received" toast, and error reports to Sentry.
//
// The server calls it to render the page's first HTML (document.ts); the page embeds its source,
// `(${payPageRuntime.toString()})(config, true)`, as its one inline script, so the browser runs the
// very same renderer with no framework and no bundle. It must therefore stay self-contained: no
// imports (types only), no module-level helpers, only what a browser and Node both have. Every
// interpolation goes through its `h` template, which escapes unless a value is already `Html`.
//
// Money and dates in the browser: `money` and `date` below follow lib/i18n/format.ts (the server
// passes each currency's symbol and place, and the Khmer month names); tests/unit/pay-page.test.ts
// checks they print what the server's formatter prints.

export type PayCurrency = "USD" | "KHR";

export interface PayRuntimeAttempt {
  paymentId: string;
  status: "pending" | "paid" | "failed" | "expired" | "refunded";
  amount: number;
  currency: string;
  expiresAt: string | null;
  serverNow: string;
  qr: string;
  qrImage: string;
  deepLink: string | null;
}

export interface PayRuntimeConfig {
  token: string;
  payIn: PayCurrency | null;
  locale: "km" | "en";
  digits: "latn" | "khmr";
  timeZone: string;
  /** lib/i18n/format.ts KHMER_MONTHS */
  kmMonths: string[];
  /** per currency: minor digits and the symbol before / after the grouped amount (lib/i18n/format.ts money) */
  money: Record<string, { d: number; pre: string; suf: string }>;
  /** the translated messages it shows, `{param}` interpolation (payPage.*, a few others) */
  s: Record<string, string>;
  invoice: {
    number: string;
    status: string;
    currency: string;
    total: number;
    amountPaid: number;
    amountDue: number;
    paidAt: string | null;
  };
  khqr: boolean;
  simulator: boolean;
  attempt: PayRuntimeAttempt | null;
  /** where the browser's Sentry events go (the same-origin tunnel), null without a DSN */
  sentry: { dsn: string; environment: string | null } | null;
  /** lib/observability/scrub.ts, as [source, flags, replacement]: applied to what an error report carries */
  scrub: [string, string, string][];
  /** Notyf (script + its CSS), loaded the first time a toast is shown */
  notyfSrc: string;
}

/** HTML the renderer already escaped. */
export interface Html {
  __html: string;
}

export interface PayLiveState {
  status: string;
  amountDue: number;
  amountPaid: number;
  paidAt: string | null;
  /** "idle" (the server's attempt or none yet), "pending", "error" (message) */
  checkout: { state: "idle" | "pending" | "error"; message?: string };
  attempt: PayRuntimeAttempt | null;
  paymentStatus: string;
  expiresAt: string | null;
  /** the clock's skew against this browser (server time − local time), ms */
  skew: number;
}

export interface PayRuntime {
  /** the badge, the totals and the live section, for `state` at the instant `now` (ms, local clock) */
  render(state: PayLiveState, now: number, fixed: { currency: string; manual: string }): { badge: string; totals: string; live: string };
  initialState(now: number): PayLiveState;
  money(minor: number, currency: string): string;
  date(iso: string): string;
  countdown(ms: number): string;
  t(key: string, params?: Record<string, string | number>): string;
  scrub(text: string): string;
}

export function payPageRuntime(cfg: PayRuntimeConfig, browser: boolean): PayRuntime {
  const POLL_MS = 3000;
  /** keep asking a little after expiry: Bakong may confirm a transfer made just before it */
  const POLL_GRACE_MS = 2 * 60_000;
  const KHQR_RED = "#E1232E";
  const LINE_BUTTON =
    "inline-flex min-h-10 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-700 disabled:cursor-not-allowed";
  const PRIMARY = "bg-teal-700 text-white hover:bg-teal-800 disabled:bg-teal-700/50";
  const SECONDARY = "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:opacity-50";

  const escape = (value: unknown): string =>
    String(value).replace(/[&<>"']/g, (c) =>
      c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
    );
  const isHtml = (v: unknown): v is Html => typeof v === "object" && v !== null && typeof (v as Html).__html === "string";
  /** a template whose every value is escaped, unless it is Html (a nested h``) or an array of them */
  const h = (strings: TemplateStringsArray, ...values: unknown[]): Html => {
    let out = strings[0]!;
    values.forEach((v, i) => {
      const one = (x: unknown): string => (isHtml(x) ? x.__html : x === null || x === undefined || x === false ? "" : escape(x));
      out += (Array.isArray(v) ? v.map(one).join("") : one(v)) + strings[i + 1]!;
    });
    return { __html: out };
  };
  const raw = (s: string): Html => ({ __html: s });

  const khmerDigits = "០១២៣៤៥៦៧៨៩";
  const dg = (s: string) => (cfg.digits === "khmr" ? s.replace(/[0-9]/g, (d) => khmerDigits[Number(d)]!) : s);
  const t = (key: string, params?: Record<string, string | number>): string => {
    const message = cfg.s[key] ?? key;
    const texts = params
      ? message.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const v = params[name];
          // a number in the reader's digits; text (names, codes, formatted amounts) as given
          return v === undefined
            ? whole
            : typeof v === "number"
              ? `\uE000${dg(new Intl.NumberFormat("en-US").format(v))}\uE001`
              : `\uE000${v}\uE001`;
        })
      : message;
    // the message's own digits in the reader's digits, the params' text as it came
    return texts
      .split(/(\uE000[^\uE001]*\uE001)/)
      .map((part) => (part.startsWith("\uE000") ? part.slice(1, -1) : dg(part)))
      .join("");
  };
  const grouped = new Map<number, Intl.NumberFormat>();
  const money = (minor: number, currency: string): string => {
    const spec = cfg.money[currency];
    if (!spec) return dg(`${minor} ${currency}`);
    let f = grouped.get(spec.d);
    if (!f) grouped.set(spec.d, (f = new Intl.NumberFormat("en-US", { minimumFractionDigits: spec.d, maximumFractionDigits: spec.d })));
    const value = spec.d === 0 ? Math.round(minor) : minor / 10 ** spec.d;
    return dg(`${value < 0 ? "-" : ""}${spec.pre}${f.format(Math.abs(value))}${spec.suf}`);
  };
  const date = (iso: string): string => {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return "—";
    if (cfg.locale !== "km") return dg(new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: cfg.timeZone }).format(at));
    const parts: Record<string, number> = {};
    for (const p of new Intl.DateTimeFormat("en-US", {
      year: "numeric",
      month: "numeric",
      day: "numeric",
      timeZone: cfg.timeZone,
    }).formatToParts(at))
      if (p.type !== "literal") parts[p.type] = Number(p.value);
    return dg(`${parts.day} ${cfg.kmMonths[(parts.month ?? 1) - 1]} ${parts.year}`);
  };
  const pad2 = (n: number) => String(n).padStart(2, "0");
  const countdown = (ms: number): string => {
    const total = Math.max(0, Math.ceil(ms / 1000));
    return dg(`${pad2(Math.floor(total / 60))}:${pad2(total % 60)}`);
  };
  const scrub = (text: string): string => cfg.scrub.reduce((s, [source, flags, to]) => s.replace(new RegExp(source, flags), to), text);

  const inv = cfg.invoice;
  const initialState = (now: number): PayLiveState => ({
    status: inv.status,
    amountDue: inv.amountDue,
    amountPaid: inv.amountPaid,
    paidAt: inv.paidAt,
    checkout: { state: "idle" },
    attempt: cfg.attempt,
    paymentStatus: cfg.attempt?.status ?? "pending",
    expiresAt: cfg.attempt?.expiresAt ?? null,
    // the server's attempt is as old as this page: its skew is counted from the navigation's start
    skew: cfg.attempt ? new Date(cfg.attempt.serverNow).getTime() - now : 0,
  });

  const payable = cfg.khqr && inv.amountDue > 0;
  const remainingOf = (s: PayLiveState, now: number) => (s.expiresAt ? new Date(s.expiresAt).getTime() - (now + s.skew) : 0);
  const isExpired = (s: PayLiveState, now: number) =>
    s.paymentStatus === "expired" || (s.paymentStatus === "pending" && s.expiresAt !== null && remainingOf(s, now) <= 0);

  const button = (variant: string, extra: string, attrs: Html, label: string) =>
    h`<button type="button" class="${`${LINE_BUTTON} ${variant} ${extra}`.trim()}" ${attrs}>${label}</button>`;

  const khqrBody = (s: PayLiveState, now: number): Html => {
    const a = s.attempt;
    const pending = s.checkout.state === "pending";
    if (s.checkout.state === "error" && !a)
      return h`<div class="space-y-3"><p role="alert" class="rounded-lg bg-red-50 p-3 text-sm text-red-800" data-testid="pay-checkout-error">${
        s.checkout.message || t("payPage.checkoutFailed")
      }</p>${button(SECONDARY, "w-full", raw(`data-pay-action="new-qr"${pending ? " disabled" : ""}`), t("payPage.newQr"))}</div>`;
    if (!a)
      // the QR's box at its final size while the attempt starts: nothing below it moves when it arrives
      return h`<p class="text-center text-3xl font-bold tabular-nums text-slate-900">${money(inv.amountDue, inv.currency)}</p><div class="mx-auto flex aspect-square w-full max-w-[18rem] items-center justify-center rounded-lg bg-slate-50 p-6 text-center text-sm text-slate-600" aria-live="polite" data-testid="pay-khqr-starting">${t(
        "payPage.starting",
      )}</div><p class="text-center text-sm text-slate-600">${t("payPage.scanHelp")}</p>`;
    const expired = isExpired(s, now);
    const live = s.paymentStatus === "pending" && !expired;
    const amount = money(a.amount, a.currency);
    const statusKey = expired ? "expired" : s.paymentStatus;
    return h`<p class="text-center text-3xl font-bold tabular-nums text-slate-900" data-testid="pay-khqr-amount">${amount}</p><div class="relative"><img src="${
      a.qrImage
    }" data-qr="${a.qr}" alt="${t("payPage.qrAlt", { amount, number: inv.number })}" width="320" height="320" data-testid="pay-khqr-image" class="${`mx-auto aspect-square w-full max-w-[18rem] [image-rendering:pixelated] ${
      expired ? "opacity-15 blur-[2px]" : ""
    }`.trim()}">${
      expired
        ? h`<div class="absolute inset-0 flex flex-col items-center justify-center gap-3 p-6 text-center" data-testid="pay-khqr-expired"><p class="text-lg font-semibold text-slate-900">${t(
            "payPage.expired",
          )}</p><p class="text-sm text-slate-600">${t("payPage.expiredHelp")}</p>${button(
            PRIMARY,
            "",
            raw(`data-pay-action="new-qr" data-testid="pay-khqr-new"${pending ? " disabled" : ""}`),
            t("payPage.newQr"),
          )}</div>`
        : ""
    }</div><p class="text-center text-sm text-slate-600">${t("payPage.scanHelp")}</p><p role="status" aria-live="polite" data-testid="pay-khqr-status" data-status="${statusKey}" class="rounded-lg bg-sky-50 px-3 py-2 text-center text-sm font-medium text-sky-900">${t(
      `payPage.khqrStatus.${statusKey}`,
    )}</p>${
      live
        ? h`<p class="text-center font-mono text-base font-semibold tabular-nums text-slate-800" data-testid="pay-khqr-countdown">${t(
            "payPage.expiresIn",
            {
              time: countdown(remainingOf(s, now)),
            },
          )}</p>`
        : ""
    }${
      a.deepLink && live
        ? h`<a href="${a.deepLink}" data-testid="pay-khqr-deeplink" class="flex min-h-12 w-full items-center justify-center rounded-lg px-4 py-3 text-base font-semibold text-white sm:hidden" style="background-color:${KHQR_RED}">${t(
            "payPage.openBakong",
          )}</a>`
        : ""
    }${
      cfg.simulator && live
        ? h`<div class="space-y-2 rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 p-3">${button(
            SECONDARY,
            "w-full",
            raw(`data-pay-action="simulate" data-testid="pay-simulate"`),
            t("payPage.simulate"),
          )}<p class="text-xs text-amber-900">${t("payPage.simulateHelp")}</p></div>`
        : ""
    }`;
  };

  const render = (s: PayLiveState, now: number, fixed: { currency: string; manual: string }) => {
    const paid = s.status === "paid";
    const closed = s.status === "void" || s.status === "draft";
    const badgeClass = paid
      ? "bg-teal-100 text-teal-900"
      : s.status === "overdue"
        ? "bg-red-100 text-red-800"
        : "bg-amber-100 text-amber-900";
    const badge = h`<span class="shrink-0 rounded-full px-2.5 py-1 text-xs font-semibold ${badgeClass}" data-testid="pay-status" data-status="${s.status}">${t(
      `payPage.status.${s.status}`,
    )}</span>`;
    const totals = h`<dl class="mt-3 space-y-1 border-t border-slate-200 pt-3 text-sm" data-pay-totals><div class="flex justify-between"><dt class="text-slate-600">${t(
      "payPage.total",
    )}</dt><dd class="tabular-nums">${money(inv.total, inv.currency)}</dd></div>${
      s.amountPaid > 0
        ? h`<div class="flex justify-between"><dt class="text-slate-600">${t("payPage.paidSoFar")}</dt><dd class="tabular-nums" data-testid="pay-paid-so-far">${money(
            s.amountPaid,
            inv.currency,
          )}</dd></div>`
        : ""
    }<div class="flex justify-between text-base font-semibold"><dt>${t("payPage.amountDue")}</dt><dd class="tabular-nums" data-testid="pay-amount-due">${money(
      s.amountDue,
      inv.currency,
    )}</dd></div></dl>`;
    const section = paid
      ? h`<section class="flex flex-col items-center gap-2 rounded-2xl bg-white p-6 text-center shadow-sm ring-1 ring-teal-200" data-testid="pay-paid" role="status" aria-live="polite"><svg viewBox="0 0 48 48" aria-hidden="true" class="h-16 w-16 text-teal-600"><circle cx="24" cy="24" r="22" fill="currentColor" opacity="0.12"></circle><path d="M14 25l7 7 13-15" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"></path></svg><p class="text-lg font-semibold text-slate-900">${t(
          "payPage.paidTitle",
        )}</p><p class="text-sm text-slate-600">${t("payPage.paidBody", { number: inv.number })}</p>${
          s.paidAt ? h`<p class="text-xs text-slate-500">${t("payPage.paidAt", { date: date(s.paidAt) })}</p>` : ""
        }</section>`
      : closed
        ? h`<p class="rounded-2xl bg-white p-4 text-sm text-slate-700 ring-1 ring-slate-200">${t("payPage.closedBody")}</p>`
        : payable
          ? h`<section class="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="pay-khqr"><div class="flex h-12 items-center justify-center" style="background-color:${KHQR_RED}"><span class="text-lg font-black tracking-[0.3em] text-white">${t(
              "billing.checkout.brand",
            )}</span></div><div class="space-y-3 p-4">${khqrBody(s, now)}</div></section>`
          : "";
    const live = h`${paid ? "" : raw(fixed.currency)}${section}${!paid && !closed ? raw(fixed.manual) : ""}`;
    return { badge: badge.__html, totals: totals.__html, live: live.__html };
  };

  const runtime: PayRuntime = { render, initialState, money, date, countdown, t, scrub };
  if (!browser) return runtime;

  // ---- the browser ----
  const doc = document;
  const q = (selector: string) => doc.querySelector(selector);

  // errors on this page reach Sentry through the same-origin tunnel, scrubbed (lib/observability/scrub.ts):
  // a minimal envelope instead of the SDK (issue 17), from the first script on
  let reported = 0;
  const report = (error: unknown) => {
    if (!cfg.sentry || reported >= 10) return;
    reported += 1;
    const e = error instanceof Error ? error : new Error(typeof error === "string" ? error : "Non-Error thrown");
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    const event = {
      event_id: id,
      timestamp: Date.now() / 1000,
      platform: "javascript",
      level: "error",
      environment: cfg.sentry.environment ?? undefined,
      request: { url: scrub(location.href), headers: { "User-Agent": navigator.userAgent } },
      tags: { page: "pay" },
      exception: {
        values: [
          {
            type: e.name,
            value: scrub(e.message),
            stacktrace: e.stack ? { frames: [{ filename: scrub(e.stack).slice(0, 2000) }] } : undefined,
          },
        ],
      },
    };
    const body = `${JSON.stringify({ event_id: id, dsn: cfg.sentry.dsn, sent_at: new Date().toISOString() })}\n${JSON.stringify({ type: "event" })}\n${JSON.stringify(event)}\n`;
    void fetch("/api/monitoring", {
      method: "POST",
      body,
      keepalive: true,
      headers: { "content-type": "application/x-sentry-envelope" },
    }).catch(() => {});
  };
  addEventListener("error", (e) => report((e as ErrorEvent).error ?? (e as ErrorEvent).message));
  addEventListener("unhandledrejection", (e) => report((e as PromiseRejectionEvent).reason));

  // Notyf, loaded the first time a toast is shown (one instance for the page)
  type Notyf = { success(m: string): void; error(o: { message: string; duration: number }): void };
  let notyf: Promise<Notyf> | undefined;
  const toaster = (): Promise<Notyf> =>
    (notyf ??= new Promise<Notyf>((resolve, reject) => {
      const script = doc.createElement("script");
      script.src = cfg.notyfSrc;
      script.onload = () => {
        const N = (window as unknown as { Notyf: new (o: object) => Notyf }).Notyf;
        resolve(new N({ duration: 4000, dismissible: true, position: { x: "right", y: "top" }, ripple: false }));
      };
      script.onerror = () => {
        notyf = undefined;
        reject(new Error("notyf did not load"));
      };
      doc.head.appendChild(script);
    }));
  const toast = {
    success: (m: string) =>
      void toaster().then(
        (n) => n.success(m),
        () => {},
      ),
    error: (m: string) =>
      void toaster().then(
        (n) => n.error({ message: m, duration: 7000 }),
        () => {},
      ),
  };

  /** one tRPC procedure over plain fetch (superjson's wire format: plain values need no meta) */
  const call = async <T>(procedure: "checkout" | "status" | "simulate", input: Record<string, unknown>): Promise<T> => {
    const path = `/api/trpc/payPage.${procedure}`;
    const wire = JSON.stringify({ json: input });
    const res = await fetch(
      procedure === "status" ? `${path}?input=${encodeURIComponent(wire)}` : path,
      procedure === "status"
        ? { headers: { accept: "application/json" } }
        : { method: "POST", headers: { "content-type": "application/json" }, body: wire },
    ).catch(() => null);
    const payload = (await res?.json().catch(() => null)) as {
      result?: { data?: { json?: T } };
      error?: { json?: { message?: unknown } };
    } | null;
    if (res?.ok && payload?.result?.data?.json !== undefined) return payload.result.data.json;
    const message = payload?.error?.json?.message;
    throw Object.assign(new Error("pay call refused"), { shown: typeof message === "string" ? message : "" });
  };
  const shown = (e: unknown) => (e && typeof (e as { shown?: unknown }).shown === "string" ? (e as { shown: string }).shown : "");

  const fixed = {
    currency: q('[data-testid="pay-currency"]')?.outerHTML ?? "",
    manual: q('[data-testid="pay-manual"]')?.outerHTML ?? "",
  };
  let state = initialState(performance.timeOrigin);
  const announcedPaid = inv.status === "paid";
  let announced = false;
  let shownKey = "";
  const keyOf = (s: PayLiveState, now: number) =>
    JSON.stringify([
      s.status,
      s.amountDue,
      s.amountPaid,
      s.paidAt,
      s.checkout,
      s.attempt?.paymentId,
      s.paymentStatus,
      s.expiresAt,
      isExpired(s, now),
    ]);
  const paint = () => {
    const now = Date.now();
    const key = keyOf(state, now);
    if (key !== shownKey) {
      const out = render(state, now, fixed);
      const badge = q('[data-testid="pay-status"]');
      const totals = q("[data-pay-totals]");
      const live = q("[data-pay-live]");
      if (badge) badge.outerHTML = out.badge;
      if (totals) totals.outerHTML = out.totals;
      if (live) live.innerHTML = out.live;
      shownKey = key;
    } else {
      const c = q('[data-testid="pay-khqr-countdown"]');
      const text = t("payPage.expiresIn", { time: countdown(remainingOf(state, now)) });
      if (c && c.textContent !== text) c.textContent = text;
    }
    if (state.status === "paid" && !announcedPaid && !announced) {
      announced = true;
      toast.success(t("payPage.paidToast", { number: inv.number }));
    }
  };
  const set = (next: Partial<PayLiveState>) => {
    state = { ...state, ...next };
    paint();
  };

  let pollStop: (() => void) | undefined;
  let pollNow: () => void = () => {};
  const poll = (paymentId: string) => {
    pollStop?.();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: { invoiceStatus: string; payment: { status: string; expiresAt: string | null } | null } | undefined;
    const settled = () => {
      if (last && (last.invoiceStatus === "paid" || (last.payment && last.payment.status !== "pending"))) return true;
      const expiresAt = last?.payment?.expiresAt ?? state.expiresAt;
      return Boolean(expiresAt && Date.now() + state.skew > new Date(expiresAt).getTime() + POLL_GRACE_MS);
    };
    const tick = async () => {
      clearTimeout(timer);
      try {
        const data = await call<{
          invoiceStatus: string;
          amountDue: number;
          amountPaid: number;
          paidAt: string | null;
          payment: { paymentId: string; status: string; expiresAt: string | null } | null;
        }>("status", { token: cfg.token, paymentId });
        last = data;
        if (!stopped && state.attempt?.paymentId === paymentId)
          set({
            status: data.invoiceStatus,
            amountDue: data.amountDue,
            amountPaid: data.amountPaid,
            paidAt: data.paidAt ?? inv.paidAt,
            paymentStatus: data.payment?.status ?? state.attempt.status,
            expiresAt: data.payment?.expiresAt ?? state.attempt.expiresAt,
          });
      } catch {
        // the next tick is the retry
      }
      if (!stopped && !settled()) timer = setTimeout(() => void tick(), POLL_MS);
    };
    pollNow = () => void tick();
    pollStop = () => {
      stopped = true;
      clearTimeout(timer);
      pollNow = () => {};
    };
    void tick();
  };

  const start = () => {
    if (state.checkout.state === "pending") return;
    const submittedAt = Date.now();
    pollStop?.();
    set({ checkout: { state: "pending" }, attempt: null });
    call<PayRuntimeAttempt>("checkout", { token: cfg.token, payIn: cfg.payIn }).then(
      (a) => {
        set({
          checkout: { state: "idle" },
          attempt: a,
          paymentStatus: a.status,
          expiresAt: a.expiresAt,
          skew: new Date(a.serverNow).getTime() - submittedAt,
        });
        poll(a.paymentId);
      },
      (e: unknown) => set({ checkout: { state: "error", message: shown(e) }, attempt: null }),
    );
  };

  let simulating = false;
  doc.addEventListener("click", (event) => {
    const target = (event.target as Element | null)?.closest?.("[data-pay-action]");
    if (!(target instanceof HTMLButtonElement) || target.disabled) return;
    const action = target.dataset.payAction;
    if (action === "new-qr") start();
    if (action === "simulate" && state.attempt && !simulating) {
      simulating = true;
      target.disabled = true;
      target.textContent = t("payPage.simulating");
      call("simulate", { token: cfg.token, paymentId: state.attempt.paymentId }).then(
        () => {
          simulating = false;
          shownKey = "";
          paint();
          pollNow();
        },
        (e: unknown) => {
          simulating = false;
          shownKey = "";
          paint();
          toast.error(shown(e) || t("errors.errorBody"));
        },
      );
    }
  });

  // the server's HTML shows the page at the server's instant (this browser's navigation start)
  shownKey = keyOf(state, performance.timeOrigin);
  paint();
  setInterval(paint, 1000);
  // the server could not start one (a throttle, Bakong away): the browser asks
  if (payable && !cfg.attempt) start();
  else if (cfg.attempt) poll(cfg.attempt.paymentId);
  doc.documentElement.dataset.payReady = "1";
  return runtime;
}

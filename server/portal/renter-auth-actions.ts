"use server";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getScope } from "@/server/core/page-context";
import { metaFromHeaders } from "@/server/core/http";
import { LOCALE_COOKIE } from "@/lib/i18n/config";
import { parseRenterIdentifier, RenterAuthService, renterCookieName, renterCookieOptions, updateRenterSettings } from "./renter-auth";
import { currentRenter } from "./renter-session";

// The renter portal's form actions (sign-in, sign-out, settings). Next checks a server action's
// Origin against its Host, so another site cannot post them; the workspace is always the host's.

export type LoginState =
  | { step: "identifier"; error?: "identifier" | "throttled"; minutes?: number }
  | { step: "code"; identifier: string; error?: "code" | "throttled"; minutes?: number };

async function service(): Promise<RenterAuthService | null> {
  const scope = await getScope();
  if (scope?.kind !== "tenant" || scope.tenant.status !== "active") return null;
  return new RenterAuthService({ tenantId: scope.tenant.id, hostname: scope.hostname }, metaFromHeaders(await headers()));
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, 254) : "";
};

export async function requestRenterCode(_prev: LoginState, form: FormData): Promise<LoginState> {
  const auth = await service();
  const identifier = text(form, "identifier").trim();
  if (!auth) return { step: "identifier", error: "identifier" };
  if (!identifier) return { step: "identifier", error: "identifier" };
  if (!parseRenterIdentifier(identifier)) return { step: "identifier", error: "identifier" };
  const result = await auth.requestCode(identifier);
  if (result.throttled) return { step: "identifier", error: "throttled", minutes: Math.ceil(result.retryAfterSeconds / 60) };
  return { step: "code", identifier };
}

export async function verifyRenterCode(_prev: LoginState, form: FormData): Promise<LoginState> {
  const auth = await service();
  const identifier = text(form, "identifier");
  if (!auth) return { step: "code", identifier, error: "code" };
  const result = await auth.verifyCode(identifier, text(form, "code"));
  if (!result.ok) {
    return result.reason === "throttled"
      ? { step: "code", identifier, error: "throttled", minutes: Math.ceil(result.retryAfterSeconds / 60) }
      : { step: "code", identifier, error: "code" };
  }
  const jar = await cookies();
  jar.set(renterCookieName(), result.token, renterCookieOptions());
  // the portal speaks the renter's language unless this browser chose one
  if (!jar.get(LOCALE_COOKIE)) {
    const renter = await auth.readSession(result.token);
    if (renter) jar.set(LOCALE_COOKIE, renter.locale, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
  }
  // the code proved more than one renter (a shared phone or e-mail): the person chooses which to open
  redirect(result.choose ? "/renter/choose" : "/renter");
}

/** /renter/choose: open another of the renters the sign-in proved (anything else: back to the chooser). */
export async function chooseRenter(form: FormData): Promise<void> {
  const auth = await service();
  if (!auth) redirect("/renter/login");
  const jar = await cookies();
  const opened = await auth.switchRenter(jar.get(renterCookieName())?.value, text(form, "renterId"));
  if (!opened) redirect("/renter/choose?failed=1");
  jar.set(renterCookieName(), opened.token, renterCookieOptions());
  redirect("/renter");
}

export async function signOutRenter(): Promise<void> {
  const auth = await service();
  const jar = await cookies();
  if (auth) await auth.signOut(jar.get(renterCookieName())?.value);
  jar.delete({ name: renterCookieName(), path: "/" });
  redirect("/renter/login");
}

export type SettingsState = { ok: boolean; error?: "telegramNotLinked" | "noEmail" | "invalid"; at?: number };

export async function saveRenterSettings(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  const renter = await currentRenter();
  if (!renter) redirect("/renter/login");
  const locale = text(form, "locale") || undefined;
  const result = await updateRenterSettings(
    renter,
    { messageChannel: text(form, "messageChannel") || undefined, locale },
    metaFromHeaders(await headers()),
  );
  if (!result.ok) {
    if (result.error === "notFound") redirect("/renter/login");
    return { ok: false, error: result.error === "telegramNotLinked" || result.error === "noEmail" ? result.error : "invalid" };
  }
  if (locale === "en" || locale === "km") (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
  return { ok: true, at: Date.now() };
}

/** The header's language switch: the browser's choice, and the renter's saved language when signed in. */
export async function setRenterLanguage(locale: string): Promise<void> {
  if (locale !== "en" && locale !== "km") return;
  const renter = await currentRenter();
  if (renter) await updateRenterSettings(renter, { locale }, metaFromHeaders(await headers()));
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 31_536_000, sameSite: "lax" });
}

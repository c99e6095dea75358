// The DataTable strings from a message namespace (components/ui/list-text.ts), in both languages.
import { describe, expect, it } from "vitest";
import { createTranslator } from "@/lib/i18n";
import type { Translator } from "@/lib/i18n/config";
import { listText } from "@/components/ui/list-text";

describe("listText", () => {
  const t: Translator = (key) => `«${key}»`;

  it("takes a namespace's standard keys, the column menu's label where the namespace has one", () => {
    expect(listText(t, "invoices")).toEqual({
      loading: "«invoices.loading»",
      empty: "«invoices.empty»",
      error: "«invoices.loadError»",
      retry: "«invoices.retry»",
      loadMore: "«invoices.loadMore»",
      columns: "«invoices.columns»",
    });
  });

  it("takes the caller's keys where named, the standard one where a key is left undefined", () => {
    const filtered = (on: boolean) => listText(t, "invoices", { empty: on ? "invoices.emptyFiltered" : undefined });
    expect(filtered(true).empty).toBe("«invoices.emptyFiltered»");
    expect(filtered(false).empty).toBe("«invoices.empty»");
    const members = listText(t, "members", { columns: false });
    expect(members).not.toHaveProperty("columns");
    expect(members.error).toBe("«members.loadError»");
    expect(
      listText(t, "admin", {
        loading: "common.loading",
        error: "errors.errorBody",
        retry: "errors.tryAgain",
        loadMore: "members.loadMore",
      }),
    ).toEqual({
      loading: "«common.loading»",
      empty: "«admin.empty»",
      error: "«errors.errorBody»",
      retry: "«errors.tryAgain»",
      loadMore: "«members.loadMore»",
      columns: "«admin.columns»",
    });
  });

  it("makes the caller name every string its namespace lacks (checked by the compiler)", () => {
    // @ts-expect-error members has no `columns`: a list without a column menu says so
    listText(t, "members");
    // @ts-expect-error admin has no loading, loadError, retry nor loadMore of its own
    listText(t, "admin", { loading: "common.loading" });
    // @ts-expect-error a key that is not in the catalog
    listText(t, "invoices", { empty: "invoices.nothingHere" });
    expect(true).toBe(true);
  });

  it("reads real strings in English and Khmer", () => {
    for (const locale of ["en", "km"] as const) {
      const text = listText(createTranslator(locale), "contracts");
      for (const value of Object.values(text)) expect(value, locale).not.toMatch(/^contracts\./);
      if (locale === "km") expect(text.loading).toMatch(/[\u1780-\u17FF]/);
    }
  });
});

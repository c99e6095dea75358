import { describe, expect, it } from "vitest";
import type { ResolverOptions } from "react-hook-form";
import { propertyInputSchema, unitInputSchema } from "@/lib/schemas/properties";
import { renterInputSchema } from "@/lib/schemas/renters";
import { createTranslator } from "@/lib/i18n";
import { translatedZodResolver } from "@/lib/forms/resolver";
import { serverFieldErrors } from "@/lib/forms/server-errors";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one set of options for resolvers of every form shape
const options = { fields: {}, shouldUseNativeValidation: false, criteriaMode: "firstError" } as unknown as ResolverOptions<any>;
const km = createTranslator("km");
const en = createTranslator("en");

describe("translatedZodResolver", () => {
  it("answers the schema's parsed values when the form is valid", async () => {
    const resolve = translatedZodResolver(propertyInputSchema, (k) => en(k as never));
    const result = await resolve({ name: "  Sokha  ", address: "", type: "house", notes: "" } as never, undefined, options);
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({ name: "Sokha", address: "", type: "house", notes: "" });
  });

  it("shows the first message of each field in the person's language", async () => {
    const resolve = translatedZodResolver(renterInputSchema, (k) => km(k as never));
    const noName = await resolve({ nameKm: "", nameLatin: "", phone: "012 345 678", locale: "km" } as never, undefined, options);
    const errors = noName.errors as Record<string, { message: string }>;
    expect(errors.nameKm!.message).toBe(km("renters.errors.nameRequired"));
    expect(errors.nameLatin!.message).toBe(km("renters.errors.nameRequired"));
    expect(noName.values).toEqual({});
    const badPhone = await resolve({ nameKm: "សុខា", nameLatin: "", phone: "12", locale: "km" } as never, undefined, options);
    const phone = (badPhone.errors as Record<string, { message: string }>).phone!.message;
    expect(phone).not.toBe("");
    expect(phone).not.toMatch(/^renters\.|^validation\./);
  });

  it("checks what the form holds through toInput and shows an error at the field that holds it", async () => {
    const resolve = translatedZodResolver(unitInputSchema, (k) => en(k as never), {
      toInput: (v: { code: string; rent: string }) => ({ code: v.code, baseRent: v.rent === "" ? -1 : Number(v.rent) }),
      errorPaths: { baseRent: "rent" },
    });
    const bad = await resolve({ code: "A1", rent: "" } as never, undefined, options);
    expect(Object.keys(bad.errors)).toEqual(["rent"]);
    expect((bad.errors as Record<string, { message: string }>).rent!.message).toBe(en("properties.errors.rentInvalid"));
    const good = await resolve({ code: "A1", rent: "12000" } as never, undefined, options);
    expect(good.errors).toEqual({});
    expect(good.values).toMatchObject({ code: "A1", baseRent: 12000, currency: "USD", status: "vacant" });
  });

  it("nests the errors of list items the way react-hook-form reads them", async () => {
    const { z } = await import("zod");
    const schema = z.object({ items: z.array(z.object({ amount: z.number().min(0, "properties.errors.rentInvalid") })) });
    const resolve = translatedZodResolver(schema, (k) => en(k as never), {
      toInput: (v: { rows: { amount: string }[] }) => ({ items: v.rows.map((r) => ({ amount: Number(r.amount) })) }),
      errorPaths: { "items.1.amount": "rows.1.amount" },
    });
    const result = await resolve({ rows: [{ amount: "1" }, { amount: "-5" }] } as never, undefined, options);
    const errors = result.errors as { rows?: Record<string, { amount?: { message: string } }> };
    expect(errors.rows?.["1"]?.amount?.message).toBe(en("properties.errors.rentInvalid"));
  });

  it("shows a check's message before the schema's on the same field, nested where the form holds it", async () => {
    const { z } = await import("zod");
    const schema = z.object({ price: z.number().min(0, "adminBilling.errors.price"), days: z.number().max(5, "adminBilling.errors.days") });
    const resolve = translatedZodResolver(schema, (k) => en(k as never), {
      toInput: (v: { prices: { price: string }; days: string }) => ({ price: Number(v.prices.price) || -1, days: Number(v.days) }),
      errorPaths: { price: "prices.price" },
      check: (v): Record<string, string> => (/^\d+$/.test(v.prices.price) ? {} : { "prices.price": "adminBilling.errors.priceKhr" }),
    });
    const bad = await resolve({ prices: { price: "12.5" }, days: "9" } as never, undefined, options);
    const errors = bad.errors as { prices?: { price?: { message: string } }; days?: { message: string } };
    expect(errors.prices?.price?.message).toBe(en("adminBilling.errors.priceKhr"));
    expect(errors.days?.message).toBe(en("adminBilling.errors.days"));
    const good = await resolve({ prices: { price: "4000" }, days: "3" } as never, undefined, options);
    expect(good.errors).toEqual({});
    expect(good.values).toEqual({ price: 4000, days: 3 });
  });
});

describe("serverFieldErrors", () => {
  const base = { message: "Could not save", appCode: "VALIDATION", fieldErrors: {} };

  it("puts the server's field errors at their fields, renamed where the form holds them elsewhere", () => {
    expect(
      serverFieldErrors({ ...base, fieldErrors: { baseRent: "Bad rent", code: "Too long" } }, { errorPaths: { baseRent: "rent" } }),
    ).toEqual({
      rent: "Bad rent",
      code: "Too long",
    });
  });

  it("shows a business error without fields at the field its code belongs to", () => {
    const conflict = { message: "That code is taken", appCode: "CONFLICT", fieldErrors: {} };
    expect(serverFieldErrors(conflict, { codeFields: { CONFLICT: "code" } })).toEqual({ code: "That code is taken" });
    expect(serverFieldErrors(conflict, { codeFields: { VALIDATION: "currentPassword" } })).toEqual({});
    expect(serverFieldErrors({ ...base, appCode: null })).toEqual({});
  });

  it("prefers the field errors to the code's field", () => {
    expect(
      serverFieldErrors({ ...base, fieldErrors: { newPassword: "Too short" } }, { codeFields: { VALIDATION: "currentPassword" } }),
    ).toEqual({
      newPassword: "Too short",
    });
  });
});

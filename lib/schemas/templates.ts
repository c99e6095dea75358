// Message templates: shared by the editors (inline errors) and the templates / adminTemplates procedures.
import { z } from "zod";
import { MESSAGE_KEYS, TEMPLATE_LOCALES } from "@/lib/notifications/catalog";

export const SUBJECT_MAX = 200;
export const BODY_MAX = 10_000;

export const templateRefSchema = z.object({
  key: z.enum(MESSAGE_KEYS),
  locale: z.enum(TEMPLATE_LOCALES),
});

export const templateTextSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(1, { message: "validation.required" })
    .max(SUBJECT_MAX, { message: "templates.validation.subjectTooLong" })
    .refine((s) => !/[\r\n]/.test(s), { message: "templates.validation.subjectOneLine" }),
  body: z.string().trim().min(1, { message: "validation.required" }).max(BODY_MAX, { message: "templates.validation.bodyTooLong" }),
});

/** save and preview: which template, and its text */
export const saveTemplateSchema = templateRefSchema.extend(templateTextSchema.shape);

/** the live preview renders whatever is typed (even an empty field), so only the sizes are checked */
export const previewTemplateSchema = templateRefSchema.extend({
  subject: z.string().max(SUBJECT_MAX * 2),
  body: z.string().max(BODY_MAX),
});

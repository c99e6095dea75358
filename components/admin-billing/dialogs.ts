"use client";
import { markInvoicePaidSchema, refundPaymentSchema } from "@/lib/schemas/billing";

// SweetAlert2 dialogs that ask for a few values before an irreversible billing action. The
// fields are built as DOM nodes (never HTML strings: labels and values are user data), are
// validated with the procedure's own zod schema, and show their errors next to the field.

interface FieldRefs {
  wrap: HTMLDivElement;
  error: HTMLParagraphElement;
}

function field(id: string, label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, help?: string): FieldRefs {
  const wrap = document.createElement("div");
  wrap.className = "billing-dialog-field";
  wrap.style.cssText = "text-align:left;margin-top:0.75rem";
  const l = document.createElement("label");
  l.htmlFor = id;
  l.textContent = label;
  l.style.cssText = "display:block;font-size:0.875rem;font-weight:500;margin-bottom:0.25rem";
  control.id = id;
  control.style.cssText = "display:block;width:100%;border:1px solid #cbd5e1;border-radius:0.5rem;padding:0.5rem 0.75rem;font-size:1rem";
  const error = document.createElement("p");
  error.id = `${id}-error`;
  error.setAttribute("role", "alert");
  error.style.cssText = "color:#b91c1c;font-size:0.875rem;margin-top:0.25rem";
  wrap.append(l, control);
  if (help) {
    const h = document.createElement("p");
    h.id = `${id}-help`;
    h.textContent = help;
    h.style.cssText = "color:#64748b;font-size:0.75rem;margin-top:0.25rem";
    control.setAttribute("aria-describedby", h.id);
    wrap.append(h);
  }
  wrap.append(error);
  return { wrap, error };
}

function setError(refs: FieldRefs, control: HTMLElement, message: string | null) {
  refs.error.textContent = message ?? "";
  if (message) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", refs.error.id);
  } else {
    control.removeAttribute("aria-invalid");
  }
}

function intro(text: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.textContent = text;
  p.style.cssText = "text-align:left;font-size:0.95rem";
  return p;
}

export interface MarkPaidText {
  title: string;
  text: string;
  method: string;
  methods: { value: "cash" | "bank_transfer"; label: string }[];
  reference: string;
  referenceHelp: string;
  confirm: string;
  cancel: string;
  /** zod message key → text */
  translate: (key: string) => string;
}

/** Asks how the money came in and its reference; null when cancelled. */
export async function markPaidDialog(
  invoiceId: string,
  text: MarkPaidText,
): Promise<{ invoiceId: string; method: "cash" | "bank_transfer"; reference: string } | null> {
  const { default: Swal } = await import("sweetalert2");
  const select = document.createElement("select");
  for (const m of text.methods) {
    const o = document.createElement("option");
    o.value = m.value;
    o.textContent = m.label;
    select.append(o);
  }
  const input = document.createElement("input");
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 200;
  const methodField = field("mark-paid-method", text.method, select);
  const referenceField = field("mark-paid-reference", text.reference, input, text.referenceHelp);
  const body = document.createElement("div");
  body.append(intro(text.text), methodField.wrap, referenceField.wrap);

  const result = await Swal.fire({
    titleText: text.title,
    html: body,
    icon: "question",
    showCancelButton: true,
    confirmButtonText: text.confirm,
    cancelButtonText: text.cancel,
    confirmButtonColor: "#0f766e",
    reverseButtons: true,
    focusConfirm: false,
    didOpen: () => input.focus(),
    preConfirm: () => {
      const parsed = markInvoicePaidSchema.safeParse({ invoiceId, method: select.value, reference: input.value });
      if (parsed.success) return parsed.data;
      const issues = parsed.error.issues;
      const msg = (path: string) => issues.find((i) => i.path[0] === path)?.message;
      const m = msg("method");
      const r = msg("reference");
      setError(methodField, select, m ? text.translate(m) : null);
      setError(referenceField, input, r ? text.translate(r) : null);
      (r ? input : select).focus();
      return false;
    },
  });
  return result.isConfirmed ? (result.value as { invoiceId: string; method: "cash" | "bank_transfer"; reference: string }) : null;
}

export interface RefundText {
  title: string;
  text: string;
  reason: string;
  typed: string;
  word: string;
  confirm: string;
  cancel: string;
  translate: (key: string) => string;
}

/** Asks for the refund's reason and the typed confirmation word; null when cancelled. */
export async function refundDialog(paymentId: string, text: RefundText): Promise<{ paymentId: string; reason: string } | null> {
  const { default: Swal } = await import("sweetalert2");
  const reason = document.createElement("textarea");
  reason.rows = 3;
  reason.maxLength = 500;
  const word = document.createElement("input");
  word.type = "text";
  word.autocomplete = "off";
  word.spellcheck = false;
  const reasonField = field("refund-reason", text.reason, reason);
  const wordField = field("refund-confirm-word", text.typed, word);
  const body = document.createElement("div");
  body.append(intro(text.text), reasonField.wrap, wordField.wrap);

  const result = await Swal.fire({
    titleText: text.title,
    html: body,
    icon: "warning",
    showCancelButton: true,
    focusCancel: false,
    confirmButtonText: text.confirm,
    cancelButtonText: text.cancel,
    confirmButtonColor: "#b91c1c",
    reverseButtons: true,
    didOpen: () => reason.focus(),
    preConfirm: () => {
      const parsed = refundPaymentSchema.safeParse({ paymentId, reason: reason.value });
      const reasonIssue = parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === "reason")?.message;
      const wordOk = word.value.trim() === text.word;
      setError(reasonField, reason, reasonIssue ? text.translate(reasonIssue) : null);
      setError(wordField, word, wordOk ? null : text.typed);
      if (reasonIssue) reason.focus();
      else if (!wordOk) word.focus();
      return parsed.success && wordOk ? parsed.data : false;
    },
  });
  return result.isConfirmed ? (result.value as { paymentId: string; reason: string }) : null;
}

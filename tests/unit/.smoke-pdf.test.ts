import { test } from "vitest";
import { writeFileSync } from "node:fs";
import { renderBillingPdf, type BillingDocument } from "@/server/billing/pdf";
const doc: BillingDocument = {
    kind: "invoice", locale: "km",
    labels: { title: "វិក្កយបត្រ", number: "លេខ", issued: "កាលបរិច្ឆេទចេញ", due: "ថ្ងៃផុតកំណត់", paid: "បានបង់", billTo: "ចេញវិក្កយបត្រជូន", description: "ការពិពណ៌នា", amount: "ចំនួនទឹកប្រាក់", total: "សរុប", status: "ស្ថានភាព", method: "វិធីបង់ប្រាក់", reference: "លេខយោង", period: "រយៈពេល" },
    issuer: { name: "Phteah Co., Ltd. — ផ្ទះ", lines: ["ផ្លូវ ២៧១ សង្កាត់ទួលទំពូង", "Phnom Penh, Cambodia", "VAT: K001-123456789"] },
    billTo: { name: "Acme Rentals (អាក់មី)", lines: ["owner@acme.test"] },
    number: "INV-2026-000123", issuedAt: "២១ វិច្ឆិកា ២០២៦", dueAt: "២៨ វិច្ឆិកា ២០២៦", period: "១ វិច្ឆិកា – ៣០ វិច្ឆិកា ២០២៦",
    statusText: "មិនទាន់បង់", lines: [{ description: "គម្រោង Pro ប្រចាំខែ — ការជួលផ្ទះ និងការគ្រប់គ្រងអ្នកជួល", amount: "$29.00" }, { description: "Café résumé “quotes” ’ naïve — em dash", amount: "៛120,000" }, { description: "ការជួលផ្ទះប្រចាំខែសម្រាប់អ្នកជួលទាំងអស់ក្នុងអគារនេះ ដែលត្រូវបង់ប្រាក់ជារៀងរាល់ខែ តាមរយៈប្រព័ន្ធ KHQR របស់ធនាគារជាតិនៃកម្ពុជា និងការគ្រប់គ្រងកិច្ចសន្យាជួល".repeat(2), amount: "$1,234.56" }],
    total: "$29.00", payment: { method: "KHQR (Bakong)", reference: "abc123" }, footer: "សូមអរគុណ! Thank you for your business.",
  };
test("smoke", async () => {
  for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const pdf = await renderBillingPdf(doc);
  console.log("ms", performance.now() - t0, "size", pdf.length);
  writeFileSync("/tmp/pdfcheck/km.pdf", pdf);
  }
});

import { getT } from "@/server/core/page-context";
import type { PaymentInstructions } from "@/server/workspaces/payment-instructions";

// The workspace's own cash and bank-transfer instructions on the renter's pay page (/settings →
// "Cash and bank transfer"). A server component: no JavaScript reaches the phone for it. The pay
// page places it in its "cash or bank transfer" section.
export async function PayInstructions({ instructions }: { instructions: PaymentInstructions | null }) {
  if (!instructions) return null;
  const t = await getT();
  const rows: Array<{ label: string; value: string; tel?: boolean }> = [];
  if (instructions.bankName) rows.push({ label: t("invoices.pdf.howToPay.bankName"), value: instructions.bankName });
  if (instructions.accountName) rows.push({ label: t("invoices.pdf.howToPay.accountName"), value: instructions.accountName });
  if (instructions.accountNumber) rows.push({ label: t("invoices.pdf.howToPay.accountNumber"), value: instructions.accountNumber });
  if (instructions.phone) rows.push({ label: t("invoices.pdf.howToPay.phone"), value: instructions.phone, tel: true });
  return (
    <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5" data-testid="pay-instructions">
      {rows.map((r) => (
        <div key={r.label} className="contents">
          <dt className="text-slate-600">{r.label}</dt>
          <dd className="font-medium break-words text-slate-900 tabular-nums">
            {r.tel ? (
              <a href={`tel:${r.value.replace(/[\s-]/g, "")}`} className="text-teal-800 underline underline-offset-2">
                {r.value}
              </a>
            ) : (
              r.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

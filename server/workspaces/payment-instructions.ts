import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { updateTenantSettings, type TenantSettingsSection } from "@/server/workspaces/workspace-settings-service";
import type { TenantContext } from "@/server/core/tenant-context";
import type { PaymentInstructionsValues } from "@/lib/schemas/payment-instructions";

// The workspace's own cash and bank-transfer instructions (Tenant.payBankName, payAccountName,
// payAccountNumber, payPhone): edited in /settings by members with workspace.settings (owners and
// admins), shown on the renter's pay page and on the invoice PDF.

export type PaymentInstructions = PaymentInstructionsValues;

const select = { payBankName: true, payAccountName: true, payAccountNumber: true, payPhone: true } as const;

export async function readPaymentInstructions(tx: DbTx, tenantId: string): Promise<PaymentInstructions> {
  const row = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select });
  return { bankName: row.payBankName, accountName: row.payAccountName, accountNumber: row.payAccountNumber, phone: row.payPhone };
}

/** true when at least one instruction is set (otherwise nothing is shown) */
export function hasPaymentInstructions(p: PaymentInstructions): boolean {
  return Boolean(p.bankName || p.accountName || p.accountNumber || p.phone);
}

const section: TenantSettingsSection<PaymentInstructions> = {
  read: readPaymentInstructions,
  toData: (v) => ({ payBankName: v.bankName, payAccountName: v.accountName, payAccountNumber: v.accountNumber, payPhone: v.phone }),
  action: "workspace.payment_instructions_updated",
};

export class PaymentInstructionsService {
  constructor(private readonly ctx: TenantContext) {}

  async get(): Promise<PaymentInstructions> {
    return this.ctx.db.run((tx) => readPaymentInstructions(tx, this.ctx.tenantId));
  }

  /** Writes and audits (changed fields, before and after) in one transaction. */
  async update(input: PaymentInstructionsValues): Promise<PaymentInstructions> {
    return updateTenantSettings(this.ctx, section, { ...input });
  }
}

import "server-only";
import { AppError } from "@/server/core/errors";
import { hasPermission } from "@/lib/permissions";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { DbTx } from "@/server/db/tenant-db";
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

export class PaymentInstructionsService {
  constructor(private readonly ctx: TenantContext) {}

  async get(): Promise<PaymentInstructions> {
    return this.ctx.db.run((tx) => readPaymentInstructions(tx, this.ctx.tenantId));
  }

  /** Writes and audits (changed fields, before and after) in one transaction. */
  async update(input: PaymentInstructionsValues): Promise<PaymentInstructions> {
    if (!hasPermission(this.ctx.permissions, "workspace.settings")) {
      throw new AppError("FORBIDDEN", "errors.missingPermission", { permission: "workspace.settings" });
    }
    if (this.ctx.plan.readOnly) throw new AppError("FORBIDDEN", "errors.workspaceReadOnly");
    return this.ctx.db.run(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE "id" = ${this.ctx.tenantId}::uuid FOR UPDATE`;
      const before = await readPaymentInstructions(tx, this.ctx.tenantId);
      const after: PaymentInstructions = { ...input };
      const changed = (Object.keys(after) as (keyof PaymentInstructions)[]).filter((k) => before[k] !== after[k]);
      if (changed.length === 0) return before;
      await tx.tenant.update({
        where: { id: this.ctx.tenantId },
        data: {
          payBankName: after.bankName,
          payAccountName: after.accountName,
          payAccountNumber: after.accountNumber,
          payPhone: after.phone,
        },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "workspace.payment_instructions_updated",
        targetType: "Tenant",
        targetId: this.ctx.tenantId,
        metadata: {
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        },
      });
      return after;
    });
  }
}

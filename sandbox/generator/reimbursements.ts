// Reimbursement rows plus their finance AdjustmentEvent (and so their settlement line).
import type { Rng } from "../prng";
import type { DayContext } from "./day-context";
import type { Sku } from "./types";

/** Settlement amount-description per reimbursement reason (third-party naming, unverified). */
const SETTLEMENT_DESCRIPTION: Record<string, string> = {
  Lost_Warehouse: "WAREHOUSE_LOST",
  Damaged_Warehouse: "WAREHOUSE_DAMAGE",
  Lost_Inbound: "MISSING_FROM_INBOUND",
  CustomerReturn: "CUSTOMER_RETURN",
  CustomerServiceIssue: "FREE_REPLACEMENT_REFUND_ITEMS",
  Reimbursement_Reversal: "REVERSAL_REIMBURSEMENT",
};

export const reimbursementId = (rng: Rng) => `${rng.int(1, 9)}${rng.chars(9)}`;
export const caseId = (rng: Rng) => `${rng.int(1, 9)}${rng.chars(10)}`;

export interface ReimbursementInput {
  atMs: number;
  reason: string;
  sku: Sku;
  quantityCash: number;
  quantityInventory: number;
  amountPerUnitMinor: number;
  orderId?: string;
  caseId?: string;
  original?: { id: string; type: string };
}

export function emitReimbursement(ctx: DayContext, r: ReimbursementInput): string {
  const id = reimbursementId(ctx.rng);
  const sign = r.reason === "Reimbursement_Reversal" ? -1 : 1;
  const total = sign * r.amountPerUnitMinor * r.quantityCash;
  ctx.emit({
    kind: "reimbursement",
    at: r.atMs,
    row: {
      approvalMs: r.atMs,
      reimbursementId: id,
      caseId: r.caseId ?? "",
      amazonOrderId: r.orderId ?? "",
      reason: r.reason,
      skuIdx: r.sku.idx,
      condition: r.reason === "CustomerReturn" || r.reason === "CustomerServiceIssue" ? "Used - Like New" : "New",
      amountPerUnitMinor: sign * r.amountPerUnitMinor,
      amountTotalMinor: total,
      quantityCash: sign * r.quantityCash,
      quantityInventory: r.quantityInventory,
      originalReimbursementId: r.original?.id ?? "",
      originalReimbursementType: r.original?.type ?? "",
    },
  });
  if (r.quantityCash > 0) {
    // Payouts post to finances a little after approval.
    ctx.emit({
      kind: "fin",
      at: r.atMs + 3_600_000,
      ev: {
        type: "Adjustment",
        adjustmentType: sign < 0 ? "ReimbursementClawback" : "FBAInventoryReimbursement",
        settlementDescription: SETTLEMENT_DESCRIPTION[r.reason] ?? "REIMBURSEMENT",
        postedMs: r.atMs + 3_600_000,
        ...(r.orderId ? { orderId: r.orderId } : {}),
        items: [{ skuIdx: r.sku.idx, quantity: sign * r.quantityCash, perUnitMinor: sign * r.amountPerUnitMinor, totalMinor: total }],
      },
    });
  }
  return id;
}

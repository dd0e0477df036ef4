// Customer returns: the returns-report row and the ledger CustomerReturns row that should follow it.
import type { DayContext } from "./day-context";
import type { Sku } from "./types";

export const AMAZON_FAULT_DISPOSITIONS = new Set(["CARRIER_DAMAGED", "DAMAGED"]);
const REASONS = ["NOT_AS_DESCRIBED", "UNWANTED_ITEM", "DEFECTIVE", "ORDERED_WRONG_ITEM", "SWITCHEROO", "APPAREL_TOO_SMALL", "DAMAGED_BY_CARRIER"];

export function drawDisposition(ctx: DayContext): string {
  const r = ctx.rng.next();
  if (r < 0.7) return "SELLABLE";
  if (r < 0.82) return "CUSTOMER_DAMAGED";
  if (r < 0.96) return "DEFECTIVE";
  if (r < 0.98) return "CARRIER_DAMAGED";
  return "DAMAGED";
}

export const lpn = (ctx: DayContext) => `LPN${ctx.rng.chars(8, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")}`;

export interface ReturnInput {
  atMs: number;
  orderId: string;
  sku: Sku;
  quantity: number;
  fc: string;
  disposition: string;
  status: string;
  lpn: string;
  /** Where the ledger row lands; null = never restocked (R06). */
  ledgerAtMs: number | null;
}

export function emitReturn(ctx: DayContext, r: ReturnInput): void {
  ctx.emit({
    kind: "return",
    at: r.atMs,
    row: {
      returnMs: r.atMs,
      orderId: r.orderId,
      skuIdx: r.sku.idx,
      quantity: r.quantity,
      fc: r.fc,
      disposition: r.disposition,
      reason: r.disposition === "CARRIER_DAMAGED" ? "DAMAGED_BY_CARRIER" : ctx.rng.pick(REASONS),
      status: r.status,
      lpn: r.lpn,
    },
  });
  if (r.ledgerAtMs !== null) {
    ctx.emit({
      kind: "ledger",
      at: r.ledgerAtMs,
      row: {
        atMs: r.ledgerAtMs,
        skuIdx: r.sku.idx,
        eventType: "CustomerReturns",
        referenceId: r.orderId,
        quantity: r.quantity,
        fc: r.fc,
        disposition: r.disposition === "DAMAGED" ? "WAREHOUSE_DAMAGED" : r.disposition,
        reason: "",
        reconciled: null,
        unreconciled: null,
      },
    });
  }
}

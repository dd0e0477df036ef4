// Settlement periods (every 14 days) and the V2 flat-file lines a finance event turns into.
import { hash32 } from "../prng";
import type { FinEvent } from "./types";
import { DAY_MS, skuAt, type World } from "./world";

export const SETTLEMENT_PERIOD_DAYS = 14;

export interface SettlementPeriod {
  index: number;
  settlementId: string;
  startMs: number;
  endMs: number;
  depositMs: number;
}

export function settlementPeriods(w: World): SettlementPeriod[] {
  const out: SettlementPeriod[] = [];
  for (let k = 0; ; k++) {
    const startMs = w.startMs + k * SETTLEMENT_PERIOD_DAYS * DAY_MS + 8 * 3_600_000;
    const endMs = startMs + SETTLEMENT_PERIOD_DAYS * DAY_MS;
    if (endMs > w.endMs) break;
    out.push({ index: k, settlementId: String(11_000_000_000 + k * 1_000_003 + (hash32(w.key, "settlement") % 1_000)), startMs, endMs, depositMs: endMs + DAY_MS });
  }
  return out;
}

export interface SettlementLine {
  transactionType: string;
  orderId: string;
  adjustmentId: string;
  amountType: string;
  amountDescription: string;
  amountMinor: number;
  fulfillmentId: string;
  postedMs: number;
  orderItemCode: string;
  merchantAdjustmentItemId: string;
  sku: string;
  quantity: string;
}

export function settlementLines(w: World, ev: FinEvent): SettlementLine[] {
  const base = { adjustmentId: "", fulfillmentId: "", orderItemCode: "", merchantAdjustmentItemId: "", sku: "", quantity: "", orderId: "" };
  if (ev.type === "Shipment" || ev.type === "Refund") {
    const lines: SettlementLine[] = [];
    for (const item of ev.items) {
      const common = {
        ...base,
        transactionType: ev.type === "Shipment" ? "Order" : "Refund",
        orderId: ev.orderId,
        adjustmentId: item.adjustmentItemId ?? "",
        fulfillmentId: "AFN",
        postedMs: ev.postedMs,
        orderItemCode: item.orderItemId,
        merchantAdjustmentItemId: "",
        sku: skuAt(w, item.skuIdx).sku,
        quantity: ev.type === "Shipment" ? String(item.quantity) : "",
      };
      for (const c of item.charges) lines.push({ ...common, amountType: "ItemPrice", amountDescription: c.type, amountMinor: c.amountMinor });
      for (const f of item.fees) lines.push({ ...common, amountType: "ItemFees", amountDescription: f.type, amountMinor: f.amountMinor });
    }
    return lines;
  }
  if (ev.type === "Adjustment") {
    return ev.items.map((item) => ({
      ...base,
      transactionType: "other-transaction",
      orderId: ev.orderId ?? "",
      amountType: "FBA Inventory Reimbursement",
      amountDescription: ev.settlementDescription,
      amountMinor: item.totalMinor,
      postedMs: ev.postedMs,
      sku: skuAt(w, item.skuIdx).sku,
      quantity: String(item.quantity),
    }));
  }
  if (ev.type !== "ServiceFee") return [];
  return [
    {
      ...base,
      transactionType: "other-transaction",
      amountType: "other-transaction",
      amountDescription: ev.feeType === "FBAStorageFee" ? "Storage Fee" : ev.feeType === "FBARemovalFee" ? "RemovalComplete" : "DisposalComplete",
      amountMinor: ev.amountMinor,
      postedMs: ev.postedMs,
      sku: ev.skuIdx !== undefined ? skuAt(w, ev.skuIdx).sku : "",
    },
  ];
}

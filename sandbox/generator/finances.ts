// Finance events as Finances v0 returns them (PascalCase, signed decimal amounts in the model's Currency).
import type { FinEvent, FinItem, MoneyLine } from "./types";
import { CURRENCY, skuAt, type World } from "./world";

export const currency = (minor: number) => ({ CurrencyCode: CURRENCY, CurrencyAmount: minor / 100 });
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export type V0ListName = "ShipmentEventList" | "RefundEventList" | "AdjustmentEventList" | "ServiceFeeEventList";

const charges = (lines: MoneyLine[]) => lines.map((l) => ({ ChargeType: l.type, ChargeAmount: currency(l.amountMinor) }));
const fees = (lines: MoneyLine[]) => lines.map((l) => ({ FeeType: l.type, FeeAmount: currency(l.amountMinor) }));

function item(w: World, i: FinItem, adjustment: boolean) {
  const base: Record<string, unknown> = { SellerSKU: skuAt(w, i.skuIdx).sku, OrderItemId: i.orderItemId, QuantityShipped: i.quantity };
  if (adjustment) {
    if (i.adjustmentItemId) base.OrderAdjustmentItemId = i.adjustmentItemId;
    base.ItemChargeAdjustmentList = charges(i.charges);
    base.ItemFeeAdjustmentList = fees(i.fees);
  } else {
    base.ItemChargeList = charges(i.charges);
    base.ItemFeeList = fees(i.fees);
  }
  return base;
}

export function toV0(w: World, ev: FinEvent): { list: V0ListName; event: Record<string, unknown> } {
  switch (ev.type) {
    case "Shipment":
      return {
        list: "ShipmentEventList",
        event: { AmazonOrderId: ev.orderId, MarketplaceName: "Amazon.com", PostedDate: iso(ev.postedMs), ShipmentItemList: ev.items.map((i) => item(w, i, false)) },
      };
    case "Refund":
      return {
        list: "RefundEventList",
        event: { AmazonOrderId: ev.orderId, MarketplaceName: "Amazon.com", PostedDate: iso(ev.postedMs), ShipmentItemAdjustmentList: ev.items.map((i) => item(w, i, true)) },
      };
    case "Adjustment":
      return {
        list: "AdjustmentEventList",
        event: {
          AdjustmentType: ev.adjustmentType,
          PostedDate: iso(ev.postedMs),
          StoreName: "Amazon.com",
          AdjustmentAmount: currency(ev.items.reduce((a, i) => a + i.totalMinor, 0)),
          AdjustmentItemList: ev.items.map((i) => {
            const sku = skuAt(w, i.skuIdx);
            return {
              Quantity: String(i.quantity), PerUnitAmount: currency(i.perUnitMinor), TotalAmount: currency(i.totalMinor),
              SellerSKU: sku.sku, FnSKU: sku.fnsku, ProductDescription: sku.title, ASIN: sku.asin,
            };
          }),
        },
      };
    case "ServiceFee": {
      const event: Record<string, unknown> = { FeeDescription: ev.feeDescription, FeeList: [{ FeeType: ev.feeType, FeeAmount: currency(ev.amountMinor) }] };
      if (ev.skuIdx !== undefined) {
        const sku = skuAt(w, ev.skuIdx);
        Object.assign(event, { SellerSKU: sku.sku, FnSKU: sku.fnsku, ASIN: sku.asin });
      }
      return { list: "ServiceFeeEventList", event };
    }
  }
}

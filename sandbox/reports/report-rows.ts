// Rows of each report type, produced lazily from the world stream for one request window.
import { unitCubicFeet } from "../generator/fees";
import { inventoryAtEnd } from "../generator/inventory-state";
import { lineEconomics } from "../generator/orders";
import type { WorldEventKind } from "../generator/types";
import { CURRENCY, dayOf, skuAt } from "../generator/world";
import { streamWorldWithTicks, TICK } from "../generator/world-stream";
import { ledgerSummary, settlement } from "./aggregate-rows";
import { fixed, isoOffset, ledgerDateTime, money, usDate } from "./formats";
import type { ReportRow, ReportType } from "./report-columns";
import type { RowContext } from "./row-context";

/** Rows of a report; `null` is a heartbeat between generated days (see streamWorldWithTicks). */
export type Producer<T extends ReportType> = (ctx: RowContext) => Iterable<ReportRow<T> | null>;

type EventOf<K extends WorldEventKind> = Extract<import("../generator/types").WorldEvent, { kind: K }>;

/** Events of one kind in the window, with heartbeats passed through as null. */
function* eventsOf<K extends WorldEventKind>(ctx: RowContext, kind: K): Generator<EventOf<K> | null> {
  for (const ev of streamWorldWithTicks(ctx.w, { fromMs: ctx.fromMs, toMs: ctx.toMs, kinds: new Set([kind]) })) {
    if (ev === TICK) yield null;
    else if (ev.kind === kind) yield ev as EventOf<K>;
  }
}

/** One row per event of a kind (none where `toRow` gives undefined), heartbeats passed through. */
function* rowsOf<K extends WorldEventKind, R>(ctx: RowContext, kind: K, toRow: (ev: EventOf<K>) => R | undefined): Generator<R | null> {
  for (const ev of eventsOf(ctx, kind)) {
    if (!ev) {
      yield null;
      continue;
    }
    const row = toRow(ev);
    if (row !== undefined) yield row;
  }
}

const n = (x: number) => String(x);

function ledgerDetail(ctx: RowContext): Iterable<ReportRow<"GET_LEDGER_DETAIL_VIEW_DATA"> | null> {
  const only = ctx.options.eventType;
  return rowsOf(ctx, "ledger", ({ row }) => {
    if (only && row.eventType !== only) return undefined;
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      Date: usDate(row.atMs),
      FNSKU: sku.fnsku,
      ASIN: sku.asin,
      MSKU: sku.sku,
      Title: sku.title,
      "Event Type": row.eventType,
      "Reference ID": row.referenceId,
      Quantity: n(row.quantity),
      "Fulfillment Center": row.fc,
      Disposition: row.disposition,
      Reason: row.reason,
      Country: "US",
      "Reconciled Quantity": row.reconciled === null ? "" : n(row.reconciled),
      "Unreconciled Quantity": row.unreconciled === null ? "" : n(row.unreconciled),
      "Date and Time": ledgerDateTime(row.atMs),
    };
  });
}

function reimbursements(ctx: RowContext): Iterable<ReportRow<"GET_FBA_REIMBURSEMENTS_DATA"> | null> {
  return rowsOf(ctx, "reimbursement", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      "approval-date": isoOffset(row.approvalMs), "reimbursement-id": row.reimbursementId, "case-id": row.caseId,
      "amazon-order-id": row.amazonOrderId, reason: row.reason, sku: sku.sku, fnsku: sku.fnsku, asin: sku.asin,
      "product-name": sku.title, condition: row.condition, "currency-unit": CURRENCY,
      "amount-per-unit": money(row.amountPerUnitMinor), "amount-total": money(row.amountTotalMinor),
      "quantity-reimbursed-cash": n(row.quantityCash), "quantity-reimbursed-inventory": n(row.quantityInventory),
      "quantity-reimbursed-total": n(row.quantityCash + row.quantityInventory),
      "original-reimbursement-id": row.originalReimbursementId, "original-reimbursement-type": row.originalReimbursementType,
    };
  });
}

function customerReturns(ctx: RowContext): Iterable<ReportRow<"GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"> | null> {
  return rowsOf(ctx, "return", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      "return-date": isoOffset(row.returnMs), "order-id": row.orderId, sku: sku.sku, asin: sku.asin, fnsku: sku.fnsku,
      "product-name": sku.title, quantity: n(row.quantity), "fulfillment-center-id": row.fc,
      "detailed-disposition": row.disposition, reason: row.reason, status: row.status, "license-plate-number": row.lpn, "customer-comments": "",
    };
  });
}

function* feePreview(ctx: RowContext): Iterable<ReportRow<"GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA"> | null> {
  const { w } = ctx;
  const today = dayOf(w, w.endMs);
  for (const sku of w.catalog) {
    const ep = sku.feeEpisode;
    const wrong = ep && today >= ep.fromDay && today <= ep.toDay;
    const tier = wrong && ep ? ep.wrongTier : sku.sizeTier;
    const fee = wrong && ep ? sku.fbaFeeMinor + ep.excessMinor : sku.fbaFeeMinor;
    const econ = lineEconomics(sku, { orderItemId: "", skuIdx: sku.idx, quantity: 1, principalMinor: sku.priceMinor, taxMinor: 0 }, today);
    const d = wrong ? { ...sku.dims, longest: sku.dims.longest * 1.3, weightLb: sku.dims.weightLb * 1.25 } : sku.dims;
    yield {
      sku: sku.sku, fnsku: sku.fnsku, asin: sku.asin, "product-name": sku.title, "product-group": sku.category, brand: w.seller.name,
      "fulfilled-by": "AMAZON_NA", "your-price": money(sku.priceMinor), "sales-price": money(sku.priceMinor),
      "longest-side": fixed(d.longest), "median-side": fixed(d.median), "shortest-side": fixed(d.shortest),
      "length-and-girth": fixed(d.longest + 2 * (d.median + d.shortest)), "unit-of-dimension": "inches",
      "item-package-weight": fixed(d.weightLb), "unit-of-weight": "pounds", "product-size-tier": tier, currency: CURRENCY,
      "estimated-fee-total": money(econ.commission + fee), "estimated-referral-fee-per-unit": money(econ.commission),
      "estimated-variable-closing-fee": "0.00", "estimated-order-handling-fee-per-order": "0.00",
      "estimated-pick-pack-fee-per-unit": money(fee), "estimated-weight-handling-fee-per-unit": "0.00",
      "expected-fulfillment-fee-per-unit": money(fee), "estimated-future-fee": money(econ.commission + fee),
      "estimated-future-order-handling-fee-per-order": "0.00", "estimated-future-pick-pack-fee-per-unit": money(fee),
      "estimated-future-weight-handling-fee-per-unit": "0.00", "expected-future-fulfillment-fee-per-unit": money(fee),
      "current-fee-category": tier, "future-fee-category": tier, "future-fee-category-effective-date": "",
    };
  }
}

function* allOrders(ctx: RowContext): Iterable<ReportRow<"GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"> | null> {
  const { w } = ctx;
  for (const ev of eventsOf(ctx, "order")) {
    if (!ev) {
      yield null;
      continue;
    }
    const order = ev.order;
    const shipped = order.status === "Shipped" && order.shipMs !== null && order.shipMs <= w.endMs;
    const status = order.status === "Canceled" ? "Cancelled" : shipped ? "Shipped" : "Pending";
    for (const item of order.items) {
      const sku = skuAt(w, item.skuIdx);
      yield {
        "amazon-order-id": order.amazonOrderId, "merchant-order-id": "", "purchase-date": isoOffset(order.purchaseMs),
        "last-updated-date": isoOffset(Math.min(order.lastUpdateMs, w.endMs)), "order-status": status,
        "fulfillment-channel": "Amazon", "sales-channel": "Amazon.com", "order-channel": "", "ship-service-level": "Expedited",
        "product-name": sku.title, sku: sku.sku, asin: sku.asin, "item-status": status === "Cancelled" ? "Cancelled" : shipped ? "Shipped" : "Unshipped",
        quantity: n(item.quantity), currency: CURRENCY, "item-price": money(item.principalMinor), "item-tax": money(item.taxMinor),
        "shipping-price": "0.00", "shipping-tax": "0.00", "gift-wrap-price": "", "gift-wrap-tax": "", "item-promotion-discount": "",
        "ship-promotion-discount": "", "ship-city": "SEATTLE", "ship-state": "WA", "ship-postal-code": "98109", "ship-country": "US",
        "promotion-ids": "", cpf: "", "is-business-order": "false", "purchase-order-number": "", "price-designation": "",
        "signature-confirmation-recommended": "false",
      };
    }
  }
}

function* myiUnsuppressed(ctx: RowContext): Iterable<ReportRow<"GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"> | null> {
  const inv = inventoryAtEnd(ctx.w);
  for (const sku of ctx.w.catalog) {
    const s = inv[sku.idx];
    if (!s) continue;
    const unsellable = Object.values(s.unsellable).reduce((a, b) => a + b, 0);
    const warehouse = s.fulfillable + unsellable + s.reservedCustomerOrders;
    yield {
      sku: sku.sku, fnsku: sku.fnsku, asin: sku.asin, "product-name": sku.title, condition: "New", "your-price": money(sku.priceMinor),
      "mfn-listing-exists": "No", "mfn-fulfillable-quantity": "", "afn-listing-exists": "Yes", "afn-warehouse-quantity": n(warehouse),
      "afn-fulfillable-quantity": n(s.fulfillable), "afn-unsellable-quantity": n(unsellable), "afn-reserved-quantity": n(s.reservedCustomerOrders),
      "afn-total-quantity": n(warehouse + s.inboundWorking + s.inboundShipped + s.inboundReceiving),
      "per-unit-volume": fixed(unitCubicFeet(sku.dims)), "afn-inbound-working-quantity": n(s.inboundWorking),
      "afn-inbound-shipped-quantity": n(s.inboundShipped), "afn-inbound-receiving-quantity": n(s.inboundReceiving),
      "afn-researching-quantity": n(s.researching), "afn-reserved-future-supply": "0", "afn-future-supply-buyable": "0",
    };
  }
}

function removalOrders(ctx: RowContext): Iterable<ReportRow<"GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA"> | null> {
  return rowsOf(ctx, "removalOrder", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      "request-date": isoOffset(row.requestMs), "order-id": row.orderId, "order-type": row.orderType, "service-speed": "Standard",
      "order-status": row.status, "last-updated-date": isoOffset(row.lastUpdatedMs), sku: sku.sku, fnsku: sku.fnsku,
      disposition: row.disposition === "SELLABLE" ? "Sellable" : "Unsellable", "requested-quantity": n(row.requested),
      "cancelled-quantity": n(row.cancelled), "disposed-quantity": n(row.disposed), "shipped-quantity": n(row.shipped),
      "in-process-quantity": n(row.inProcess), "removal-fee": money(row.removalFeeMinor), currency: CURRENCY,
    };
  });
}

function removalShipments(ctx: RowContext): Iterable<ReportRow<"GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA"> | null> {
  return rowsOf(ctx, "removalShipment", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      "request-date": isoOffset(row.requestMs), "order-id": row.orderId, "shipment-date": isoOffset(row.shipmentMs), sku: sku.sku,
      fnsku: sku.fnsku, disposition: row.disposition === "SELLABLE" ? "Sellable" : "Unsellable", "shipped-quantity": n(row.shipped),
      carrier: row.carrier, "tracking-number": row.tracking, "removal-order-type": "Return",
    };
  });
}

function customerShipmentSales(ctx: RowContext): Iterable<ReportRow<"GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA"> | null> {
  return rowsOf(ctx, "sale", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      "shipment-date": isoOffset(row.shipmentMs), sku: sku.sku, fnsku: sku.fnsku, asin: sku.asin, "fulfillment-center-id": row.fc,
      quantity: n(row.quantity), "amazon-order-id": row.orderId, currency: CURRENCY, "item-price-per-unit": money(row.pricePerUnitMinor),
      "shipping-price": "0.00", "gift-wrap-price": "0.00", "ship-city": "SEATTLE", "ship-state": "WA", "ship-postal-code": "98109",
    };
  });
}

function replacements(ctx: RowContext): Iterable<ReportRow<"GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA"> | null> {
  return rowsOf(ctx, "replacement", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    return {
      "shipment-date": isoOffset(row.shipmentMs), sku: sku.sku, asin: sku.asin, "fulfillment-center-id": row.fc,
      "original-fulfillment-center-id": row.originalFc, quantity: n(row.quantity), "replacement-reason-code": row.reasonCode,
      "replacement-amazon-order-id": row.replacementOrderId, "original-amazon-order-id": row.originalOrderId,
    };
  });
}

function storageFees(ctx: RowContext): Iterable<ReportRow<"GET_FBA_STORAGE_FEE_CHARGES_DATA"> | null> {
  return rowsOf(ctx, "storageFee", ({ row }) => {
    const sku = skuAt(ctx.w, row.skuIdx);
    const vol = unitCubicFeet(sku.dims);
    const peak = new Date(row.monthStartMs).getUTCMonth() >= 9;
    return {
      asin: sku.asin, fnsku: sku.fnsku, product_name: sku.title, fulfillment_center: row.fc, country_code: "US",
      longest_side: fixed(sku.dims.longest), median_side: fixed(sku.dims.median), shortest_side: fixed(sku.dims.shortest),
      measurement_units: "inches", weight: fixed(sku.dims.weightLb), weight_units: "pounds", item_volume: fixed(vol, 4),
      volume_units: "cubic feet", product_size_tier: sku.sizeTier, average_quantity_on_hand: n(row.averageQuantity),
      average_quantity_pending_removal: "0", estimated_total_item_volume: fixed(vol * row.averageQuantity, 4),
      month_of_charge: new Date(row.monthStartMs).toISOString().slice(0, 7), storage_utilization_ratio: "",
      storage_utilization_ratio_units: "", base_rate: peak ? "2.40" : "0.87", utilization_surcharge_rate: "0.00",
      currency: CURRENCY, estimated_monthly_storage_fee: money(row.feeMinor),
    };
  });
}

export const ROW_PRODUCERS: { [T in ReportType]: Producer<T> } = {
  GET_LEDGER_DETAIL_VIEW_DATA: ledgerDetail,
  GET_LEDGER_SUMMARY_VIEW_DATA: ledgerSummary,
  GET_FBA_REIMBURSEMENTS_DATA: reimbursements,
  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: customerReturns,
  GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: feePreview,
  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: allOrders,
  GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2: settlement,
  GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA: myiUnsuppressed,
  GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: removalOrders,
  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: removalShipments,
  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA: customerShipmentSales,
  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: replacements,
  GET_FBA_STORAGE_FEE_CHARGES_DATA: storageFees,
};

// Customer orders and everything that follows one: shipment, sale, finance events, refunds, returns,
// replacements and the planted order-side anomalies (R04, R05, R06, R07, R08b, R09, R10, R11, R12, R13).
import { hash32, Rng } from "../prng";
import { emitTruth, forcedOnce, HOUR_MS, type DayContext } from "./day-context";
import { emitReimbursement } from "./reimbursements";
import { AMAZON_FAULT_DISPOSITIONS, drawDisposition, emitReturn, lpn } from "./returns";
import type { FinItem, Order, OrderItem, Sku } from "./types";
import { DAY_MS, dayStart, FULFILLMENT_CENTERS, pickSkuByDemand, seasonalFactor, skuAt, type World } from "./world";

const RETURN_RATE: Record<Sku["category"], number> = { hard: 0.06, apparel: 0.25, electronics: 0.12, consumable: 0.03 };
const REPLACEMENT_REASONS = ["DAMAGED_IN_TRANSIT", "DEFECTIVE", "LOST_IN_TRANSIT", "WRONG_ITEM"];

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Amazon-style 3-7-7 id that also encodes (day, sequence) so a single order can be regenerated. */
const prefixes = new WeakMap<World, number>();

export function orderIdFor(w: World, day: number, seq: number, rng: Rng): string {
  let head = prefixes.get(w);
  if (head === undefined) prefixes.set(w, (head = 111 + (hash32(w.key, "order-prefix") % 800)));
  return `${head}-${pad(day, 4)}${rng.chars(3)}-${pad(seq, 5)}${rng.chars(2)}`;
}

export function parseOrderId(id: string): { day: number; seq: number } | null {
  const m = /^\d{3}-(\d{4})\d{3}-(\d{5})\d{2}$/.exec(id);
  if (!m) return null;
  return { day: Number(m[1]), seq: Number(m[2]) };
}

/** Fee money for one order line as Amazon charges it (the R11/R13 errors included). */
export function lineEconomics(sku: Sku, item: OrderItem, day: number) {
  const commission = Math.round((item.principalMinor * sku.chargedReferralBp) / 10_000);
  const trueCommission = Math.round((item.principalMinor * sku.referralBp) / 10_000);
  const ep = sku.feeEpisode;
  const excessPerUnit = ep && day >= ep.fromDay && day <= ep.toDay ? ep.excessMinor : 0;
  const fbaFee = (sku.fbaFeeMinor + excessPerUnit) * item.quantity;
  const refundCommission = Math.min(Math.round(commission * 0.2), 500 * item.quantity);
  return { commission, trueCommission, fbaFee, excessPerUnit, refundCommission };
}

/** Refund debited minus referral credited back: Amazon's "sale price minus fees" basis after an order. */
export function unitValuePostLine(item: OrderItem, econ: { commission: number; refundCommission: number }): number {
  return item.principalMinor + item.taxMinor - (econ.commission - econ.refundCommission);
}

function shipmentItem(sku: Sku, item: OrderItem, econ: ReturnType<typeof lineEconomics>, quantity = item.quantity): FinItem {
  const share = quantity / item.quantity;
  return {
    skuIdx: sku.idx,
    orderItemId: item.orderItemId,
    quantity,
    charges: [
      { type: "Principal", amountMinor: Math.round(item.principalMinor * share) },
      { type: "Tax", amountMinor: Math.round(item.taxMinor * share) },
    ],
    fees: [
      { type: "Commission", amountMinor: -Math.round(econ.commission * share) },
      { type: "FBAPerUnitFulfillmentFee", amountMinor: -Math.round(econ.fbaFee * share) },
    ],
  };
}

function refundItem(ctx: DayContext, sku: Sku, item: OrderItem, econ: ReturnType<typeof lineEconomics>): FinItem {
  return {
    skuIdx: sku.idx,
    orderItemId: item.orderItemId,
    adjustmentItemId: `${ctx.rng.int(1, 9)}${ctx.rng.chars(13)}`,
    quantity: item.quantity,
    charges: [
      { type: "Principal", amountMinor: -item.principalMinor },
      { type: "Tax", amountMinor: -item.taxMinor },
    ],
    fees: [
      { type: "Commission", amountMinor: econ.commission },
      { type: "RefundCommission", amountMinor: -econ.refundCommission },
    ],
  };
}

interface DrawnOrder {
  order: Order;
  rng: Rng;
}

/** The orders of one day, without their consequences (used by getOrderItems to regenerate one order). */
export function drawOrders(w: World, day: number): DrawnOrder[] {
  const rng = new Rng(w.key, "orders", day);
  const count = rng.poisson(w.size.ordersPerDay * seasonalFactor(w, day));
  const out: DrawnOrder[] = [];
  for (let seq = 0; seq < count; seq++) {
    const amazonOrderId = orderIdFor(w, day, seq, rng);
    const purchaseMs = dayStart(w, day) + rng.int(0, DAY_MS - 1);
    const items: OrderItem[] = [];
    const nItems = rng.chance(0.1) ? 2 : 1;
    for (let i = 0; i < nItems; i++) {
      const sku = pickSkuByDemand(w, rng);
      const quantity = rng.chance(0.12) ? (rng.chance(0.2) ? 3 : 2) : 1;
      const principalMinor = sku.priceMinor * quantity;
      items.push({
        orderItemId: `${pad(day, 4)}${pad(seq, 5)}${i}${rng.chars(4)}`,
        skuIdx: sku.idx,
        quantity,
        principalMinor,
        taxMinor: Math.round(principalMinor * 0.0725),
      });
    }
    const canceled = rng.chance(0.02);
    const shipMs = canceled ? null : purchaseMs + rng.int(2, 36) * HOUR_MS;
    out.push({
      order: {
        amazonOrderId,
        purchaseMs,
        lastUpdateMs: shipMs ?? purchaseMs + HOUR_MS,
        status: canceled ? "Canceled" : "Shipped",
        fc: rng.pick(FULFILLMENT_CENTERS),
        shipMs,
        items,
      },
      // Each order's fate draws from its own stream so drawOrders stays cheap and stable.
      rng: Rng.fromInt(rng.int(0, 0xffffffff)),
    });
  }
  return out;
}

export function generateOrdersDay(ctx: DayContext): void {
  const { w } = ctx;
  const forced = new Set<string>();
  for (const { order, rng } of drawOrders(w, ctx.day)) {
    ctx.emit({ kind: "order", at: order.purchaseMs, order });
    if (order.shipMs === null) continue;
    const c: DayContext = { ...ctx, rng };
    emitShipment(c, order, order.shipMs, forced);
    for (const item of order.items) emitLineFate(c, order, order.shipMs, item, forced);
  }
}

function emitShipment(ctx: DayContext, order: Order, shipMs: number, forced: Set<string>): void {
  const { w, rng } = ctx;
  const postedMs = shipMs + rng.int(1, 8) * HOUR_MS;
  const items: FinItem[] = [];
  for (const item of order.items) {
    const sku = skuAt(w, item.skuIdx);
    const econ = lineEconomics(sku, item, ctx.day);
    ctx.emit({
      kind: "ledger",
      at: shipMs,
      row: { atMs: shipMs, skuIdx: sku.idx, eventType: "Shipments", referenceId: order.amazonOrderId, quantity: -item.quantity, fc: order.fc, disposition: "SELLABLE", reason: "", reconciled: null, unreconciled: null },
    });
    ctx.emit({
      kind: "sale",
      at: shipMs,
      row: { shipmentMs: shipMs, skuIdx: sku.idx, fc: order.fc, quantity: item.quantity, orderId: order.amazonOrderId, pricePerUnitMinor: sku.priceMinor },
    });
    const keys = { sku: sku.sku, fnsku: sku.fnsku, asin: sku.asin };
    if (econ.excessPerUnit > 0 && sku.feeEpisode) {
      emitTruth(ctx, {
        rule: "R11", variant: "wrong-size-tier", keys: { ...keys, episodeStart: String(sku.feeEpisode.fromDay) }, quantity: item.quantity,
        valueMinor: econ.excessPerUnit * item.quantity, anchorMs: postedMs, opensAfterDays: 0, closesAfterDays: 90,
      });
    }
    if (econ.commission > econ.trueCommission) {
      emitTruth(ctx, {
        rule: "R13", variant: "wrong-category-rate", keys, quantity: item.quantity,
        valueMinor: econ.commission - econ.trueCommission, anchorMs: postedMs, opensAfterDays: 0, closesAfterDays: 90,
      });
    }
    // Look-alike for R12: a multi-unit line shipped in two parts (quantities still add up).
    if (item.quantity >= 2 && rng.chance(0.1)) {
      const secondMs = postedMs + rng.int(4, 30) * HOUR_MS;
      ctx.emit({ kind: "fin", at: postedMs, ev: { type: "Shipment", orderId: order.amazonOrderId, postedMs, items: [shipmentItem(sku, item, econ, 1)] } });
      ctx.emit({ kind: "fin", at: secondMs, ev: { type: "Shipment", orderId: order.amazonOrderId, postedMs: secondMs, items: [shipmentItem(sku, item, econ, item.quantity - 1)] } });
      emitTruth(ctx, {
        rule: "R12", kind: "control", variant: "split-shipment", keys: { orderId: order.amazonOrderId, orderItemId: item.orderItemId }, quantity: item.quantity,
        valueMinor: 0, anchorMs: postedMs, opensAfterDays: 0, closesAfterDays: 90,
      });
    } else {
      items.push(shipmentItem(sku, item, econ));
    }
    // R12: the same fulfillment fee posted twice within 3 days.
    if (forcedOnce(ctx, "R12", forced) || rng.chance(0.0003)) {
      const dupMs = postedMs + rng.int(2, 60) * HOUR_MS;
      ctx.emit({
        kind: "fin",
        at: dupMs,
        ev: {
          type: "Shipment", orderId: order.amazonOrderId, postedMs: dupMs,
          items: [{ skuIdx: sku.idx, orderItemId: item.orderItemId, quantity: item.quantity, charges: [], fees: [{ type: "FBAPerUnitFulfillmentFee", amountMinor: -econ.fbaFee }] }],
        },
      });
      emitTruth(ctx, {
        rule: "R12", variant: "duplicate-fee", keys: { orderId: order.amazonOrderId, orderItemId: item.orderItemId, feeType: "FBAPerUnitFulfillmentFee" },
        quantity: item.quantity, valueMinor: econ.fbaFee, anchorMs: dupMs, opensAfterDays: 0, closesAfterDays: 90,
      });
    }
  }
  if (items.length > 0) ctx.emit({ kind: "fin", at: postedMs, ev: { type: "Shipment", orderId: order.amazonOrderId, postedMs, items } });
}

/**
 * Amazon pays these at day 60-75, inside the claim window; when that lies after now the data looks
 * exactly like a planted claim, so the ground truth lists it as a control a detector may still see.
 */
function emitAutoPayPending(ctx: DayContext, rule: "R04" | "R07", keys: Record<string, string>, quantity: number, anchorMs: number, paidMs: number): void {
  emitTruth(ctx, {
    rule, kind: "control", variant: "auto-reimbursement-pending", keys, quantity, valueMinor: 0, anchorMs, opensAfterDays: 60, closesAfterDays: 120,
    note: `Amazon reimburses this automatically on ${new Date(paidMs).toISOString().slice(0, 10)}, after the world's end`,
  });
}

function emitRefund(ctx: DayContext, order: Order, sku: Sku, item: OrderItem, econ: ReturnType<typeof lineEconomics>, atMs: number): void {
  ctx.emit({ kind: "fin", at: atMs, ev: { type: "Refund", orderId: order.amazonOrderId, postedMs: atMs, items: [refundItem(ctx, sku, item, econ)] } });
}

function emitLineFate(ctx: DayContext, order: Order, shipMs: number, item: OrderItem, forced: Set<string>): void {
  const { w, rng } = ctx;
  const sku = skuAt(w, item.skuIdx);
  const econ = lineEconomics(sku, item, ctx.day);
  const valuePost = unitValuePostLine(item, econ);
  const keys = { orderId: order.amazonOrderId, sku: sku.sku, fnsku: sku.fnsku };
  const forceR04 = forcedOnce(ctx, "R04", forced);
  const forceR05 = !forceR04 && forcedOnce(ctx, "R05", forced);
  const forceR06 = !forceR04 && !forceR05 && forcedOnce(ctx, "R06", forced);
  const forceR07 = !forceR04 && !forceR05 && !forceR06 && forcedOnce(ctx, "R07", forced);
  const forceR09 = !forceR07 && forcedOnce(ctx, "R09", forced);
  const forceR10 = !forceR04 && !forceR05 && !forceR06 && !forceR07 && !forceR09 && forcedOnce(ctx, "R10", forced);
  const anyForced = forceR04 || forceR05 || forceR06 || forceR07 || forceR09 || forceR10;
  if (!anyForced && !rng.chance(RETURN_RATE[sku.category])) return;

  // Replacement instead of refund (R07).
  if (forceR07 || (!anyForced && rng.chance(0.06))) {
    const replMs = shipMs + rng.int(5, 25) * DAY_MS + rng.int(0, 23) * HOUR_MS;
    const replacementOrderId = orderIdFor(w, ctx.day, 90_000 + rng.int(0, 9_999), rng);
    ctx.emit({
      kind: "replacement", at: replMs,
      row: { shipmentMs: replMs, skuIdx: sku.idx, fc: rng.pick(FULFILLMENT_CENTERS), originalFc: order.fc, quantity: item.quantity, reasonCode: rng.pick(REPLACEMENT_REASONS), replacementOrderId, originalOrderId: order.amazonOrderId },
    });
    ctx.emit({ kind: "ledger", at: replMs, row: { atMs: replMs, skuIdx: sku.idx, eventType: "Shipments", referenceId: replacementOrderId, quantity: -item.quantity, fc: order.fc, disposition: "SELLABLE", reason: "", reconciled: null, unreconciled: null } });
    const returned = !forceR07 && rng.chance(0.9);
    const rKeys = { originalOrderId: order.amazonOrderId, sku: sku.sku, fnsku: sku.fnsku };
    if (returned) {
      const retMs = replMs + rng.int(3, 40) * DAY_MS;
      emitReturn(ctx, { atMs: retMs, orderId: order.amazonOrderId, sku, quantity: item.quantity, fc: order.fc, disposition: "SELLABLE", status: "Unit returned to inventory", lpn: lpn(ctx), ledgerAtMs: retMs + rng.int(1, 20) * HOUR_MS });
      if (retMs - replMs > 35 * DAY_MS) {
        emitTruth(ctx, { rule: "R07", kind: "control", variant: "original-returned-late", keys: rKeys, quantity: item.quantity, valueMinor: 0, anchorMs: replMs, opensAfterDays: 60, closesAfterDays: 120 });
      }
    } else if (!forceR07 && rng.chance(0.8)) {
      const paidMs = replMs + rng.int(60, 75) * DAY_MS;
      emitReimbursement(ctx, { atMs: paidMs, reason: "CustomerServiceIssue", sku, quantityCash: item.quantity, quantityInventory: 0, amountPerUnitMinor: Math.round(valuePost / item.quantity), orderId: order.amazonOrderId });
      if (paidMs > w.endMs) emitAutoPayPending(ctx, "R07", rKeys, item.quantity, replMs, paidMs);
    } else {
      emitTruth(ctx, { rule: "R07", variant: "original-not-returned", keys: rKeys, quantity: item.quantity, valueMinor: valuePost, anchorMs: replMs, opensAfterDays: 60, closesAfterDays: 120 });
    }
    return;
  }

  const neverReturned = forceR04 || (!anyForced && rng.chance(0.08));
  if (neverReturned) {
    const refundMs = shipMs + rng.int(3, 30) * DAY_MS + rng.int(0, 23) * HOUR_MS;
    emitRefund(ctx, order, sku, item, econ, refundMs);
    if (!forceR04 && rng.chance(0.1)) {
      // Look-alike: the unit comes back on day 50, before the claim window opens.
      const retMs = refundMs + 50 * DAY_MS;
      emitReturn(ctx, { atMs: retMs, orderId: order.amazonOrderId, sku, quantity: item.quantity, fc: order.fc, disposition: "SELLABLE", status: "Unit returned to inventory", lpn: lpn(ctx), ledgerAtMs: retMs + 6 * HOUR_MS });
      emitTruth(ctx, { rule: "R04", kind: "control", variant: "returned-day-50", keys, quantity: item.quantity, valueMinor: 0, anchorMs: refundMs, opensAfterDays: 60, closesAfterDays: 120 });
    } else if (!forceR04 && rng.chance(0.85)) {
      const paidMs = refundMs + rng.int(60, 70) * DAY_MS;
      const short = rng.chance(0.05);
      const factor = short ? 0.6 + rng.next() * 0.2 : 1;
      const perUnit = Math.round((valuePost * factor) / item.quantity);
      const id = emitReimbursement(ctx, { atMs: paidMs, reason: "CustomerReturn", sku, quantityCash: item.quantity, quantityInventory: 0, amountPerUnitMinor: perUnit, orderId: order.amazonOrderId });
      if (paidMs > w.endMs) emitAutoPayPending(ctx, "R04", keys, item.quantity, refundMs, paidMs);
      if (short) {
        emitTruth(ctx, { rule: "R08", variant: "post-order-short", keys: { reimbursementId: id, orderId: order.amazonOrderId, fnsku: sku.fnsku }, quantity: item.quantity, valueMinor: valuePost - perUnit * item.quantity, anchorMs: paidMs, opensAfterDays: 0, closesAfterDays: 60 });
      }
    } else {
      emitTruth(ctx, { rule: "R04", variant: "refunded-not-returned", keys, quantity: item.quantity, valueMinor: valuePost, anchorMs: refundMs, opensAfterDays: 60, closesAfterDays: 120 });
    }
    return;
  }

  // Returned units: the refund follows the return closely.
  const retMs = shipMs + rng.int(5, 35) * DAY_MS + rng.int(0, 23) * HOUR_MS;
  const refundMs = retMs + rng.int(2, 40) * HOUR_MS;
  emitRefund(ctx, order, sku, item, econ, refundMs);
  if (forceR09 || rng.chance(0.002)) {
    const dupMs = refundMs + rng.int(12, 60) * HOUR_MS;
    emitRefund(ctx, order, sku, item, econ, dupMs);
    emitTruth(ctx, { rule: "R09", variant: "double-refund", keys: { orderId: order.amazonOrderId, orderItemId: item.orderItemId, sku: sku.sku }, quantity: item.quantity, valueMinor: valuePost, anchorMs: dupMs, opensAfterDays: 0, closesAfterDays: 120 });
  }
  const disposition = forceR05 ? "CARRIER_DAMAGED" : forceR06 || forceR10 ? "SELLABLE" : drawDisposition(ctx);
  const wrongItem = forceR10 || (!forceR05 && !forceR06 && rng.chance(0.003));
  if (wrongItem) {
    const other = sku.siblingIdx !== undefined && rng.chance(0.5) ? skuAt(w, sku.siblingIdx) : skuAt(w, (sku.idx + 1 + rng.int(0, w.catalog.length - 2)) % w.catalog.length);
    emitReturn(ctx, { atMs: retMs, orderId: order.amazonOrderId, sku: other, quantity: item.quantity, fc: order.fc, disposition: "SELLABLE", status: "Unit returned to inventory", lpn: lpn(ctx), ledgerAtMs: retMs + 4 * HOUR_MS });
    emitTruth(ctx, { rule: "R10", variant: "wrong-item-returned", keys: { ...keys, returnedFnsku: other.fnsku }, quantity: item.quantity, valueMinor: valuePost, anchorMs: refundMs, opensAfterDays: 60, closesAfterDays: 120 });
    return;
  }
  const returnLpn = lpn(ctx);
  if (AMAZON_FAULT_DISPOSITIONS.has(disposition)) {
    const paid = !forceR05 && rng.chance(0.75);
    emitReturn(ctx, { atMs: retMs, orderId: order.amazonOrderId, sku, quantity: item.quantity, fc: order.fc, disposition, status: paid ? "Reimbursed" : "Unit returned to inventory", lpn: returnLpn, ledgerAtMs: retMs + 3 * HOUR_MS });
    if (paid) {
      emitReimbursement(ctx, { atMs: retMs + rng.int(10, 25) * DAY_MS, reason: "CustomerReturn", sku, quantityCash: item.quantity, quantityInventory: 0, amountPerUnitMinor: Math.round(valuePost / item.quantity), orderId: order.amazonOrderId });
    } else {
      emitTruth(ctx, { rule: "R05", variant: "amazon-damaged-return", keys: { orderId: order.amazonOrderId, lpn: returnLpn, fnsku: sku.fnsku }, quantity: item.quantity, valueMinor: valuePost, anchorMs: refundMs, opensAfterDays: 60, closesAfterDays: 120 });
    }
    return;
  }
  if (disposition === "CUSTOMER_DAMAGED" || disposition === "DEFECTIVE") {
    emitReturn(ctx, { atMs: retMs, orderId: order.amazonOrderId, sku, quantity: item.quantity, fc: order.fc, disposition, status: "Unit returned to inventory", lpn: returnLpn, ledgerAtMs: retMs + 3 * HOUR_MS });
    if (rng.chance(0.05)) {
      emitTruth(ctx, { rule: "R05", kind: "control", variant: "customer-fault-return", keys: { orderId: order.amazonOrderId, lpn: returnLpn, fnsku: sku.fnsku }, quantity: item.quantity, valueMinor: 0, anchorMs: refundMs, opensAfterDays: 60, closesAfterDays: 120 });
    }
    return;
  }
  // Sellable return: normally restocked within a day; 0.7% never restocked (R06); some 10 days late (control).
  const notRestocked = forceR06 || rng.chance(0.007);
  const late = !notRestocked && rng.chance(0.01);
  emitReturn(ctx, {
    atMs: retMs, orderId: order.amazonOrderId, sku, quantity: item.quantity, fc: order.fc, disposition, status: "Unit returned to inventory", lpn: returnLpn,
    ledgerAtMs: notRestocked ? null : retMs + (late ? 10 * DAY_MS : rng.int(1, 20) * HOUR_MS),
  });
  if (notRestocked || late) {
    emitTruth(ctx, {
      rule: "R06", kind: late ? "control" : "claim", variant: late ? "restocked-10-days-late" : "not-restocked",
      keys: { fnsku: sku.fnsku, lpn: returnLpn, orderId: order.amazonOrderId }, quantity: item.quantity,
      valueMinor: sku.costMinor * item.quantity, anchorMs: retMs, opensAfterDays: 14, closesAfterDays: 60,
    });
  }
}

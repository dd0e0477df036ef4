// Removal (return-to-seller) and disposal orders with their shipments and ledger rows.
// Planted: R14 (shipped units missing from the shipment detail; lost in transit) with a late-delivery look-alike;
// authorized disposals are the R15 look-alikes.
import { emitTruth, forcedOnce, HOUR_MS, type DayContext } from "./day-context";
import { ledgerRow } from "./ledger";
import { DAY_MS, dayStart, expectedDailyUnits, FULFILLMENT_CENTERS, skuAt } from "./world";

const CARRIERS = ["UPS", "USPS", "FEDEX"];
const FEE_PER_UNIT = { Return: 97, Disposal: 52 } as const;

function emitRemovalOrder(ctx: DayContext, orderType: "Return" | "Disposal", forceR14: boolean): void {
  const { w, rng } = ctx;
  const sku = skuAt(w, rng.int(0, w.catalog.length - 1));
  const requestMs = dayStart(w, ctx.day) + rng.int(6, 20) * HOUR_MS;
  const orderId = rng.chars(10, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789");
  // Disposals of unsellable stock are small: returns and damage only put a few units there.
  const unsellableDisposal = orderType === "Disposal" && rng.chance(0.4);
  // Sellable removals take 5-20 days of the SKU's sales (never more than stock can bear).
  const perDay = expectedDailyUnits(w, sku, ctx.day);
  const requested = unsellableDisposal ? rng.int(1, 2) : Math.max(3, Math.min(40, Math.round(perDay * (5 + rng.next() * 15))));
  const cancelled = requested > 4 && rng.chance(0.08) ? rng.int(1, Math.min(5, requested - 3)) : 0;
  const toMove = requested - cancelled;
  const doneMs = requestMs + rng.int(3, 12) * DAY_MS;
  const fc = rng.pick(FULFILLMENT_CENTERS);
  const disposition = unsellableDisposal ? rng.pick(["DEFECTIVE", "CUSTOMER_DAMAGED"]) : "SELLABLE";
  const done = doneMs <= w.endMs;
  let shipped = 0;
  let disposed = 0;
  if (orderType === "Disposal") {
    disposed = done ? toMove : 0;
    ctx.emit({ kind: "ledger", at: doneMs, row: ledgerRow({ atMs: doneMs, skuIdx: sku.idx, eventType: "Adjustments", referenceId: orderId, quantity: -toMove, fc, disposition, reason: "D" }) });
    if (rng.chance(0.2)) {
      emitTruth(ctx, { rule: "R15", kind: "control", variant: "disposal-with-order", keys: { fnsku: sku.fnsku, referenceId: orderId }, quantity: toMove, valueMinor: 0, anchorMs: doneMs, opensAfterDays: 0, closesAfterDays: 60 });
    }
  } else {
    shipped = done ? toMove : 0;
    // One or two cartons; R14b: some shipped units never appear in the shipment detail.
    const missing = forceR14 || rng.chance(0.03) ? Math.min(toMove - 1, rng.int(1, 5)) : 0;
    const lostInTransit = !missing && rng.chance(0.007);
    const cartons = toMove > 10 && rng.chance(0.4) ? 2 : 1;
    let left = toMove - missing;
    for (let i = 0; i < cartons && left > 0; i++) {
      const qty = i === cartons - 1 ? left : Math.ceil(left / 2);
      left -= qty;
      const shipMs = doneMs - (cartons - 1 - i) * 6 * HOUR_MS;
      const tracking = `1Z${rng.chars(16, "0123456789ABCDEFGHJKLMNPRSTUVWXYZ")}`;
      ctx.emit({ kind: "removalShipment", at: shipMs, row: { requestMs, orderId, shipmentMs: shipMs, skuIdx: sku.idx, disposition, shipped: qty, carrier: rng.pick(CARRIERS), tracking } });
      if (lostInTransit && i === 0) {
        emitTruth(ctx, {
          rule: "R14", variant: "lost-in-transit", keys: { removalOrderId: orderId, fnsku: sku.fnsku, tracking }, quantity: qty,
          valueMinor: qty * sku.costMinor, anchorMs: shipMs, opensAfterDays: 15, closesAfterDays: 75,
          note: "not visible in SP-API data: the seller never confirmed receipt and tracking shows no delivery",
        });
      } else if (i === 0 && rng.chance(0.01)) {
        emitTruth(ctx, { rule: "R14", kind: "control", variant: "delivered-day-20", keys: { removalOrderId: orderId, fnsku: sku.fnsku, tracking }, quantity: qty, valueMinor: 0, anchorMs: shipMs, opensAfterDays: 15, closesAfterDays: 75 });
      }
    }
    ctx.emit({ kind: "ledger", at: doneMs, row: ledgerRow({ atMs: doneMs, skuIdx: sku.idx, eventType: "VendorReturns", referenceId: orderId, quantity: -toMove, fc, disposition }) });
    if (missing > 0) {
      emitTruth(ctx, {
        rule: "R14", variant: "shipped-not-in-shipment-detail", keys: { removalOrderId: orderId, fnsku: sku.fnsku }, quantity: missing,
        valueMinor: missing * sku.costMinor, anchorMs: doneMs, opensAfterDays: 15, closesAfterDays: 75,
      });
    }
  }
  const feeMinor = FEE_PER_UNIT[orderType] * toMove;
  ctx.emit({
    kind: "removalOrder",
    at: requestMs,
    row: {
      requestMs, orderId, orderType, status: done ? "Completed" : "Pending", lastUpdatedMs: done ? doneMs : requestMs, skuIdx: sku.idx, disposition,
      requested, cancelled, disposed, shipped, inProcess: done ? 0 : toMove, removalFeeMinor: feeMinor,
    },
  });
  ctx.emit({
    kind: "fin", at: doneMs,
    ev: { type: "ServiceFee", postedMs: doneMs, feeType: orderType === "Return" ? "FBARemovalFee" : "FBADisposalFee", feeDescription: `Removal order ${orderId}`, amountMinor: -feeMinor, skuIdx: sku.idx, chargeKey: orderId },
  });
}

export function generateRemovalsDay(ctx: DayContext): void {
  const { w, rng } = ctx;
  const forced = new Set<string>();
  // 1 return order per 10 SKUs and 1 disposal order per 20 SKUs per quarter (detection.md §6).
  const returns = rng.poisson(w.catalog.length / 10 / 91);
  for (let i = 0; i < returns; i++) emitRemovalOrder(ctx, "Return", false);
  if (forcedOnce(ctx, "R14", forced)) emitRemovalOrder(ctx, "Return", true);
  const disposals = rng.poisson(w.catalog.length / 20 / 91);
  for (let i = 0; i < disposals; i++) emitRemovalOrder(ctx, "Disposal", false);
}


// Warehouse-side inventory events that originate in the FC: lost (M), found (F), damaged (E + P),
// warehouse transfers and disposals without an order. Planted: R01, R02, R08c, R15, R16, R17, R18.
import { emitTruth, forcedOnce, HOUR_MS, type DayContext } from "./day-context";
import { caseId, emitReimbursement } from "./reimbursements";
import type { LedgerRow, Sku } from "./types";
import { DAY_MS, dayStart, expectedDailyUnits, FULFILLMENT_CENTERS, pickSkuByDemand, skuAt } from "./world";

export const adjustmentId = (ctx: DayContext) => `${ctx.rng.int(1, 9)}${ctx.rng.chars(10)}`;

export function ledgerRow(p: Omit<LedgerRow, "reconciled" | "unreconciled" | "reason" | "disposition"> & Partial<LedgerRow>): LedgerRow {
  return { reason: "", disposition: "SELLABLE", reconciled: null, unreconciled: null, ...p };
}

function emitLedger(ctx: DayContext, row: LedgerRow): void {
  ctx.emit({ kind: "ledger", at: row.atMs, row });
}

/** A pre-order payout (Lost_Warehouse / Damaged_Warehouse / Lost_Inbound): 15% underpaid (R08c), 3% later reversed (R16). */
export function emitPreOrderPayout(ctx: DayContext, p: { atMs: number; reason: string; sku: Sku; quantity: number }): void {
  const { rng } = ctx;
  const under = rng.chance(0.15);
  const perUnit = under ? Math.round(p.sku.costMinor * (0.5 + rng.next() * 0.3)) : p.sku.costMinor;
  const id = emitReimbursement(ctx, { atMs: p.atMs, reason: p.reason, sku: p.sku, quantityCash: p.quantity, quantityInventory: 0, amountPerUnitMinor: perUnit });
  if (under) {
    emitTruth(ctx, {
      rule: "R08", variant: "pre-order-below-cost", keys: { reimbursementId: id, fnsku: p.sku.fnsku }, quantity: p.quantity,
      valueMinor: (p.sku.costMinor - perUnit) * p.quantity, anchorMs: p.atMs, opensAfterDays: 0, closesAfterDays: 60,
    });
  }
  if (rng.chance(0.03)) emitReversal(ctx, { id, reason: p.reason, sku: p.sku, quantity: p.quantity, perUnit, paidMs: p.atMs, forced: false });
}

function emitReversal(ctx: DayContext, p: { id: string; reason: string; sku: Sku; quantity: number; perUnit: number; paidMs: number; forced: boolean }): void {
  const { rng } = ctx;
  const revMs = p.paidMs + rng.int(30, 90) * DAY_MS;
  const supported = !p.forced && rng.chance(0.85);
  const fc = rng.pick(FULFILLMENT_CENTERS);
  if (supported) {
    // The unit turned up: a found row shortly before the clawback.
    emitLedger(ctx, ledgerRow({ atMs: revMs - 3 * DAY_MS, skuIdx: p.sku.idx, eventType: "Adjustments", referenceId: adjustmentId(ctx), quantity: p.quantity, fc, reason: "F", reconciled: p.quantity, unreconciled: 0 }));
  }
  const revId = emitReimbursement(ctx, {
    atMs: revMs, reason: "Reimbursement_Reversal", sku: p.sku, quantityCash: p.quantity, quantityInventory: 0,
    amountPerUnitMinor: p.perUnit, original: { id: p.id, type: p.reason },
  });
  emitTruth(ctx, {
    rule: "R16", kind: supported ? "control" : "claim", variant: supported ? "reversal-with-found-unit" : "reversal-without-found-unit",
    keys: { reimbursementId: revId, originalReimbursementId: p.id, fnsku: p.sku.fnsku }, quantity: p.quantity,
    valueMinor: p.perUnit * p.quantity, anchorMs: revMs, opensAfterDays: 0, closesAfterDays: 60,
  });
}

function emitLoss(ctx: DayContext, forcedRule: "R01" | "R16" | "R18" | null): void {
  const { w, rng } = ctx;
  const sku = pickSkuByDemand(w, rng);
  const quantity = rng.int(1, 3);
  const fc = rng.pick(FULFILLMENT_CENTERS);
  const atMs = dayStart(w, ctx.day) + rng.int(0, DAY_MS - 1);
  const referenceId = adjustmentId(ctx);
  const keys = { fnsku: sku.fnsku, referenceId, date: new Date(atMs).toISOString().slice(0, 10) };

  // Fates (detection.md §6): 40% found, of the rest 90% auto-paid, 10% left unpaid.
  let found = 0;
  let foundOnSibling = false;
  let foundMs = Number.POSITIVE_INFINITY;
  if (!forcedRule && rng.chance(0.4)) {
    found = quantity > 1 && rng.chance(0.3) ? rng.int(1, quantity - 1) : quantity;
    foundOnSibling = sku.siblingIdx !== undefined && rng.chance(0.3);
    foundMs = atMs + rng.int(3, 40) * DAY_MS;
    const target = foundOnSibling && sku.siblingIdx !== undefined ? skuAt(w, sku.siblingIdx) : sku;
    emitLedger(ctx, ledgerRow({ atMs: foundMs, skuIdx: target.idx, eventType: "Adjustments", referenceId: adjustmentId(ctx), quantity: found, fc, reason: "F", reconciled: foundMs <= w.endMs ? found : 0, unreconciled: foundMs <= w.endMs ? 0 : found }));
    if (found === quantity) {
      emitTruth(ctx, { rule: "R01", kind: "control", variant: foundOnSibling ? "found-on-sibling-fnsku" : "found-same-fnsku", keys, quantity, valueMinor: 0, anchorMs: atMs, opensAfterDays: 14, closesAfterDays: 60 });
    }
  }
  const rest = quantity - found;
  let reconciledByNow = found > 0 && foundMs <= w.endMs ? found : 0;
  if (rest > 0) {
    const payMs = atMs + rng.int(4, 7) * DAY_MS;
    if (forcedRule === "R16") {
      const id = emitReimbursement(ctx, { atMs: payMs, reason: "Lost_Warehouse", sku, quantityCash: rest, quantityInventory: 0, amountPerUnitMinor: sku.costMinor });
      emitReversal(ctx, { id, reason: "Lost_Warehouse", sku, quantity: rest, perUnit: sku.costMinor, paidMs: payMs, forced: true });
      if (payMs <= w.endMs) reconciledByNow += rest;
    } else if (forcedRule === "R01" || forcedRule === "R18" || (forcedRule === null && rng.chance(0.1))) {
      // Unpaid. A small share has a seller case that Amazon approved but never paid (R18).
      const approvedButUnpaid = forcedRule === "R18" || (forcedRule === null && rng.chance(0.03));
      if (approvedButUnpaid) {
        const approvedMs = atMs + rng.int(15, 30) * DAY_MS;
        emitTruth(ctx, {
          rule: "R18", variant: "case-approved-not-paid", keys: { ...keys, caseId: caseId(rng) }, quantity: rest,
          valueMinor: rest * sku.costMinor, anchorMs: Math.min(approvedMs, w.endMs), opensAfterDays: 7, closesAfterDays: 365,
          note: "seller-filed case approved by Amazon, no reimbursement row; the case is listed by GET /__sandbox/sellers/{id}/cases",
        });
      } else {
        emitTruth(ctx, { rule: "R01", variant: found > 0 ? "partly-found" : "lost-unpaid", keys, quantity: rest, valueMinor: rest * sku.costMinor, anchorMs: atMs, opensAfterDays: 14, closesAfterDays: 60 });
      }
    } else if (rng.chance(0.1)) {
      // Paid in inventory: an N row instead of cash (look-alike).
      emitLedger(ctx, ledgerRow({ atMs: payMs, skuIdx: sku.idx, eventType: "Adjustments", referenceId: adjustmentId(ctx), quantity: rest, fc, reason: "N" }));
      emitReimbursement(ctx, { atMs: payMs, reason: "Lost_Warehouse", sku, quantityCash: 0, quantityInventory: rest, amountPerUnitMinor: 0 });
      emitTruth(ctx, { rule: "R01", kind: "control", variant: "paid-as-inventory", keys, quantity: rest, valueMinor: 0, anchorMs: atMs, opensAfterDays: 14, closesAfterDays: 60 });
      if (payMs <= w.endMs) reconciledByNow += rest;
    } else {
      emitPreOrderPayout(ctx, { atMs: payMs, reason: "Lost_Warehouse", sku, quantity: rest });
      if (payMs <= w.endMs) reconciledByNow += rest;
    }
  }
  // The M row as it reads today: reconciled/unreconciled move as units are found or paid.
  emitLedger(ctx, ledgerRow({ atMs, skuIdx: sku.idx, eventType: "Adjustments", referenceId, quantity: -quantity, fc, reason: "M", reconciled: reconciledByNow, unreconciled: quantity - reconciledByNow }));
}

function emitDamage(ctx: DayContext, forced: boolean): void {
  const { w, rng } = ctx;
  const sku = pickSkuByDemand(w, rng);
  const quantity = rng.int(1, 2);
  const fc = rng.pick(FULFILLMENT_CENTERS);
  const atMs = dayStart(w, ctx.day) + rng.int(0, DAY_MS - 1);
  const referenceId = adjustmentId(ctx);
  const alreadyUnsellable = !forced && rng.chance(0.2);
  const reason = alreadyUnsellable ? rng.pick(["H", "K", "U", "7"]) : "E";
  const from = { H: "CUSTOMER_DAMAGED", K: "DEFECTIVE", U: "DISTRIBUTOR_DAMAGED", "7": "EXPIRED", E: "SELLABLE" }[reason] ?? "SELLABLE";
  const keys = { fnsku: sku.fnsku, referenceId, date: new Date(atMs).toISOString().slice(0, 10), reason };
  let reconciled = 0;
  if (alreadyUnsellable) {
    emitTruth(ctx, { rule: "R02", kind: "control", variant: "already-unsellable", keys, quantity, valueMinor: 0, anchorMs: atMs, opensAfterDays: 10, closesAfterDays: 60 });
  } else if (!forced && rng.chance(0.9)) {
    const payMs = atMs + rng.int(3, 10) * DAY_MS;
    emitPreOrderPayout(ctx, { atMs: payMs, reason: "Damaged_Warehouse", sku, quantity });
    if (payMs <= w.endMs) reconciled = quantity;
  } else {
    emitTruth(ctx, { rule: "R02", variant: "damaged-unpaid", keys, quantity, valueMinor: quantity * sku.costMinor, anchorMs: atMs, opensAfterDays: 10, closesAfterDays: 60 });
  }
  emitLedger(ctx, ledgerRow({ atMs, skuIdx: sku.idx, eventType: "Adjustments", referenceId, quantity: -quantity, fc, disposition: from, reason, reconciled, unreconciled: quantity - reconciled }));
  emitLedger(ctx, ledgerRow({ atMs: atMs + 1000, skuIdx: sku.idx, eventType: "Adjustments", referenceId, quantity, fc, disposition: "WAREHOUSE_DAMAGED", reason: "P" }));
}

function emitTransfer(ctx: DayContext, forced: boolean): void {
  const { w, rng } = ctx;
  const sku = pickSkuByDemand(w, rng);
  // Amazon moves a few days of a SKU's sales at a time, so a transfer never empties the shelf.
  const quantity = Math.max(1, Math.round(expectedDailyUnits(w, sku, ctx.day) * (1 + rng.next() * 6)));
  const from = rng.pick(FULFILLMENT_CENTERS);
  const to = rng.pick(FULFILLMENT_CENTERS.filter((f) => f !== from));
  const outMs = dayStart(w, ctx.day) + rng.int(0, DAY_MS - 1);
  const referenceId = `T${ctx.rng.chars(9, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")}`;
  emitLedger(ctx, ledgerRow({ atMs: outMs, skuIdx: sku.idx, eventType: "WhseTransfers", referenceId, quantity: -quantity, fc: from }));
  if (forced || rng.chance(0.004)) {
    emitTruth(ctx, {
      rule: "R17", variant: "transfer-never-arrived", keys: { fnsku: sku.fnsku, referenceId, fromFc: from }, quantity,
      valueMinor: quantity * sku.costMinor, anchorMs: outMs + 45 * DAY_MS, opensAfterDays: 0, closesAfterDays: 60,
    });
    return;
  }
  const inMs = outMs + rng.int(2, 12) * DAY_MS;
  emitLedger(ctx, ledgerRow({ atMs: inMs, skuIdx: sku.idx, eventType: "WhseTransfers", referenceId, quantity, fc: to }));
}

function emitUnauthorizedDisposal(ctx: DayContext): void {
  const { w, rng } = ctx;
  const sku = skuAt(w, rng.int(0, w.catalog.length - 1));
  const quantity = rng.int(1, 6);
  const atMs = dayStart(w, ctx.day) + rng.int(0, DAY_MS - 1);
  const referenceId = adjustmentId(ctx);
  emitLedger(ctx, ledgerRow({ atMs, skuIdx: sku.idx, eventType: "Adjustments", referenceId, quantity: -quantity, fc: rng.pick(FULFILLMENT_CENTERS), reason: "D" }));
  emitTruth(ctx, {
    rule: "R15", variant: "disposed-without-order", keys: { fnsku: sku.fnsku, referenceId }, quantity,
    valueMinor: quantity * sku.costMinor, anchorMs: atMs, opensAfterDays: 0, closesAfterDays: 60,
  });
}

export function generateFcDay(ctx: DayContext): void {
  const { w, rng } = ctx;
  const forced = new Set<string>();
  const unitsHandled = w.size.ordersPerDay * 1.2;
  // Loss events: 0.15% of units handled, 2 units per event on average.
  const losses = rng.poisson((unitsHandled * 0.0015) / 2);
  for (let i = 0; i < losses; i++) emitLoss(ctx, null);
  if (forcedOnce(ctx, "R01", forced)) emitLoss(ctx, "R01");
  if (forcedOnce(ctx, "R16", forced)) emitLoss(ctx, "R16");
  if (forcedOnce(ctx, "R18", forced)) emitLoss(ctx, "R18");
  if (forcedOnce(ctx, "R08", forced)) {
    const sku = pickSkuByDemand(w, rng);
    const id = emitReimbursement(ctx, { atMs: dayStart(w, ctx.day) + 12 * HOUR_MS, reason: "Lost_Warehouse", sku, quantityCash: 1, quantityInventory: 0, amountPerUnitMinor: Math.round(sku.costMinor * 0.6) });
    emitLedger(ctx, ledgerRow({ atMs: dayStart(w, ctx.day) + HOUR_MS, skuIdx: sku.idx, eventType: "Adjustments", referenceId: adjustmentId(ctx), quantity: -1, fc: rng.pick(FULFILLMENT_CENTERS), reason: "M", reconciled: 1, unreconciled: 0 }));
    emitTruth(ctx, {
      rule: "R08", variant: "pre-order-below-cost", keys: { reimbursementId: id, fnsku: sku.fnsku }, quantity: 1,
      valueMinor: sku.costMinor - Math.round(sku.costMinor * 0.6), anchorMs: dayStart(w, ctx.day) + 12 * HOUR_MS, opensAfterDays: 0, closesAfterDays: 60,
    });
  }
  const damages = rng.poisson((unitsHandled * 0.0005) / 1.5);
  for (let i = 0; i < damages; i++) emitDamage(ctx, false);
  if (forcedOnce(ctx, "R02", forced)) emitDamage(ctx, true);
  const transfers = rng.poisson(w.size.ordersPerDay / 12);
  for (let i = 0; i < transfers; i++) emitTransfer(ctx, false);
  if (forcedOnce(ctx, "R17", forced)) emitTransfer(ctx, true);
  // Unauthorized disposals: 0.2% of disposed units, i.e. rare; plus the designated one.
  if (forcedOnce(ctx, "R15", forced) || rng.chance((w.catalog.length / 20 / 91) * 15 * 0.002)) emitUnauthorizedDisposal(ctx);
}

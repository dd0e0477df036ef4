// Account-level fees: the monthly storage fee (one charge per month, sometimes posted twice: R12c).
import { emitTruth, HOUR_MS, type DayContext } from "./day-context";
import { dayStart, FULFILLMENT_CENTERS } from "./world";

/** Cubic feet of one unit. */
export function unitCubicFeet(d: { longest: number; median: number; shortest: number }): number {
  return (d.longest * d.median * d.shortest) / 1728;
}

export function generateFeesDay(ctx: DayContext): void {
  const { w, rng } = ctx;
  const date = new Date(dayStart(w, ctx.day));
  // Storage fees for the previous month post around the 7th.
  if (date.getUTCDate() !== 7) return;
  const month = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1));
  if (month.getTime() < w.startMs) return;
  const peak = month.getUTCMonth() >= 9;
  const ratePerCuFt = peak ? 240 : 87;
  const postedMs = dayStart(w, ctx.day) + 10 * HOUR_MS;
  let total = 0;
  for (const sku of w.catalog) {
    const averageQuantity = Math.max(1, Math.round(sku.initialStock * (0.6 + rng.next() * 0.6)));
    const feeMinor = Math.max(1, Math.round(unitCubicFeet(sku.dims) * ratePerCuFt * averageQuantity));
    total += feeMinor;
    ctx.emit({ kind: "storageFee", at: postedMs, row: { monthStartMs: month.getTime(), skuIdx: sku.idx, fc: rng.pick(FULFILLMENT_CENTERS), averageQuantity, feeMinor } });
  }
  const monthKey = month.toISOString().slice(0, 7);
  const fee = { type: "ServiceFee" as const, postedMs, feeType: "FBAStorageFee", feeDescription: `FBA storage fee ${monthKey}`, amountMinor: -total, chargeKey: monthKey };
  ctx.emit({ kind: "fin", at: postedMs, ev: fee });
  if (rng.chance(0.03)) {
    const dupMs = postedMs + 26 * HOUR_MS;
    ctx.emit({ kind: "fin", at: dupMs, ev: { ...fee, postedMs: dupMs } });
    emitTruth(ctx, { rule: "R12", variant: "storage-fee-posted-twice", keys: { month: monthKey, feeType: "FBAStorageFee" }, quantity: 1, valueMinor: total, anchorMs: dupMs, opensAfterDays: 0, closesAfterDays: 90 });
  }
}

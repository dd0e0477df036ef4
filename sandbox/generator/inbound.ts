// Inbound (seller -> Amazon) shipments: about five SKUs ship together every 2-6 weeks. Planted: R03
// (shortages, whole lost cases) with look-alikes (auto-reconciled, offset by a sibling overage).
import { hash32, Rng } from "../prng";
import { emitTruth, HOUR_MS, type DayContext } from "./day-context";
import { ledgerRow } from "./ledger";
import { emitPreOrderPayout } from "./ledger";
import type { Sku } from "./types";
import { DAY_MS, expectedDailyUnits, dayStart, FULFILLMENT_CENTERS, skuAt, type World } from "./world";

export interface InboundLine {
  sku: Sku;
  shipped: number;
  /** Units Amazon will have received in total (receipts may lie after now). */
  received: number;
  caseQty: number;
  receipts: Array<{ atMs: number; quantity: number }>;
  /** Shortage handling: none, auto-reconciled (paid), claimable (R03), or offset by a sibling overage. */
  shortage: "none" | "auto" | "claim" | "offset" | "whole-case";
}

export interface InboundShipment {
  shipmentId: string;
  name: string;
  group: number;
  createdMs: number;
  shippedMs: number;
  deliveredMs: number;
  closedMs: number;
  cancelled: boolean;
  fc: string;
  lines: InboundLine[];
}

const groupCount = (w: World) => Math.ceil(w.catalog.length / 5);

function groupSchedule(w: World, g: number): { period: number; phase: number } {
  const period = 14 + (hash32(w.key, "inbound-period", g) % 29);
  return { period, phase: hash32(w.key, "inbound-phase", g) % period };
}

/** Shipments created on a day (pure: the same call always gives the same shipments). */
export function shipmentsCreatedOn(w: World, day: number): InboundShipment[] {
  const out: InboundShipment[] = [];
  for (let g = 0; g < groupCount(w); g++) {
    const { period, phase } = groupSchedule(w, g);
    if ((day - phase) % period !== 0) continue;
    const rng = new Rng(w.key, "inbound", g, day);
    const createdMs = dayStart(w, day) + rng.int(8, 18) * HOUR_MS;
    const shippedMs = createdMs + rng.int(1, 3) * DAY_MS;
    const deliveredMs = shippedMs + rng.int(3, 8) * DAY_MS;
    const fc = rng.pick(FULFILLMENT_CENTERS);
    const cancelled = rng.chance(0.02);
    const loseCase = rng.chance(0.03);
    const lines: InboundLine[] = [];
    let lastReceipt = deliveredMs;
    const skus: Sku[] = [];
    for (let i = g * 5; i < Math.min(w.catalog.length, g * 5 + 5); i++) skus.push(skuAt(w, i));
    for (const sku of skus) {
      const caseQty = rng.chance(0.4) ? rng.pick([6, 12, 24]) : 1;
      // Cover the expected sales from this shipment's arrival (~8 days out) until the next one arrives.
      let expected = 0;
      for (let d = day + 8; d < day + 8 + period; d++) expected += expectedDailyUnits(w, sku, d);
      let shipped = Math.max(6, Math.round(expected * (1.0 + rng.next() * 0.1)));
      shipped = Math.min(5000, Math.ceil(shipped / caseQty) * caseQty);
      let received = shipped;
      let shortage: InboundLine["shortage"] = "none";
      if (!cancelled && loseCase && caseQty > 1 && lines.every((l) => l.shortage !== "whole-case") && shipped > caseQty) {
        received = shipped - caseQty;
        shortage = "whole-case";
      } else if (!cancelled && rng.chance(0.12)) {
        received = shipped - Math.max(1, Math.round(shipped * (0.01 + rng.next() * 0.02)));
        shortage = rng.chance(0.5) ? "auto" : "claim";
      }
      const receipts: InboundLine["receipts"] = [];
      if (!cancelled) {
        let left = received;
        let t = deliveredMs + rng.int(2, 30) * HOUR_MS;
        while (left > 0) {
          const chunk = left <= 20 ? left : Math.min(left, rng.int(Math.ceil(left / 3), left));
          receipts.push({ atMs: t, quantity: chunk });
          left -= chunk;
          t += rng.int(6, 40) * HOUR_MS;
        }
        lastReceipt = Math.max(lastReceipt, receipts[receipts.length - 1]?.atMs ?? lastReceipt);
      }
      lines.push({ sku, shipped, received, caseQty, receipts, shortage });
    }
    // Look-alike: a shortage offset by an overage on the sibling FNSKU of the same ASIN (mislabel).
    if (!cancelled && rng.chance(0.05)) {
      const a = lines.find((l) => l.sku.siblingIdx !== undefined && lines.some((o) => o.sku.idx === l.sku.siblingIdx) && l.shortage === "none");
      const b = a && lines.find((o) => o.sku.idx === a.sku.siblingIdx);
      if (a && b && b.shortage === "none") {
        const k = Math.min(3, a.received - 1);
        const lastA = a.receipts[a.receipts.length - 1];
        const lastB = b.receipts[b.receipts.length - 1];
        if (k > 0 && lastA && lastB && lastA.quantity > k) {
          a.received -= k;
          lastA.quantity -= k;
          b.received += k;
          lastB.quantity += k;
          a.shortage = "offset";
        }
      }
    }
    const closedMs = lastReceipt + rng.int(7, 20) * DAY_MS;
    out.push({
      shipmentId: `FBA${rng.chars(9, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")}`,
      name: `FBA (${new Date(createdMs).toISOString().slice(0, 10)}) - ${g + 1}`,
      group: g,
      createdMs,
      shippedMs,
      deliveredMs,
      closedMs,
      cancelled,
      fc,
      lines,
    });
  }
  return out;
}

export function generateInboundDay(ctx: DayContext): void {
  const { w } = ctx;
  for (const s of shipmentsCreatedOn(w, ctx.day)) {
    if (s.cancelled) continue;
    const rng = new Rng(w.key, "inbound-fate", s.shipmentId);
    const c: DayContext = { ...ctx, rng };
    for (const line of s.lines) {
      for (const r of line.receipts) {
        ctx.emit({ kind: "ledger", at: r.atMs, row: ledgerRow({ atMs: r.atMs, skuIdx: line.sku.idx, eventType: "Receipts", referenceId: s.shipmentId, quantity: r.quantity, fc: s.fc }) });
      }
      const short = line.shipped - line.received;
      const keys = { shipmentId: s.shipmentId, fnsku: line.sku.fnsku, sku: line.sku.sku };
      if (line.shortage === "auto") {
        emitPreOrderPayout(c, { atMs: s.closedMs + rng.int(5, 30) * DAY_MS, reason: "Lost_Inbound", sku: line.sku, quantity: short });
      } else if (line.shortage === "claim" || line.shortage === "whole-case") {
        emitTruth(c, {
          rule: "R03", variant: line.shortage === "whole-case" ? "lost-whole-case" : "short-received", keys, quantity: short,
          valueMinor: short * line.sku.costMinor, anchorMs: s.closedMs, opensAfterDays: 30, closesAfterDays: 270,
          note: "US window (9 months after close) is unverified; some stores allow only 15-60 days after delivery",
        });
      } else if (line.shortage === "offset") {
        emitTruth(c, { rule: "R03", kind: "control", variant: "offset-by-sibling-overage", keys, quantity: short, valueMinor: 0, anchorMs: s.closedMs, opensAfterDays: 30, closesAfterDays: 270 });
      }
    }
  }
}

export type InboundStatus = "WORKING" | "SHIPPED" | "IN_TRANSIT" | "DELIVERED" | "CHECKED_IN" | "RECEIVING" | "CLOSED" | "CANCELLED";

/** Status and last-update instant as seen at `nowMs`. */
export function shipmentStatusAt(s: InboundShipment, nowMs: number): { status: InboundStatus; updatedMs: number } {
  if (s.cancelled) return { status: "CANCELLED", updatedMs: Math.min(nowMs, s.createdMs + DAY_MS) };
  const firstReceipt = Math.min(...s.lines.map((l) => l.receipts[0]?.atMs ?? Number.POSITIVE_INFINITY));
  if (nowMs < s.shippedMs) return { status: "WORKING", updatedMs: s.createdMs };
  if (nowMs < s.deliveredMs) return { status: "IN_TRANSIT", updatedMs: s.shippedMs };
  if (nowMs < firstReceipt) return { status: "CHECKED_IN", updatedMs: s.deliveredMs };
  if (nowMs < s.closedMs) {
    const last = Math.max(...s.lines.flatMap((l) => l.receipts.filter((r) => r.atMs <= nowMs).map((r) => r.atMs)));
    return { status: "RECEIVING", updatedMs: last };
  }
  return { status: "CLOSED", updatedMs: s.closedMs };
}

export function receivedAt(line: InboundLine, nowMs: number): number {
  return line.receipts.reduce((a, r) => (r.atMs <= nowMs ? a + r.quantity : a), 0);
}

const shipmentCache = new WeakMap<World, InboundShipment[]>();

/** Every shipment created up to the world's end (cached; ~20k shipments for the large seller). */
export function allShipments(w: World): InboundShipment[] {
  let list = shipmentCache.get(w);
  if (!list) {
    list = [];
    for (let d = 0; d <= w.lastDay; d++) for (const s of shipmentsCreatedOn(w, d)) if (s.createdMs <= w.endMs) list.push(s);
    shipmentCache.set(w, list);
  }
  return list;
}

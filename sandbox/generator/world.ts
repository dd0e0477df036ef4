// A synthetic seller's world: identity, catalog and calendar, all deterministic from (seed, index, size)
// and the instant the world ends. Everything else is regenerated per day on demand (see world-stream.ts).
import { hash32, Rng } from "../prng";
import { buildCatalog, UNITS_PER_ORDER } from "./catalog";
import { RULE_IDS, type RuleId, type SizeProfile, type Sku } from "./types";

export const DAY_MS = 86_400_000;
export const MARKETPLACE_US = "ATVPDKIKX0DER";
export const CURRENCY = "USD";
export const FULFILLMENT_CENTERS = ["PHX6", "ONT8", "MDW2", "BFI4", "TPA1", "CLT2", "SDF8", "LGB8"] as const;
/** Longest delay from a cause (order, loss, shipment) to its last consequence, in days. */
export const MAX_LAG_DAYS = 160;

export type SizeName = "small" | "wide" | "large";

export const SIZES: Record<SizeName, SizeProfile> = {
  small: { skus: 40, months: 18, ordersPerDay: 20 },
  // A small seller with more SKUs than one page of inventory summaries (50) holds.
  wide: { skus: 120, months: 18, ordersPerDay: 20 },
  // ~2,400 orders/day over 18 months gives about 2M ledger rows.
  large: { skus: 5000, months: 18, ordersPerDay: 2400 },
};

export interface SellerIdentity {
  index: number;
  sellingPartnerId: string;
  name: string;
  marketplaceIds: string[];
}

export interface World {
  seller: SellerIdentity;
  /** Seeds every per-day PRNG: `${seed}:${index}`. */
  key: string;
  size: SizeProfile;
  /** UTC midnight of day 0. */
  startMs: number;
  /** The world's "now": nothing happens after it. */
  endMs: number;
  /** Index of the day containing endMs. */
  lastDay: number;
  catalog: Sku[];
  skuBySellerSku: Map<string, Sku>;
  /** Cumulative demand weights for weighted SKU picks. */
  cumulativeDemand: Float64Array;
  /** One designated day per rule on which the first opportunity is forced to be a planted anomaly. */
  forcedDay: Record<RuleId, number>;
}

const NAMES = ["Northwind Goods", "Blue Heron Supply", "Cedar & Pine Home", "Atlas Outdoor Co", "Lumen Electronics", "Maple Street Apparel"];

export function sellerIdentity(seed: number, index: number): SellerIdentity {
  const rng = new Rng(seed, index, "identity");
  const name = `${NAMES[(hash32(seed) + index) % NAMES.length] ?? "Sandbox Seller"} ${index + 1}`;
  return {
    index,
    sellingPartnerId: `A${rng.chars(13, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`,
    name,
    marketplaceIds: [MARKETPLACE_US],
  };
}

export function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function buildWorld(opts: { seed: number; index: number; size: SizeName; endMs: number }): World {
  const size = SIZES[opts.size];
  const end = new Date(opts.endMs);
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - size.months, end.getUTCDate()));
  const startMs = utcMidnight(start.getTime());
  const lastDay = Math.floor((opts.endMs - startMs) / DAY_MS);
  const key = `${opts.seed}:${opts.index}`;
  const catalog = buildCatalog(key, size, lastDay);
  const cumulativeDemand = new Float64Array(catalog.length);
  let sum = 0;
  catalog.forEach((s, i) => {
    sum += s.demand;
    cumulativeDemand[i] = sum;
  });
  const forcedRng = new Rng(key, "forced");
  const forcedDay = {} as Record<RuleId, number>;
  for (const rule of RULE_IDS) forcedDay[rule] = forcedRng.int(20, Math.max(21, lastDay - 30));
  return {
    seller: sellerIdentity(opts.seed, opts.index),
    key,
    size,
    startMs,
    endMs: opts.endMs,
    lastDay,
    catalog,
    skuBySellerSku: new Map(catalog.map((s) => [s.sku, s])),
    cumulativeDemand,
    forcedDay,
  };
}

/**
 * The same world seen at a later instant (live mode): identical days and catalog, a later end. Values
 * that are "as of now" (reconciled quantities, statuses) are computed against the new end.
 */
export function worldAt(base: World, endMs: number): World {
  return { ...base, endMs, lastDay: Math.floor((endMs - base.startMs) / DAY_MS) };
}

export const dayStart = (w: World, day: number) => w.startMs + day * DAY_MS;
export const dayOf = (w: World, ms: number) => Math.floor((ms - w.startMs) / DAY_MS);

export function skuAt(w: World, idx: number): Sku {
  const sku = w.catalog[idx];
  if (!sku) throw new Error(`no SKU #${idx}`);
  return sku;
}

export function pickSkuByDemand(w: World, rng: Rng): Sku {
  const total = w.cumulativeDemand[w.cumulativeDemand.length - 1] ?? 0;
  const target = rng.next() * total;
  let lo = 0;
  let hi = w.cumulativeDemand.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((w.cumulativeDemand[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return skuAt(w, lo);
}

/** Order volume multiplier of a day: weekends a little busier, November-December much busier. */
export function seasonalFactor(w: World, day: number): number {
  const date = new Date(dayStart(w, day));
  const weekday = date.getUTCDay();
  return (weekday === 0 || weekday === 6 ? 1.15 : 0.95) * (date.getUTCMonth() >= 10 ? 1.4 : 1);
}


/** Expected units of a SKU sold on a day; inbound shipments are sized from it so stock stays positive. */
export function expectedDailyUnits(w: World, sku: Sku, day: number): number {
  const total = w.cumulativeDemand[w.cumulativeDemand.length - 1] ?? 1;
  return (w.size.ordersPerDay * seasonalFactor(w, day) * UNITS_PER_ORDER * sku.demand) / total;
}

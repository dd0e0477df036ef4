// Catalog: SKUs with price, sourcing cost, dimensions, fee tier and demand (detection.md §6 drivers).
import { Rng } from "../prng";
import type { Category, SizeProfile, Sku } from "./types";

const CATEGORY_MIX: Array<[Category, number]> = [
  ["hard", 0.6],
  ["apparel", 0.2],
  ["electronics", 0.1],
  ["consumable", 0.1],
];
const REFERRAL_BP: Record<Category, number> = { hard: 1500, apparel: 1700, electronics: 800, consumable: 1500 };
const NOUNS: Record<Category, string[]> = {
  hard: ["Steel Water Bottle", "Bamboo Cutting Board", "Garden Trowel", "Cast Iron Skillet", "Desk Organizer", "Yoga Block"],
  apparel: ["Merino Hiking Socks", "Rain Jacket", "Cotton Beanie", "Running Shorts", "Fleece Gloves"],
  electronics: ["USB-C Charger", "Bluetooth Speaker", "LED Desk Lamp", "Wireless Mouse", "Phone Stand"],
  consumable: ["Green Tea Sampler", "Protein Bar 12-Pack", "Dog Treats", "Hand Soap Refill"],
};
const ADJECTIVES = ["Classic", "Pro", "Compact", "Deluxe", "Eco", "Travel", "Everyday", "Premium"];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Units per order: 1.1 lines of 1.144 units on average, 2% cancelled (orders.ts draws these). */
export const UNITS_PER_ORDER = 1.1 * 1.144 * 0.98;

/** Simplified US FBA fee table by size tier (cents). */
export function feeForTier(tier: string, weightLb: number): number {
  if (tier === "Small standard") return 322 + Math.min(3, Math.floor(weightLb * 4)) * 15;
  if (tier === "Large standard") return 386 + Math.ceil(weightLb * 4) * 16;
  return 961 + Math.ceil(weightLb) * 38;
}

function tierFor(d: { longest: number; median: number; shortest: number; weightLb: number }): string {
  if (d.weightLb <= 1 && d.longest <= 15 && d.median <= 12 && d.shortest <= 0.75) return "Small standard";
  if (d.weightLb <= 20 && d.longest <= 18 && d.median <= 14 && d.shortest <= 8) return "Large standard";
  return "Large bulky";
}

const NEXT_TIER: Record<string, string> = { "Small standard": "Large standard", "Large standard": "Large bulky", "Large bulky": "Large bulky" };

export function buildCatalog(key: string, size: SizeProfile, lastDay: number): Sku[] {
  const rng = new Rng(key, "catalog");
  const prefix = rng.chars(2, "ABCDEFGHJKLMNPQRSTUVWXYZ");
  const skus: Sku[] = [];
  for (let idx = 0; idx < size.skus; idx++) {
    const prev = skus[idx - 1];
    // ~5% of SKUs are a second FNSKU of the previous ASIN (relabel / new packaging).
    const sibling = prev !== undefined && prev.siblingIdx === undefined && rng.chance(0.05) ? prev : undefined;
    let r = rng.next();
    let category: Category = "hard";
    for (const [c, p] of CATEGORY_MIX) {
      if (r < p) {
        category = c;
        break;
      }
      r -= p;
    }
    if (sibling) category = sibling.category;
    const priceMinor = sibling ? sibling.priceMinor : Math.round(Math.min(300, Math.max(6, rng.lognormal(25, 0.65))) * 100) - 1;
    const costMinor = Math.round(priceMinor * (0.25 + rng.next() * 0.15));
    const small = rng.chance(0.35);
    const dims = sibling
      ? { ...sibling.dims }
      : small
        ? { longest: 4 + rng.int(0, 100) / 10, median: 3 + rng.int(0, 60) / 10, shortest: 0.3 + rng.int(0, 4) / 10, weightLb: 0.1 + rng.int(0, 8) / 10 }
        : { longest: 8 + rng.int(0, 90) / 10, median: 5 + rng.int(0, 80) / 10, shortest: 1 + rng.int(0, 60) / 10, weightLb: 0.5 + rng.int(0, 150) / 10 };
    const sizeTier = tierFor(dims);
    const title = sibling ? sibling.title : `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS[category])}`;
    const sku: Sku = {
      idx,
      sku: `${prefix}-${category.slice(0, 2).toUpperCase()}-${String(idx + 1).padStart(4, "0")}${sibling ? "-B" : ""}`,
      fnsku: `X00${rng.chars(7, ALNUM)}`,
      asin: sibling ? sibling.asin : `B0${rng.chars(8, ALNUM)}`,
      title,
      category,
      priceMinor,
      costMinor,
      referralBp: REFERRAL_BP[category],
      chargedReferralBp: REFERRAL_BP[category],
      fbaFeeMinor: feeForTier(sizeTier, dims.weightLb),
      sizeTier,
      dims,
      demand: Math.max(0.02, rng.lognormal(1, 1.1)),
      group: Math.floor(idx / 5),
      initialStock: 0,
    };
    if (sibling) {
      sku.siblingIdx = sibling.idx;
      sibling.siblingIdx = idx;
    }
    // R11: about 4% of SKUs get a wrong-tier episode of 1-8 months (detection.md §6).
    if (rng.chance(0.04)) {
      const months = rng.int(1, 8);
      const fromDay = rng.int(0, Math.max(1, lastDay - 30));
      const wrongTier = NEXT_TIER[sizeTier] ?? sizeTier;
      sku.feeEpisode = { fromDay, toDay: Math.min(lastDay + 365, fromDay + months * 30), excessMinor: rng.int(30, 100), wrongTier };
    }
    skus.push(sku);
  }
  // Always at least one R11 episode that is still running (so the fee preview shows it) ...
  const withEpisode = skus.find((s) => s.feeEpisode);
  const target = skus[Math.floor(rng.next() * skus.length)];
  if (!withEpisode && target) {
    target.feeEpisode = { fromDay: Math.max(0, lastDay - 120), toDay: lastDay + 365, excessMinor: 47, wrongTier: NEXT_TIER[target.sizeTier] ?? target.sizeTier };
  }
  // ... and one miscategorised SKU charged a higher referral rate (R13).
  const mis = skus.find((s) => s.category === "electronics") ?? skus[0];
  if (mis) mis.chargedReferralBp = mis.referralBp + 700;

  const totalDemand = skus.reduce((a, s) => a + s.demand, 0);
  for (const s of skus) {
    // 60 days of cover plus three standard deviations of 18 months of Poisson sales noise, so stock
    // (replenished to expected demand by inbound.ts) stays positive without per-day state.
    const perDay = (size.ordersPerDay * UNITS_PER_ORDER * s.demand) / totalDemand;
    s.initialStock = Math.round(60 * perDay + 3 * Math.sqrt(size.months * 30 * perDay) + 5);
  }
  return skus;
}

// Ground truth: what the generator planted, with claim windows (detection.md §1) so detection tests
// can check value, status and deadline. Written as JSONL to <dataDir>/<sellerId>/ground-truth.jsonl.
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { GroundTruthRecord, RuleId, WorldEvent } from "./types";
import { cooperative } from "../cooperative";
import { CURRENCY, DAY_MS, type World } from "./world";

export interface TruthInput {
  rule: RuleId;
  kind?: "claim" | "control";
  variant: string;
  keys: Record<string, string>;
  quantity: number;
  valueMinor: number;
  anchorMs: number;
  opensAfterDays: number;
  closesAfterDays: number;
  note?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function truthRecord(w: World, t: TruthInput): GroundTruthRecord {
  const opensMs = t.anchorMs + t.opensAfterDays * DAY_MS;
  const deadlineMs = t.anchorMs + t.closesAfterDays * DAY_MS;
  const status = w.endMs < opensMs ? "waiting" : w.endMs > deadlineMs ? "expired" : "open";
  const kind = t.kind ?? "claim";
  const rec: GroundTruthRecord = {
    id: `${t.rule}:${t.variant}:${Object.values(t.keys).join("|")}`,
    rule: t.rule,
    kind,
    variant: t.variant,
    sellingPartnerId: w.seller.sellingPartnerId,
    marketplaceId: w.seller.marketplaceIds[0] ?? "",
    keys: t.keys,
    quantity: t.quantity,
    expectedValueMinor: kind === "control" ? 0 : t.valueMinor,
    currency: CURRENCY,
    anchorDate: iso(t.anchorMs),
    opensAt: iso(opensMs),
    deadline: iso(deadlineMs),
    status,
  };
  if (t.note) rec.note = t.note;
  return rec;
}

/** A truth event, dropped by the caller when its anchor lies after the world's end. */
export function truthEvent(w: World, t: TruthInput): WorldEvent | null {
  if (t.anchorMs > w.endMs) return null;
  return { kind: "truth", at: t.anchorMs, rec: truthRecord(w, t) };
}

/** Fee rules (R11, R13) are per SKU episode: lines are merged and valued over the trailing 90 days. */
export const AGGREGATED_RULES: ReadonlySet<RuleId> = new Set<RuleId>(["R11", "R13"]);

interface Aggregate {
  first: GroundTruthRecord;
  firstMs: number;
  lastMs: number;
  units: number;
  totalMinor: number;
  recentMinor: number;
  recentUnits: number;
}

export class GroundTruthCollector {
  private readonly aggregates = new Map<string, Aggregate>();
  constructor(private readonly w: World) {}

  /** Returns a record ready to write, or null when it was folded into an aggregate. */
  add(rec: GroundTruthRecord): GroundTruthRecord | null {
    if (!AGGREGATED_RULES.has(rec.rule)) return rec;
    const at = Date.parse(rec.anchorDate);
    const recent = at >= this.w.endMs - 90 * DAY_MS;
    const agg = this.aggregates.get(rec.id);
    if (!agg) {
      this.aggregates.set(rec.id, {
        first: rec,
        firstMs: at,
        lastMs: at,
        units: rec.quantity,
        totalMinor: rec.expectedValueMinor,
        recentMinor: recent ? rec.expectedValueMinor : 0,
        recentUnits: recent ? rec.quantity : 0,
      });
    } else {
      agg.lastMs = Math.max(agg.lastMs, at);
      agg.units += rec.quantity;
      agg.totalMinor += rec.expectedValueMinor;
      if (recent) {
        agg.recentMinor += rec.expectedValueMinor;
        agg.recentUnits += rec.quantity;
      }
    }
    return null;
  }

  finish(): GroundTruthRecord[] {
    return [...this.aggregates.values()].map((a) => {
      const open = a.recentMinor > 0;
      return {
        ...a.first,
        quantity: open ? a.recentUnits : a.units,
        expectedValueMinor: open ? a.recentMinor : a.totalMinor,
        anchorDate: iso(a.firstMs),
        opensAt: iso(a.firstMs),
        deadline: iso(a.lastMs + 90 * DAY_MS),
        status: open ? "open" : "expired",
        note: `${a.first.rule === "R11" ? "FBA fee above the true size tier" : "referral fee above the category rate"}; charged on ${a.units} units between ${iso(a.firstMs).slice(0, 10)} and ${iso(a.lastMs).slice(0, 10)} (total excess ${a.totalMinor} minor units); value counts charges posted in the last 90 days when there are any`,
      };
    });
  }
}

export async function writeGroundTruth(w: World, path: string, events: Iterable<WorldEvent | null>): Promise<{ records: number }> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const collector = new GroundTruthCollector(w);
  let records = 0;
  let buffer = "";
  const flush = async () => {
    if (!out.write(buffer)) await new Promise<void>((r) => out.once("drain", () => r()));
    buffer = "";
  };
  const yieldNow = cooperative();
  for (const ev of events) {
    if (ev === null) {
      await yieldNow();
      continue;
    }
    if (ev.kind !== "truth") continue;
    const rec = collector.add(ev.rec);
    if (rec) {
      buffer += `${JSON.stringify(rec)}\n`;
      records++;
      if (buffer.length > 65_536) await flush();
    }
  }
  for (const rec of collector.finish()) {
    buffer += `${JSON.stringify(rec)}\n`;
    records++;
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { records };
}

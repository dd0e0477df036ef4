// Streams a seller's world in time order with bounded memory: causes are generated day by day and
// their consequences wait in per-day buckets (at most MAX_LAG_DAYS ahead). Any window can be
// regenerated on demand by starting MAX_LAG_DAYS before it.
import { Rng } from "../prng";
import type { DayContext } from "./day-context";
import { generateFeesDay } from "./fees";
import { generateInboundDay } from "./inbound";
import { generateFcDay } from "./ledger";
import { generateOrdersDay } from "./orders";
import { generateRemovalsDay } from "./removals";
import type { WorldEvent, WorldEventKind } from "./types";
import { dayOf, MAX_LAG_DAYS, type World } from "./world";

export interface StreamOptions {
  /** Inclusive lower bound on event time. */
  fromMs?: number;
  /** Exclusive upper bound on event time (never past the world's end). */
  toMs?: number;
  kinds?: ReadonlySet<WorldEventKind>;
}

const DOMAINS: Array<[string, (ctx: DayContext) => void]> = [
  ["orders", generateOrdersDay],
  ["fc", generateFcDay],
  ["inbound", generateInboundDay],
  ["removals", generateRemovalsDay],
  ["fees", generateFeesDay],
];

/** Yielded by streamWorldWithTicks after every generated day, so async consumers can give the event loop a turn. */
export const TICK = null;
export type Tick = typeof TICK;

export function* streamWorld(w: World, opts: StreamOptions = {}): Generator<WorldEvent> {
  for (const ev of streamWorldWithTicks(w, opts)) if (ev !== TICK) yield ev;
}

export function* streamWorldWithTicks(w: World, opts: StreamOptions = {}): Generator<WorldEvent | Tick> {
  const fromMs = Math.max(opts.fromMs ?? w.startMs, w.startMs);
  const toMs = Math.min(opts.toMs ?? Number.POSITIVE_INFINITY, w.endMs + 1);
  if (toMs <= fromMs) return;
  const fromDay = Math.max(0, dayOf(w, fromMs));
  const toDay = Math.min(w.lastDay, dayOf(w, toMs - 1));
  const kinds = opts.kinds;
  const buckets = new Map<number, WorldEvent[]>();
  // Orders are emitted on their own day, so an orders-only stream needs no look-back.
  const lag = kinds && [...kinds].every((k) => k === "order") ? 0 : MAX_LAG_DAYS;
  for (let day = Math.max(0, fromDay - lag); day <= toDay; day++) {
    const emit = (e: WorldEvent) => {
      if (e.at < fromMs || e.at >= toMs) return;
      if (kinds && !kinds.has(e.kind)) return;
      const d = dayOf(w, e.at);
      if (d < day) throw new Error(`event ${e.kind} dated before its cause day ${day}`);
      let bucket = buckets.get(d);
      if (!bucket) buckets.set(d, (bucket = []));
      bucket.push(e);
    };
    for (const [domain, generate] of DOMAINS) generate({ w, day, rng: new Rng(w.key, domain, day), emit });
    const bucket = buckets.get(day);
    if (bucket) {
      buckets.delete(day);
      bucket.sort((a, b) => a.at - b.at);
      yield* bucket;
    }
    yield TICK;
  }
}


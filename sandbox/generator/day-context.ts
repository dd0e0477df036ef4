// What every per-day domain generator receives: the world, its own PRNG stream and an emitter.
import type { Rng } from "../prng";
import { truthEvent, type TruthInput } from "./ground-truth";
import type { WorldEvent } from "./types";
import type { World } from "./world";

export interface DayContext {
  w: World;
  day: number;
  rng: Rng;
  emit(e: WorldEvent): void;
}

export function emitTruth(ctx: DayContext, t: TruthInput): void {
  const ev = truthEvent(ctx.w, t);
  if (ev) ctx.emit(ev);
}

/** True once per rule: on the rule's designated day, for the first opportunity of that day. */
export function forcedOnce(ctx: DayContext, rule: keyof World["forcedDay"], used: Set<string>): boolean {
  if (ctx.w.forcedDay[rule] !== ctx.day || used.has(rule)) return false;
  used.add(rule);
  return true;
}

export const HOUR_MS = 3_600_000;

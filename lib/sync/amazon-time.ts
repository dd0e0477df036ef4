// Amazon's clock and durations as the sync sees them. Against real Amazon this is the system clock.
// A time-scaled sandbox (`--time-scale`, `--start-time`) runs its clock faster and elsewhere: with
// AMAZON_TIME_SCALE and AMAZON_TIME_ANCHOR the sync reads the same clock and shortens its waits to
// match, so the same code paths run in minutes instead of hours.
import { scaledTime, systemClock, realSleep, type Clock, type Sleep } from "../amazon/clock";
import { env } from "../env";

export interface AmazonTime {
  clock: Clock;
  sleep: Sleep;
  /** Amazon seconds per real second. */
  scale: number;
  /** A wait in Amazon milliseconds as real milliseconds (what step.sleep and the database clock count). */
  toRealMs(amazonMs: number): number;
}

export function amazonTimeFrom(scale: number, anchor?: string): AmazonTime {
  if (!(scale > 0)) throw new RangeError("scale must be positive");
  const toRealMs = (ms: number) => Math.max(0, Math.ceil(ms / scale));
  if (!anchor) {
    if (scale === 1) return { clock: systemClock, sleep: realSleep, scale, toRealMs };
    return { ...scaledTime(scale), scale, toRealMs };
  }
  const [amazonAt, realAt] = anchor.split("@").map((part) => Date.parse(part)) as [number, number];
  const clock: Clock = { now: () => amazonAt + (Date.now() - realAt) * scale };
  return { clock, sleep: (ms, signal) => realSleep(ms / scale, signal), scale, toRealMs };
}

let cached: { key: string; time: AmazonTime } | undefined;

/** The configured Amazon time (AMAZON_TIME_SCALE, AMAZON_TIME_ANCHOR). */
export function amazonTime(): AmazonTime {
  const e = env();
  const key = `${e.AMAZON_TIME_SCALE}|${e.AMAZON_TIME_ANCHOR ?? ""}`;
  if (cached?.key !== key) cached = { key, time: amazonTimeFrom(e.AMAZON_TIME_SCALE, e.AMAZON_TIME_ANCHOR) };
  return cached.time;
}

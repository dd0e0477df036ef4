// Date windows of a sync: the largest window a source accepts, split in halves only when Amazon
// refuses one (FATAL), never below the source's smallest. Windows are half-open [start, end) in UTC.

export interface SyncWindow {
  /** ISO, inclusive. */
  start: string;
  /** ISO, exclusive. */
  end: string;
}

const DAY_MS = 86_400_000;

/** Cuts [from, to) into consecutive windows of at most `maxDays` days, oldest first. */
export function planWindows(from: Date, to: Date, maxDays: number): SyncWindow[] {
  if (!(maxDays > 0)) throw new RangeError("maxDays must be positive");
  const windows: SyncWindow[] = [];
  const step = maxDays * DAY_MS;
  for (let start = from.getTime(); start < to.getTime(); start += step) {
    const end = Math.min(start + step, to.getTime());
    windows.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  }
  return windows;
}

/** The two halves of a refused window (split on a whole second), or null when it is already at `minDays`. */
export function splitWindow(window: SyncWindow, minDays: number): [SyncWindow, SyncWindow] | null {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (end - start <= minDays * DAY_MS * 2 - 1) return null;
  const middle = start + Math.floor((end - start) / 2 / 1000) * 1000;
  return [
    { start: window.start, end: new Date(middle).toISOString() },
    { start: new Date(middle).toISOString(), end: window.end },
  ];
}

/** `2025-01..2025-06`: a window as a step name shows it (the end month is the last one covered). */
export function windowLabel(window: SyncWindow): string {
  const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
  const first = month(Date.parse(window.start));
  const last = month(Date.parse(window.end) - 1);
  return first === last ? first : `${first}..${last}`;
}

/** "Jan-Jun 2025" or "Nov 2024-Feb 2025": the window in words for a seller. */
export function windowInWords(window: SyncWindow): string {
  const fmt = (ms: number, withYear: boolean) =>
    new Date(ms).toLocaleString("en-US", { month: "short", timeZone: "UTC", ...(withYear ? { year: "numeric" } : {}) });
  const start = Date.parse(window.start);
  const last = Date.parse(window.end) - 1;
  const sameYear = new Date(start).getUTCFullYear() === new Date(last).getUTCFullYear();
  if (fmt(start, true) === fmt(last, true)) return fmt(start, true);
  return sameYear ? `${fmt(start, false)}-${fmt(last, true)}` : `${fmt(start, true)}-${fmt(last, true)}`;
}

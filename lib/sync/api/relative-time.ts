// "2 minutes ago" for the data-source cards: the largest whole unit that fits (floored, so a pull
// 119 minutes ago reads "1 hour ago", never rounded up to a time that has not passed yet), written by
// Intl.RelativeTimeFormat in English. Under a minute, and a time in the future (clocks a little apart),
// read "just now"; no time at all reads "never".

const format = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "long" });

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Units from the largest down; a month is 30 days and a year 365 (close enough for "ago"). */
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * DAY],
  ["month", 30 * DAY],
  ["day", DAY],
  ["hour", HOUR],
  ["minute", MINUTE],
];

/** How long before `now` the instant `then` was, in words: "3 hours ago", "just now", "never". */
export function timeAgo(then: Date | null | undefined, now: Date): string {
  if (!then) return "never";
  const elapsed = now.getTime() - then.getTime();
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return format.format(-Math.floor(elapsed / size), unit);
  }
  return "just now";
}

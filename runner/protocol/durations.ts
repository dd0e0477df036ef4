// Durations as the SDK writes them ("1s", "2h30m10s", "1.5d") or ISO instants (sleepUntil, and
// retry-after headers given as dates).

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds in a duration string; throws on anything it cannot read so a bad op fails loudly. */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  let total = 0;
  let consumed = "";
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? 0);
    consumed += match[0];
  }
  if (consumed.length === 0 || consumed.length !== trimmed.length) throw new Error(`Cannot read duration "${text}"`);
  return total;
}

/** When a Sleep op ends: its `name` (or the older `opts.duration`) is a duration or an ISO instant. */
export function sleepEndsAt(value: string, now: Date): Date {
  if (looksLikeInstant(value)) return new Date(Date.parse(value));
  return new Date(now.getTime() + parseDurationMs(value));
}

/** `retry-after` holds seconds or an HTTP/ISO date. Returns a delay in ms, or null when absent/unreadable. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function looksLikeInstant(value: string): boolean {
  return value.length >= 10 && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}

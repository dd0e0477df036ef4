// The incremental sync's schedule: SYNC_CRON (Inngest's cron syntax, optional `TZ=<zone> ` prefix),
// read with croner, the library the embedded runner evaluates crons with.
import { Cron } from "croner";

function parse(expression: string): { pattern: string; timezone?: string } {
  const match = /^TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  return match ? { pattern: (match[2] ?? "").trim(), timezone: match[1] } : { pattern: expression.trim() };
}

/**
 * The longest gap between two runs of the schedule over the week after `from` (a schedule can be
 * uneven: "0 9,21 * * *"): data older than twice this is stale. Throws on an expression croner rejects.
 */
export function cronPeriodMs(expression: string, from = new Date(Date.UTC(2026, 0, 5))): number {
  const { pattern, timezone } = parse(expression);
  const cron = new Cron(pattern, { timezone, paused: true });
  const until = from.getTime() + 7 * 86_400_000;
  let previous = cron.nextRun(from);
  if (!previous) throw new Error(`Cron "${expression}" never runs`);
  let longest = 0;
  for (let i = 0; i < 10_000; i++) {
    const next = cron.nextRun(previous);
    if (!next) break;
    longest = Math.max(longest, next.getTime() - previous.getTime());
    if (next.getTime() > until) break;
    previous = next;
  }
  if (longest === 0) throw new Error(`Cron "${expression}" runs only once`);
  return longest;
}

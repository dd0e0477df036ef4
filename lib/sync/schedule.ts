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

/** The incremental sync requests of one cron tick, in batches sent minutes apart (see spreadPlan). */
export interface ScheduledBatch {
  /** Milliseconds after the tick this batch is sent. */
  atMs: number;
  sellerConnectionIds: string[];
}

/**
 * Spreads one tick's sellers over a quarter of the schedule's period, at most 30 minutes, in at most
 * 30 batches: sellers do not all call Amazon in the same minute. The order is by a hash of the id, so
 * a seller keeps its place from tick to tick and no one is always first.
 */
export function spreadPlan(sellerConnectionIds: readonly string[], periodMs: number): ScheduledBatch[] {
  if (sellerConnectionIds.length === 0) return [];
  const spanMs = Math.min(30 * 60_000, Math.floor(periodMs / 4));
  const batches = Math.min(30, sellerConnectionIds.length);
  const ordered = [...sellerConnectionIds].sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : a > b ? 1 : 0));
  const plan: ScheduledBatch[] = [];
  for (let i = 0; i < batches; i++) {
    const ids = ordered.filter((_, j) => j % batches === i);
    plan.push({ atMs: Math.round((spanMs * i) / batches), sellerConnectionIds: ids });
  }
  return plan;
}

function hash(value: string): number {
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619) >>> 0;
  return h;
}

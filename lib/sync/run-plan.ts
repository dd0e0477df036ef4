// The units of work of one sync, as data: every source of the plan cut into the windows the sync asks
// Amazon for. A historical sync reaches `historyDays` back; the incremental sync (next issue) passes
// its own start per source. Pure: the run's tasks are written from this in one transaction.
import { planByPriority, type PlanEntry } from "./plan";
import { planWindows } from "./windows";

export interface PlannedTask {
  source: string;
  /** ISO [start, end); start null for snapshots and the listing of listed reports (end = the run's end instant). */
  windowStart: string | null;
  windowEnd: string;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Where a sync's windows end: a whole minute, a few minutes back from Amazon's now. Finances refuse a
 * PostedBefore within 2 minutes of now; reports accept up to now; one end for all keeps windows aligned.
 */
export function syncEnd(nowMs: number): Date {
  return new Date(Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS);
}

export interface RunPlanInput {
  nowMs: number;
  historyDays: number;
  /** Per source: start here instead of `historyDays` back (incremental syncs). */
  startFor?: (entry: PlanEntry) => Date | undefined;
  /** Only these sources (default: all). */
  sources?: readonly string[];
}

export function planRunTasks(input: RunPlanInput): PlannedTask[] {
  const end = syncEnd(input.nowMs);
  const tasks: PlannedTask[] = [];
  for (const entry of planByPriority()) {
    if (input.sources && !input.sources.includes(entry.source)) continue;
    switch (entry.kind) {
      case "report":
      case "api": {
        const depth = Math.min(entry.historyDays, input.historyDays);
        const defaultStart = new Date(end.getTime() - depth * DAY_MS);
        const start = input.startFor?.(entry) ?? defaultStart;
        const from = start < defaultStart ? defaultStart : start;
        for (const window of planWindows(from, end, entry.maxWindowDays)) {
          tasks.push({ source: entry.source, windowStart: window.start, windowEnd: window.end });
        }
        break;
      }
      case "listed-report":
      case "snapshot-report":
      case "snapshot-api":
        // No window: the listing of a listed report (each report found becomes a task of its own, with
        // its own window) or a snapshot taken at the run's end instant.
        tasks.push({ source: entry.source, windowStart: null, windowEnd: end.toISOString() });
        break;
    }
  }
  return tasks;
}

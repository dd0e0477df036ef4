// Early detection during a historical sync: a seller should not wait for the whole 18 months of every
// source before the first findings appear. A rule can run as soon as every source it needs is fully
// in for this sync (every window of the source done or empty, none failed, skipped or still open);
// it then runs over those sources' complete history while the slower ones (financial events above all)
// still download. The final full pass at the end of the sync still runs every rule (seed 004's flow).
//
// A rule waits for the final pass when a source it needs failed, was skipped or is not in this sync's
// plan: a loss looked for before its reimbursements are in would be a false finding.
import { db as appDb, type Db } from "../db";
import { supportedRules } from "./rules";

/** Task statuses that mean the window's data is stored (empty: Amazon had none for it). */
const COMPLETE = new Set(["done", "empty"]);

export interface EarlyReadiness {
  /** Sources whose every task in the run is done or empty. */
  completeSources: string[];
  /** Supported rules whose every required source is complete, in catalogue order. */
  readyRuleIds: string[];
}

/** Which rules may run now on a running historical sync's complete sources. Idempotent: a pure read. */
export async function earlyDetectionReadiness(syncRunId: string, db: Db = appDb): Promise<EarlyReadiness> {
  // An incremental sync is short: its one detection pass at the end is soon enough.
  const run = await db.syncRun.findUnique({ where: { id: syncRunId }, select: { kind: true, status: true } });
  if (!run || run.kind !== "historical" || run.status !== "running") return { completeSources: [], readyRuleIds: [] };
  const tasks = await db.syncTask.groupBy({ by: ["source", "status"], where: { syncRunId }, _count: { _all: true } });
  const bySource = new Map<string, boolean>();
  for (const row of tasks) bySource.set(row.source, (bySource.get(row.source) ?? true) && COMPLETE.has(row.status));
  const complete = new Set([...bySource].filter(([, ok]) => ok).map(([source]) => source));
  return {
    completeSources: [...complete].sort(),
    readyRuleIds: supportedRules()
      .filter((rule) => rule.requires.every((source) => complete.has(source)))
      .map((rule) => rule.id),
  };
}

/** The event id of a rule's early run for a sync: one per (sync, rule), so a rule never runs early twice. */
export function earlyDetectionEventId(syncRunId: string, ruleId: string): string {
  return `detection-early:${syncRunId}:${ruleId}`;
}

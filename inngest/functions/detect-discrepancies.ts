// Detection for one seller: after every sync (sync-seller invokes it with the run's id) and on demand
// (`detection/requested`). One step plans the run (Amazon's clock, the mode, for an incremental run the
// instant synced rows count as new and the keys they touched), one step per rule runs it over the ledger in the database, a last
// step writes the open findings to the sync run. Steps return counts, never rows. One run per seller at
// a time. Input: { sellerConnectionId, syncRunId?, mode?, ruleIds? } (inngest/events.ts
// detectionRequested); ruleIds: a historical sync's early run of the rules whose sources are in.
import { inngest, amazonDisconnected, detectionRequested } from "../client";
import { planDetection, recordDetection } from "@/lib/detection/plan";
import { runDetectionRule, type RuleRun } from "@/lib/detection/run-detection";

export interface DetectDiscrepanciesResult {
  sellerConnectionId: string;
  mode: "full" | "incremental";
  syncRunId: string | null;
  found: number;
  updated: number;
  resolved: number;
  setAside: number;
  openFindings: number;
  byRule: Record<string, RuleRun>;
}

export const detectDiscrepancies = inngest.createFunction(
  {
    id: "detect-discrepancies",
    retries: 3,
    triggers: [detectionRequested],
    concurrency: [{ key: "event.data.sellerConnectionId", limit: 1 }],
    cancelOn: [{ event: amazonDisconnected, match: "data.sellerConnectionId" }],
  },
  async ({ event, step }): Promise<DetectDiscrepanciesResult | { skipped: string }> => {
    const { sellerConnectionId } = event.data;
    const plan = await step.run("plan-detection", () => planDetection({ sellerConnectionId, syncRunId: event.data.syncRunId, mode: event.data.mode, ruleIds: event.data.ruleIds }));
    if ("skipped" in plan) return { skipped: plan.skipped };
    const result: DetectDiscrepanciesResult = { sellerConnectionId, mode: plan.mode, syncRunId: plan.syncRunId, found: 0, updated: 0, resolved: 0, setAside: 0, openFindings: 0, byRule: {} };
    for (const ruleId of plan.ruleIds) {
      const run = await step.run(`detect:${ruleId}`, () =>
        runDetectionRule({ sellerConnectionId, ruleId, mode: plan.mode, now: new Date(plan.now), since: plan.since ? new Date(plan.since) : undefined, scope: plan.scope }),
      );
      result.byRule[ruleId] = run;
      if (run.ran) {
        result.found += run.found;
        result.updated += run.updated;
        result.resolved += run.resolved;
        result.setAside += run.setAside;
      }
    }
    const recorded = await step.run("record-detection", () => recordDetection(plan));
    result.openFindings = recorded.openFindings;
    return result;
  },
);

// The sync of one seller (historical after Connect Amazon, incremental from the cron): plan the run,
// fan out one child run per source (all in flight at once, so several report types are in progress
// together; the shared usage-plan buckets keep them within Amazon's limits), run the seller's
// detection over what arrived, then close the run with its findings' count.
// The parent holds only ids and counts: rows live in the database, never in step outputs.
import { inngest, amazonDisconnected, syncCancelled, syncCompleted, syncRequested } from "../client";
import { amazonTime } from "@/lib/sync/amazon-time";
import { failSource, finishSyncRun, noteDetectionWaiting } from "@/lib/sync/run-store";
import { startSync } from "@/lib/sync/start-sync";
import { withLogContext } from "@/lib/observability/logger";
import { lanesOf } from "@/lib/sync/plan";
import { dealLanes } from "@/lib/sync/engine/task-label";
import { detectDiscrepancies } from "./detect-discrepancies";
import { syncSource, type SyncSourceResult } from "./sync-source";

/** How long a sync waits for its detection before completing without the count. */
const DETECTION_TIMEOUT = "30m";

export const syncSeller = inngest.createFunction(
  {
    id: "sync-seller",
    retries: 3,
    triggers: [syncRequested],
    // One sync per seller at a time: a request while one runs is dropped (the API answers 409 first).
    singleton: { key: "event.data.sellerConnectionId", mode: "skip" },
    cancelOn: [
      { event: amazonDisconnected, match: "data.sellerConnectionId" },
      { event: syncCancelled, match: "data.sellerConnectionId" },
    ],
  },
  async ({ event, step }) => {
    const { sellerConnectionId, kind } = event.data;
    const started = await step.run("start-sync", () =>
      withLogContext({ sellerConnectionId, syncRunId: event.data.syncRunId }, () => startSync({ requestId: event.id ?? `${sellerConnectionId}:${kind}`, sellerConnectionId, kind, syncRunId: event.data.syncRunId, trigger: event.data.trigger, asOf: event.data.asOf })),
    );
    if ("skipped" in started) return { skipped: started.skipped };
    const { syncRunId } = started;

    // A source with lanes has its windows dealt round-robin to that many child runs (ids only).
    const laned = started.sources.filter((source) => lanesOf(source) > 1);
    const lanes: Record<string, string[][]> = laned.length > 0 ? await step.run("deal-lanes", () => dealLanes(syncRunId, laned)) : {};
    const children = started.sources.flatMap((source): { source: string; id: string; taskIds: string[] | undefined }[] =>
      lanes[source] ? lanes[source].map((taskIds, i) => ({ source, id: `sync-source:${source}:lane-${i + 1}`, taskIds })) : [{ source, id: `sync-source:${source}`, taskIds: undefined }],
    );
    const results = await Promise.all(
      children.map(({ source, id, taskIds }) =>
        step
          .invoke(id, { function: syncSource, data: { syncRunId, sellerConnectionId, source, ...(taskIds ? { taskIds } : {}) }, timeout: "7d" })
          .then((result) => ({ source, ok: true as const, result: result as SyncSourceResult }))
          .catch((error: unknown) => ({ source, ok: false as const, reason: error instanceof Error ? error.message : "failed" })),
      ),
    );
    for (const failed of results.filter((r) => !r.ok).filter((r, i, all) => all.findIndex((o) => o.source === r.source) === i)) {
      await step.run(`source-failed:${failed.source}`, () =>
        failSource(syncRunId, failed.source, `The ${failed.source} sync stopped: ${"reason" in failed ? failed.reason : ""}`.slice(0, 500)),
      );
    }

    // Seed 004: at 90 % the sync waits for its detection (bounded), then completes with the count.
    // Detection that fails or overruns never fails the sync: the findings come with the next run.
    await step.run("await-detection", () => noteDetectionWaiting(syncRunId));
    const detected = await step
      .invoke("detect-discrepancies", { function: detectDiscrepancies, data: { sellerConnectionId, syncRunId }, timeout: DETECTION_TIMEOUT })
      .then((result) => !(result && typeof result === "object" && "skipped" in result))
      .catch(() => false);
    const summary = await step.run("finish-sync", () =>
      withLogContext({ sellerConnectionId, syncRunId }, () => finishSyncRun(syncRunId, amazonTime().clock.now(), { detected })),
    );
    // What comes after a sync (detection) follows one that pulled data, not one stopped on the way.
    if (summary.status !== "cancelled") {
      await step.sendEvent(
        "announce-sync-completed",
        syncCompleted.create({ sellerConnectionId, syncRunId }, { id: `sync-completed:${syncRunId}` }),
      );
    }
    return { syncRunId, status: summary.status, failedTasks: summary.failedTasks.length };
  },
);

// The incremental sync: on SYNC_CRON (every 6 hours by default), one `sync/requested` per connected
// seller, in batches minutes apart so sellers do not all call Amazon at once. Each sync reads every
// source from its watermark minus the restatement overlap (lib/sync/start-sync.ts). First it ends
// syncs that stopped moving, so a lost run never blocks a seller. Served only with
// ENABLE_BACKGROUND_SYNC (inngest/functions/index.ts).
import { inngest, syncRequested } from "../client";
import { syncSchedule } from "@/lib/env";
import { syncRunIdFor } from "@/lib/sync/run-store";
import { cronPeriodMs, spreadPlan } from "@/lib/sync/schedule";
import { connectedSellerIds, endStalledSyncs } from "@/lib/sync/start-sync";

export const syncCron = inngest.createFunction(
  { id: "sync-cron", triggers: [{ cron: syncSchedule().SYNC_CRON }], singleton: { mode: "skip" } },
  async ({ event, step }) => {
    // The tick's event id is the same on every replay and retry: so are the requests made from it.
    const tick = await step.run("tick", () => event.id ?? `tick-${Date.now()}`);
    const stalled = await step.run("end-stalled-syncs", () => endStalledSyncs());
    const sellers = await step.run("list-connected-sellers", () => connectedSellerIds());
    const plan = spreadPlan(sellers, cronPeriodMs(syncSchedule().SYNC_CRON));
    let waited = 0;
    for (const [i, batch] of plan.entries()) {
      if (batch.atMs > waited) {
        await step.sleep(`spread:${i + 1}`, batch.atMs - waited);
        waited = batch.atMs;
      }
      await step.sendEvent(
        `request-incremental-syncs:${i + 1}`,
        batch.sellerConnectionIds.map((sellerConnectionId) => {
          const id = `sync-requested:cron:${tick}:${sellerConnectionId}`;
          return syncRequested.create({ sellerConnectionId, kind: "incremental", trigger: "cron", syncRunId: syncRunIdFor(id) }, { id });
        }),
      );
    }
    return { sellers: sellers.length, batches: plan.length, stalledEnded: stalled.length };
  },
);

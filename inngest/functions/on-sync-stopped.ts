// A cancel or a disconnect stops the seller's sync functions at their next step boundary (cancelOn);
// this records it: the run ends `cancelled`, its unfinished tasks with it. Data already stored stays.
import { inngest, amazonDisconnected, syncCancelled } from "../client";
import { cancelRunningSyncs, SYNC_STOPPED_BY_DISCONNECT } from "@/lib/sync/run-store";

export const onSyncStopped = inngest.createFunction(
  { id: "on-sync-stopped", triggers: [syncCancelled, amazonDisconnected] },
  async ({ event, step }) => {
    const { sellerConnectionId } = event.data;
    const cancelled = event.name === "sync/cancelled" ? (event.data as { syncRunId: string; actor?: string }) : undefined;
    const ended = await step.run("mark-sync-cancelled", () =>
      cancelRunningSyncs(
        sellerConnectionId,
        cancelled?.actor ?? "system:inngest",
        cancelled ? "Sync cancelled" : SYNC_STOPPED_BY_DISCONNECT,
        cancelled?.syncRunId,
      ),
    );
    return { cancelled: ended };
  },
);

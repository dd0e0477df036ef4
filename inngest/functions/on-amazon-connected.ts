// When a seller connects Amazon (or reconnects), ask for their sync: the historical one until a
// history is in, an incremental one after a reconnect. A sync already running for the seller is left
// to finish (the database guard and the sync function's singleton skip the request).
import { inngest, amazonConnected, syncRequested } from "../client";
import { connectSyncRunId } from "@/lib/sync/connect-sync";
import { connectSyncKind } from "@/lib/sync/start-sync";

export const onAmazonConnected = inngest.createFunction(
  { id: "on-amazon-connected", triggers: [amazonConnected] },
  async ({ event, step }) => {
    const { sellerConnectionId } = event.data;
    const kind = await step.run(`choose-sync-kind:${sellerConnectionId}`, () => connectSyncKind(sellerConnectionId));
    // Derived from the trigger's own (deterministic) id: a re-run of this step after a crash, or a
    // repeated trigger, asks for the same sync, and Inngest drops the repeat. The callback computed
    // the same run id when it answered, so the seller's page already knows it.
    const triggerId = event.id ?? sellerConnectionId;
    const sent = await step.sendEvent(
      `request-sync:${sellerConnectionId}`,
      syncRequested.create({ sellerConnectionId, kind, trigger: "connect", syncRunId: connectSyncRunId(triggerId) }, { id: `sync-requested:connect:${triggerId}` }),
    );
    return { sellerConnectionId, kind, syncRequestedEventIds: sent.ids };
  },
);

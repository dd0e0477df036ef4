// When a seller connects Amazon, ask for their historical sync. The sync issue adds the sync
// function that reacts to `sync/requested`; this function stays the single entry point.
import { inngest, amazonConnected, syncRequested } from "../client";

export const onAmazonConnected = inngest.createFunction(
  { id: "on-amazon-connected", triggers: [amazonConnected] },
  async ({ event, step }) => {
    const { sellerConnectionId } = event.data;
    // Derived from the trigger's own (deterministic) id: a re-run of this step after a crash, or a
    // repeated trigger, asks for the same sync, and Inngest drops the repeat.
    const sent = await step.sendEvent(
      `request-historical-sync:${sellerConnectionId}`,
      syncRequested.create({ sellerConnectionId, kind: "historical" }, { id: `sync-requested:historical:${event.id ?? sellerConnectionId}` }),
    );
    return { sellerConnectionId, syncRequestedEventIds: sent.ids };
  },
);

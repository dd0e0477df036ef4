// The sweeper: every few minutes, resend the `amazon/connected` triggers that could not be sent when
// the seller connected (event API down or slow). Each keeps the id it was first sent under, so a
// trigger that did arrive after all is dropped by Inngest as a repeat.
import { amazonConnected, inngest } from "../client";
import { listPendingSyncTriggers, markSyncTriggerSent } from "@/lib/sellers/sync-trigger";
import { ensureEnvConnection } from "@/lib/sellers/env-connection";

export const RESEND_SYNC_TRIGGERS_CRON = "*/5 * * * *";

export const resendSyncTriggers = inngest.createFunction(
  { id: "resend-sync-triggers", triggers: [{ cron: RESEND_SYNC_TRIGGERS_CRON }], singleton: { mode: "skip" } },
  async ({ step }) => {
    // The self-authorized connection (AMAZON_SPAPI_REFRESH_TOKEN): its account may have signed up since start.
    await step.run("env-connection", async () => {
      const result = await ensureEnvConnection(async (data, { id }) => {
        await inngest.send(amazonConnected.create(data, { id }));
      });
      return result.state;
    });
    const pending = await step.run("find-pending-sync-triggers", () => listPendingSyncTriggers());
    if (pending.length === 0) return { resent: 0 };
    await step.sendEvent(
      "resend-amazon-connected",
      pending.map((trigger) => amazonConnected.create(trigger.data, { id: trigger.eventId })),
    );
    await step.run("mark-sync-triggers-sent", async () => {
      for (const trigger of pending) await markSyncTriggerSent(trigger.data.sellerConnectionId, new Date(trigger.connectedAt));
      return pending.length;
    });
    return { resent: pending.length };
  },
);

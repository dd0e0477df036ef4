// The product's Inngest events: one typed definition each (name + zod schema for `data`), used as
// triggers and to build events to send. The SDK validates incoming trigger data against these.
import { eventType } from "inngest";
import { z } from "zod";

export const amazonConnected = eventType("amazon/connected", {
  schema: z.object({ sellerConnectionId: z.string().min(1), userId: z.string().min(1) }),
});

export const amazonDisconnected = eventType("amazon/disconnected", {
  schema: z.object({ sellerConnectionId: z.string().min(1) }),
});

export const syncRequested = eventType("sync/requested", {
  schema: z.object({
    sellerConnectionId: z.string().min(1),
    kind: z.enum(["historical", "incremental"]),
    /** The run to create (a route that answers with the sync id first); default: derived from the event id. */
    syncRunId: z.string().min(1).optional(),
    /** Who or what asked: "connect", "cron", "fallback", "user:<id>". Default "connect" / "cron" by kind. */
    trigger: z.string().min(1).optional(),
    /** Pull data up to this instant instead of now (never later than now): a re-sync of a known span. */
    asOf: z.iso.datetime().optional(),
  }),
});

export const syncCompleted = eventType("sync/completed", {
  schema: z.object({ sellerConnectionId: z.string().min(1), syncRunId: z.string().min(1) }),
});

export const syncCancelled = eventType("sync/cancelled", {
  // The seller's id is what the sync functions' cancelOn matches (one sync per seller runs at a time).
  schema: z.object({ syncRunId: z.string().min(1), sellerConnectionId: z.string().min(1), actor: z.string().min(1).optional() }),
});

export const detectionRequested = eventType("detection/requested", {
  schema: z.object({
    sellerConnectionId: z.string().min(1),
    /** The sync run it follows: its kind picks the mode, and its claimsDetected is written at the end. */
    syncRunId: z.string().min(1).optional(),
    /** full: recheck everything; incremental: only what rows synced since the run's start can change. */
    mode: z.enum(["full", "incremental"]).optional(),
    /** Only these rules (ids such as "R01"): a historical sync's early runs (lib/detection/early.ts). */
    ruleIds: z.array(z.string().regex(/^R\d{2}$/)).min(1).optional(),
  }),
});

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
  schema: z.object({ sellerConnectionId: z.string().min(1), kind: z.enum(["historical", "incremental"]) }),
});

export const syncCompleted = eventType("sync/completed", {
  schema: z.object({ sellerConnectionId: z.string().min(1), syncRunId: z.string().min(1) }),
});

export const syncCancelled = eventType("sync/cancelled", {
  schema: z.object({ syncRunId: z.string().min(1) }),
});

export const detectionRequested = eventType("detection/requested", {
  schema: z.object({ sellerConnectionId: z.string().min(1) }),
});

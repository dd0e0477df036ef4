// The sync trigger sent when a seller connects: `amazon/connected`, with an id derived from the
// connection and the moment it was (re)connected. Inngest drops a repeated id, so sending it again
// (a retried step, the sweeper after a failed send, a double-clicked callback) starts one sync, not two;
// a later reconnect has a new connectedAt and so a new id.
import { log } from "../observability/logger";
import { db } from "../db";
import { withTimeout } from "../util/with-timeout";

export interface ConnectedEventData {
  sellerConnectionId: string;
  userId: string;
}

/** Sends `amazon/connected` with `data` under the event id `options.id`. */
export type NotifyConnected = (data: ConnectedEventData, options: { id: string }) => Promise<void>;

export function amazonConnectedEventId(sellerConnectionId: string, connectedAt: Date): string {
  return `amazon-connected:${sellerConnectionId}:${connectedAt.getTime()}`;
}

// The seller waits on the callback's redirect: an event API that does not answer quickly counts as
// down, and the sweeper sends the trigger later under the same id.
const TRIGGER_TIMEOUT_MS = 3000;

/** Sends the trigger; on failure marks it pending for the sweeper (inngest/functions/resend-sync-triggers.ts). */
export async function triggerSync(
  connection: { id: string; userId: string; connectedAt: Date },
  notifyConnected: NotifyConnected,
): Promise<boolean> {
  const data = { sellerConnectionId: connection.id, userId: connection.userId };
  try {
    await withTimeout(notifyConnected(data, { id: amazonConnectedEventId(connection.id, connection.connectedAt) }), TRIGGER_TIMEOUT_MS);
    await markSyncTriggerSent(connection.id, connection.connectedAt);
    return true;
  } catch (error) {
    log.warn({ sellerConnectionId: connection.id, error: (error as Error).name }, "Could not send amazon/connected; the sweeper will resend it");
    await db.sellerConnection.updateMany({
      where: { id: connection.id, connectedAt: connection.connectedAt, syncTriggerPendingAt: null },
      data: { syncTriggerPendingAt: new Date() },
    });
    return false;
  }
}

export interface PendingSyncTrigger {
  eventId: string;
  data: ConnectedEventData;
  /** ISO time of the connect the trigger belongs to (JSON-safe: it crosses an Inngest step boundary). */
  connectedAt: string;
}

/** Connected sellers whose trigger is still unsent, oldest first. */
export async function listPendingSyncTriggers(limit = 100): Promise<PendingSyncTrigger[]> {
  const rows = await db.sellerConnection.findMany({
    where: { status: "connected", syncTriggerPendingAt: { not: null } },
    orderBy: { syncTriggerPendingAt: "asc" },
    take: limit,
    select: { id: true, userId: true, connectedAt: true },
  });
  return rows.map((row) => ({
    eventId: amazonConnectedEventId(row.id, row.connectedAt),
    data: { sellerConnectionId: row.id, userId: row.userId },
    connectedAt: row.connectedAt.toISOString(),
  }));
}

/** Clears the pending mark of that connect only: a reconnect since then has its own trigger. */
export async function markSyncTriggerSent(sellerConnectionId: string, connectedAt: Date): Promise<void> {
  await db.sellerConnection.updateMany({
    where: { id: sellerConnectionId, connectedAt },
    data: { syncTriggerPendingAt: null },
  });
}

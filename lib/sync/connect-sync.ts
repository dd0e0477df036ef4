// The sync a connect starts has an id known the moment the seller comes back from Amazon: derived from
// the `amazon/connected` trigger's id (lib/sellers/sync-trigger.ts), which is derived from the
// connection and the time it was connected. The callback answers with it (seed 000's `jobId`) while
// the sync function creates the run under the same id.
import { amazonConnectedEventId } from "../sellers/sync-trigger";
import { db } from "../db";
import { runningSyncOf, syncRunIdFor } from "./run-store";

export function connectSyncRunId(amazonConnectedEventIdValue: string): string {
  return syncRunIdFor(`sync-requested:connect:${amazonConnectedEventIdValue}`);
}

/** The run id of the sync the connect at `connectedAt` starts. */
export function connectSyncRunIdFor(sellerConnectionId: string, connectedAt: Date): string {
  return connectSyncRunId(amazonConnectedEventId(sellerConnectionId, connectedAt));
}

/** Seed 000's answer to the OAuth callback: the sync the connect started (or the one already running). */
export async function connectJob(sellerConnectionId: string): Promise<{ jobId: string; status: "running"; message: string }> {
  const running = await runningSyncOf(sellerConnectionId);
  if (running) return { jobId: running, status: "running", message: "Amazon connected. Your sync is running." };
  const connection = await db.sellerConnection.findUniqueOrThrow({ where: { id: sellerConnectionId }, select: { connectedAt: true } });
  return { jobId: connectSyncRunIdFor(sellerConnectionId, connection.connectedAt), status: "running", message: "Amazon connected. Your sync has started." };
}

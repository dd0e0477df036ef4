// A seller who revokes our app in Seller Central (or whose authorization lapses) makes Login with
// Amazon refuse the refresh token (`invalid_grant`). The connection is then marked
// `reauthorization_required`: every sync function stops at its next unit (the step client refuses a
// connection that is not connected), the cron and the start routes pass it by, and the dashboard asks
// the seller to connect again. The data already stored stays, like a disconnect that keeps the data.
import { db } from "../db";
import { recordAudit } from "../sync/audit";

export const REAUTHORIZATION_MESSAGE = "Amazon no longer accepts this connection (the authorization was revoked or has expired). Connect your Amazon account again to sync.";

/**
 * Marks a connected seller `reauthorization_required`, once: the audit entry is written by the call
 * that changed the status; a second call (a retried step, a sibling lane) changes nothing. Returns
 * whether this call made the change.
 */
export async function markReauthorizationRequired(sellerConnectionId: string, details: { syncRunId?: string; actor?: string } = {}): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const changed = await tx.sellerConnection.updateMany({ where: { id: sellerConnectionId, status: "connected" }, data: { status: "reauthorization_required" } });
    if (changed.count === 0) return false;
    const connection = await tx.sellerConnection.findUniqueOrThrow({ where: { id: sellerConnectionId }, select: { userId: true } });
    await recordAudit(
      {
        actor: details.actor ?? "system:inngest",
        action: "seller.reauthorization_required",
        userId: connection.userId,
        sellerConnectionId,
        syncRunId: details.syncRunId ?? null,
        details: { reason: "refresh token refused by Login with Amazon (invalid_grant)" },
      },
      tx,
    );
    return true;
  });
}

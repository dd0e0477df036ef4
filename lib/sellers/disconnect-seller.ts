// Disconnect: the refresh token is erased at once and the connection stops syncing. The seller's data
// is kept (status `disconnected`) or deleted with the connection, as the user chose.
import { log } from "../observability/logger";
import { z } from "zod";
import { db } from "../db";
import { recordAudit } from "../sync/audit";
import type { OwnedSellerConnection } from "./get-seller-connection-or-throw";

export const disconnectSchema = z
  .object({
    // The UI asks the user to confirm; scripts must say so explicitly too.
    confirm: z.literal(true, { error: "must be true to disconnect" }),
    deleteData: z.boolean({ error: "must say whether to delete the seller's data" }),
  })
  .strict();

/** Disconnects a connection the caller owns (the route wrapper loaded it scoped to the user). */
export async function disconnectSeller(
  connection: Pick<OwnedSellerConnection, "id" | "userId">,
  input: z.infer<typeof disconnectSchema>,
  notifyDisconnected: (data: { sellerConnectionId: string }, options: { id: string }) => Promise<void>,
  now = new Date(),
): Promise<{ deleted: boolean }> {
  // The trail outlives the connection (it holds ids, not relations), so it is written either way.
  await recordAudit({
    actor: `user:${connection.userId}`,
    action: "seller.disconnected",
    userId: connection.userId,
    sellerConnectionId: connection.id,
    details: { deleteData: input.deleteData },
  });
  if (input.deleteData) {
    await db.sellerConnection.delete({ where: { id: connection.id } });
  } else {
    await db.sellerConnection.update({
      where: { id: connection.id },
      data: { refreshTokenEncrypted: null, status: "disconnected", disconnectedAt: now, syncTriggerPendingAt: null },
    });
  }
  // Cancels running syncs (their cancelOn matches this event); scheduled syncs skip disconnected sellers.
  try {
    // One id per disconnect, so a retried send cancels once and is dropped as a repeat.
    await notifyDisconnected({ sellerConnectionId: connection.id }, { id: `amazon-disconnected:${connection.id}:${now.getTime()}` });
  } catch (error) {
    log.warn({ sellerConnectionId: connection.id, error: (error as Error).name }, "Could not send amazon/disconnected");
  }
  return { deleted: input.deleteData };
}

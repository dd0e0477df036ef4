// Disconnect: the refresh token is erased at once and the connection stops syncing. The seller's data
// is kept (status `disconnected`) or deleted with the connection, as the user chose.
import { z } from "zod";
import { ApiError } from "../api/errors";
import { db } from "../db";

export const disconnectSchema = z
  .object({
    // The UI asks the user to confirm; scripts must say so explicitly too.
    confirm: z.literal(true, { error: "must be true to disconnect" }),
    deleteData: z.boolean({ error: "must say whether to delete the seller's data" }),
  })
  .strict();

export async function disconnectSeller(
  userId: string,
  sellerConnectionId: string,
  input: z.infer<typeof disconnectSchema>,
  notifyDisconnected: (event: { sellerConnectionId: string }) => Promise<void>,
): Promise<{ deleted: boolean }> {
  const connection = await db.sellerConnection.findFirst({ where: { id: sellerConnectionId, userId }, select: { id: true } });
  // Another user's id looks exactly like a missing one.
  if (!connection) throw new ApiError("not_found", "No such Amazon connection.");

  if (input.deleteData) {
    await db.sellerConnection.delete({ where: { id: connection.id } });
  } else {
    await db.sellerConnection.update({
      where: { id: connection.id },
      data: { refreshTokenEncrypted: null, status: "disconnected", disconnectedAt: new Date(), syncTriggerPendingAt: null },
    });
  }
  // Cancels running syncs (their cancelOn matches this event); scheduled syncs skip disconnected sellers.
  try {
    await notifyDisconnected({ sellerConnectionId: connection.id });
  } catch (error) {
    console.warn(`Could not send amazon/disconnected for ${connection.id}: ${(error as Error).message}`);
  }
  return { deleted: input.deleteData };
}

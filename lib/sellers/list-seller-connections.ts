import { db } from "../db";

export interface SellerConnectionSummary {
  id: string;
  sellingPartnerId: string;
  region: string;
  marketplaceIds: string[];
  status: string;
  connectedAt: string;
  /** The sync trigger could not be sent yet; the app keeps retrying it. */
  syncPending: boolean;
}

/** The user's Amazon connections, newest first. Scoped to the user: never another seller's. */
export async function listSellerConnections(userId: string): Promise<SellerConnectionSummary[]> {
  const rows = await db.sellerConnection.findMany({
    where: { userId, status: { not: "disconnected" } },
    orderBy: { connectedAt: "desc" },
    select: {
      id: true,
      sellingPartnerId: true,
      region: true,
      marketplaceIds: true,
      status: true,
      connectedAt: true,
      syncTriggerPendingAt: true,
    },
  });
  return rows.map(({ syncTriggerPendingAt, ...row }) => ({
    ...row,
    connectedAt: row.connectedAt.toISOString(),
    syncPending: syncTriggerPendingAt !== null,
  }));
}

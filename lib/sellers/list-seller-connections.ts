import { db } from "../db";

export interface SellerConnectionSummary {
  id: string;
  sellingPartnerId: string;
  region: string;
  marketplaceIds: string[];
  status: string;
  connectedAt: string;
}

/** The user's Amazon connections, newest first. Scoped to the user: never another seller's. */
export async function listSellerConnections(userId: string): Promise<SellerConnectionSummary[]> {
  const rows = await db.sellerConnection.findMany({
    where: { userId, status: { not: "disconnected" } },
    orderBy: { connectedAt: "desc" },
    select: { id: true, sellingPartnerId: true, region: true, marketplaceIds: true, status: true, connectedAt: true },
  });
  return rows.map((row) => ({ ...row, connectedAt: row.connectedAt.toISOString() }));
}

import { ApiError } from "../api/errors";
import { db } from "../db";

export interface OwnedSellerConnection {
  id: string;
  userId: string;
  sellingPartnerId: string;
  region: string;
  marketplaceIds: string[];
  status: string;
}

/** The user's seller connection; another user's id is answered exactly like a missing one (404). */
export async function getSellerConnectionOrThrow(userId: string, sellerConnectionId: string): Promise<OwnedSellerConnection> {
  const connection = await db.sellerConnection.findFirst({
    where: { id: sellerConnectionId, userId },
    select: { id: true, userId: true, sellingPartnerId: true, region: true, marketplaceIds: true, status: true },
  });
  if (!connection) throw new ApiError("not_found", "No such Amazon connection.");
  return connection;
}

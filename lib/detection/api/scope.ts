// The detection a route names (`/api/detections/:id/...`), loaded scoped to the signed-in user before
// the handler runs: another user's detection is answered exactly like a missing one (404).
import { ApiError } from "../../api/errors";
import type { OwnedResource } from "../../api/route-wrappers";
import { db } from "../../db";

export interface OwnedDetection {
  id: string;
  sellerConnectionId: string;
  userId: string;
}

/** The user's detection; another user's id is a 404, exactly like a missing one. */
export async function getDetectionOrThrow(userId: string, detectionId: string): Promise<OwnedDetection> {
  const row = await db.detection.findFirst({
    where: { id: detectionId, sellerConnection: { userId } },
    select: { id: true, sellerConnectionId: true },
  });
  if (!row) throw new ApiError("not_found", "No such detection.");
  return { id: row.id, sellerConnectionId: row.sellerConnectionId, userId };
}

/** A route parameter naming a detection (`[id]`). */
export function detectionResource(param = "id"): OwnedResource<OwnedDetection> {
  return { param, load: getDetectionOrThrow, logContext: (row) => ({ sellerConnectionId: row.sellerConnectionId }) };
}

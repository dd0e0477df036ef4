// Which of the signed-in user's sellers a sync route is about, and the sync run a route names. Every
// sync route goes through these: a run or connection of another user is answered like a missing one.
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { resourceIdSchema, type OwnedResource } from "../../api/route-wrappers";
import { db } from "../../db";

export interface OwnedSyncRun {
  id: string;
  sellerConnectionId: string;
  userId: string;
  status: string;
  kind: string;
}

/** The user's sync run; another user's id is a 404, exactly like a missing one. */
export async function getSyncRunOrThrow(userId: string, syncRunId: string): Promise<OwnedSyncRun> {
  const run = await db.syncRun.findFirst({
    where: { id: syncRunId, sellerConnection: { userId } },
    select: { id: true, sellerConnectionId: true, status: true, kind: true, sellerConnection: { select: { userId: true } } },
  });
  if (!run) throw new ApiError("not_found", "No such sync.");
  return { id: run.id, sellerConnectionId: run.sellerConnectionId, userId: run.sellerConnection.userId, status: run.status, kind: run.kind };
}

/** A route parameter naming a sync run (`[syncId]`, seed 000/003's `[jobId]`). */
export function syncRunResource(param: "syncId" | "jobId"): OwnedResource<OwnedSyncRun> {
  // The route's log lines say which run and seller they are about.
  return { param, load: getSyncRunOrThrow, logContext: (run) => ({ syncRunId: run.id, sellerConnectionId: run.sellerConnectionId }) };
}

export const sellerScopeSchema = z.object({ sellerConnectionId: resourceIdSchema.optional() });

/**
 * The seller connections a route is about: the one named by `sellerConnectionId` (the user's own, or a
 * 404), otherwise every connection of the user that is not disconnected. `single` asks for exactly one:
 * with several and none named, the caller must say which (422).
 */
export async function sellerScope(userId: string, sellerConnectionId: string | undefined, options: { single?: boolean } = {}): Promise<string[]> {
  if (sellerConnectionId) {
    const found = await db.sellerConnection.findFirst({ where: { id: sellerConnectionId, userId }, select: { id: true } });
    if (!found) throw new ApiError("not_found", "No such Amazon connection.");
    return [found.id];
  }
  const connections = await db.sellerConnection.findMany({
    where: { userId, status: { not: "disconnected" } },
    orderBy: { connectedAt: "desc" },
    select: { id: true },
  });
  if (options.single && connections.length === 0) throw new ApiError("not_found", "Connect your Amazon account first.");
  if (options.single && connections.length > 1) {
    throw new ApiError("unprocessable_entity", "sellerConnectionId: you have several Amazon connections; say which one.");
  }
  return connections.map((c) => c.id);
}

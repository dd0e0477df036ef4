// Starting and cancelling a seller's sync from a route (seed 004's Start sync / Sync now / cancel).
// The run is created here, in the request, so the answer carries its syncId and a status request or
// an SSE stream for it works at once; the sync function then finds the run and works on it. One
// running sync per seller: the database's guard (SyncRun.activeFor) answers a second start with the
// running run, whichever app instance it reaches.
import { log } from "../../observability/logger";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { db } from "../../db";
import { cancelRunningSyncs, syncRunIdFor } from "../run-store";
import { connectSyncKind, startSync, type StartSyncResult } from "../start-sync";
import type { SyncKind } from "../run-store";

export const startSyncBodySchema = z
  .object({
    sellerConnectionId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "is not a valid id").optional(),
    /** Seed 003 sends the user's id along: it must be the caller's own (another id is a 404). */
    userId: z.string().min(1).max(64).optional(),
    /** `historical` re-reads the whole history; default: incremental once a history is in, historical before. */
    kind: z.enum(["historical", "incremental"]).optional(),
  })
  .strict();

export type StartSyncBody = z.infer<typeof startSyncBodySchema>;

export type SendSyncRequested = (
  data: { sellerConnectionId: string; kind: SyncKind; syncRunId: string; trigger: string },
  options: { id: string },
) => Promise<void>;

export type StartAnswer =
  | { started: true; syncId: string; kind: SyncKind; message: string }
  | { started: false; syncId: string; message: string };

/**
 * Starts a sync of a connection the caller owns, or names the one running (`started: false`, a 409 for
 * the route). The Inngest event carries the run id and an id derived from it: a retried send is one sync.
 * When the event cannot be sent, the run is removed again (nothing half-started stays) and the route
 * answers 503.
 */
export async function startSellerSync(
  connection: { id: string; userId: string; status: string },
  options: { kind?: SyncKind; trigger: string; force?: boolean },
  send: SendSyncRequested,
): Promise<StartAnswer> {
  if (connection.status !== "connected") throw new ApiError("conflict", "This Amazon account is not connected. Connect it again to sync.");
  const kind = options.kind ?? (options.force ? "historical" : await connectSyncKind(connection.id));
  const syncRunId = `sync_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const started: StartSyncResult = await startSync({ requestId: syncRunId, syncRunId, sellerConnectionId: connection.id, kind, trigger: options.trigger });
  if ("skipped" in started) {
    if ("runningSyncId" in started) return { started: false, syncId: started.runningSyncId, message: "A sync is already running for this account." };
    throw new ApiError("conflict", started.skipped);
  }
  try {
    await send({ sellerConnectionId: connection.id, kind, syncRunId, trigger: options.trigger }, { id: `sync-requested:${syncRunId}` });
  } catch {
    // The run would wait forever for a function that was never asked: take it back whole.
    await db.$transaction([db.auditLog.deleteMany({ where: { syncRunId } }), db.syncRun.delete({ where: { id: syncRunId } })]);
    throw new ApiError("service_unavailable", "The sync could not be started right now. Please try again in a minute.");
  }
  return {
    started: true,
    syncId: syncRunId,
    kind,
    message: kind === "historical" ? "Sync started: pulling 18 months of your Amazon data" : "Sync started: pulling what changed since the last sync",
  };
}

export type SendSyncCancelled = (data: { syncRunId: string; sellerConnectionId: string; actor: string }, options: { id: string }) => Promise<void>;

/**
 * Cancels a running sync the caller owns: the run ends `cancelled` now (its unfinished tasks with it, the
 * data already stored kept, watermarks moved as far as finished windows reach); the event stops its
 * functions at their next step boundary. A sync that already ended is a 409.
 */
export async function cancelSellerSync(
  run: { id: string; sellerConnectionId: string; userId: string; status: string },
  send: SendSyncCancelled,
): Promise<{ success: true; message: string }> {
  const actor = `user:${run.userId}`;
  const ended = await cancelRunningSyncs(run.sellerConnectionId, actor, "Sync cancelled by you", run.id);
  if (ended.length === 0) {
    const now = await db.syncRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
    throw new ApiError("conflict", `This sync already ended (${now.status}).`);
  }
  try {
    await send({ syncRunId: run.id, sellerConnectionId: run.sellerConnectionId, actor }, { id: `sync-cancelled:${run.id}` });
  } catch {
    // The run is cancelled in the database already: its steps see their tasks closed and stop there.
  }
  return { success: true, message: "Sync cancelled. The data pulled so far is kept; the next sync continues from there." };
}

/** How long after a connect the fallback waits for the connect's own sync to appear. */
export const FALLBACK_AFTER_MS = 2 * 60_000;

/**
 * The fallback trigger (seed 001): a page or endpoint that finds a connected seller with no sync ever
 * asks for one. Once per seller: the run id and the event id derive from the connection alone, so a
 * second load finds the run (and a repeated send is dropped). Never awaited by a page: callers fire it
 * and answer at once; it never throws.
 */
export async function startFirstSyncIfNone(userId: string, send: SendSyncRequested, now = new Date()): Promise<string[]> {
  try {
    // A connect's own trigger gets its chance first (it starts the sync within seconds, or the sweeper
    // resends it): only connections older than that, with no trigger pending, fall back.
    const neverSynced = await db.sellerConnection.findMany({
      where: { userId, status: "connected", syncRuns: { none: {} }, syncTriggerPendingAt: null, connectedAt: { lt: new Date(now.getTime() - FALLBACK_AFTER_MS) } },
      select: { id: true },
    });
    const started: string[] = [];
    for (const connection of neverSynced) {
      const requestId = `sync-requested:fallback:${connection.id}`;
      const syncRunId = syncRunIdFor(requestId);
      const run = await startSync({ requestId, syncRunId, sellerConnectionId: connection.id, kind: "historical", trigger: "fallback" });
      if ("skipped" in run || !run.created) continue;
      try {
        await send({ sellerConnectionId: connection.id, kind: "historical", syncRunId, trigger: "fallback" }, { id: requestId });
        started.push(syncRunId);
      } catch {
        await db.$transaction([db.auditLog.deleteMany({ where: { syncRunId } }), db.syncRun.delete({ where: { id: syncRunId } })]);
      }
    }
    return started;
  } catch (error) {
    log.warn({ userId, error: (error as Error).name }, "The fallback sync trigger failed");
    return [];
  }
}

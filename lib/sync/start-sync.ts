// Starting a sync from its request: the run id, its trigger, its windows (a historical sync reaches
// SYNC_HISTORY_DAYS back; an incremental one starts each source at its watermark minus an overlap,
// because Amazon restates recent data).
import { db } from "../db";
import { amazonTime } from "./amazon-time";
import { syncHistoryDays } from "./engine/sync-settings";
import type { PlanEntry } from "./plan";
import { cancelRunningSyncs, startSyncRun, syncRunIdFor, type StartedSync, type SyncAlreadyRunning, type SyncKind } from "./run-store";

const DAY_MS = 86_400_000;

/** How much of the recent past an incremental sync reads again (sp-api.md: finances 30 days, the ledger 90). */
export function restatementOverlapDays(entry: PlanEntry): number {
  if (entry.source === "financial-events") return 30;
  if (entry.source.startsWith("ledger-")) return 90;
  return 14;
}

export interface SyncRequest {
  requestId: string;
  sellerConnectionId: string;
  kind: SyncKind;
  syncRunId?: string;
  trigger?: string;
  /** ISO: windows end here instead of at Amazon's now (clamped to now). */
  asOf?: string;
}

export type StartSyncResult = StartedSync | SyncAlreadyRunning | { skipped: string };

/** Plans the run, or says why there is nothing to sync (the connection is gone or no longer connected). */
export async function startSync(request: SyncRequest): Promise<StartSyncResult> {
  const connection = await db.sellerConnection.findUnique({ where: { id: request.sellerConnectionId }, select: { status: true } });
  if (!connection) return { skipped: "The seller connection no longer exists" };
  if (connection.status !== "connected") return { skipped: `The seller connection is ${connection.status}` };
  const amazonNow = amazonTime().clock.now();
  const nowMs = request.asOf ? Math.min(amazonNow, Date.parse(request.asOf)) : amazonNow;
  let startFor: ((entry: PlanEntry) => Date | undefined) | undefined;
  if (request.kind === "incremental") {
    const states = await db.dataSourceState.findMany({ where: { sellerConnectionId: request.sellerConnectionId }, select: { source: true, watermark: true } });
    const watermarks = new Map(states.map((s) => [s.source, s.watermark]));
    startFor = (entry) => {
      const watermark = watermarks.get(entry.source);
      return watermark ? new Date(watermark.getTime() - restatementOverlapDays(entry) * DAY_MS) : undefined;
    };
  }
  return startSyncRun({
    syncRunId: request.syncRunId ?? syncRunIdFor(request.requestId),
    sellerConnectionId: request.sellerConnectionId,
    kind: request.kind,
    trigger: request.trigger ?? (request.kind === "historical" ? "connect" : "cron"),
    nowMs,
    historyDays: syncHistoryDays(),
    startFor,
  });
}

/** Connected sellers the incremental cron syncs (disconnected and revoked ones are left alone). */
export async function connectedSellerIds(): Promise<string[]> {
  const rows = await db.sellerConnection.findMany({ where: { status: "connected" }, select: { id: true }, orderBy: { id: "asc" } });
  return rows.map((r) => r.id);
}

/** What a (re)connect starts: the historical sync until one completed, then an incremental one. */
export async function connectSyncKind(sellerConnectionId: string): Promise<SyncKind> {
  const done = await db.syncRun.findFirst({ where: { sellerConnectionId, kind: "historical", status: "completed" }, select: { id: true } });
  return done ? "incremental" : "historical";
}

/** A run that has not moved for this long lost its function (a runner wiped, an event never delivered). */
export const STALLED_SYNC_MS = 6 * 3_600_000;

/**
 * Ends running syncs that stopped moving (no change for STALLED_SYNC_MS): cancelled, with what they
 * pulled kept, so the seller's next sync is not refused as "already running" forever.
 */
export async function endStalledSyncs(nowMs = Date.now()): Promise<string[]> {
  const stalled = await db.syncRun.findMany({
    where: { status: "running", updatedAt: { lt: new Date(nowMs - STALLED_SYNC_MS) } },
    select: { id: true, sellerConnectionId: true },
  });
  const ended: string[] = [];
  for (const run of stalled) {
    ended.push(...(await cancelRunningSyncs(run.sellerConnectionId, "system:cron", "Sync stopped responding; the next sync continues from the data it pulled", run.id, amazonTime().clock.now())));
  }
  return ended;
}

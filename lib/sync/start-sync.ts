// Starting a sync from its request: the run id, its trigger, its windows (a historical sync reaches
// SYNC_HISTORY_DAYS back; an incremental one starts each source at its watermark minus an overlap,
// because Amazon restates recent data).
import { db } from "../db";
import { amazonTime } from "./amazon-time";
import { syncHistoryDays } from "./engine/sync-settings";
import type { PlanEntry } from "./plan";
import { startSyncRun, syncRunIdFor, type StartedSync, type SyncKind } from "./run-store";

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

export type StartSyncResult = StartedSync | { skipped: string };

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

// The Server-Sent Events wire format of the progress streams (docs/sse.md): how one ProgressEvent row
// becomes seed 004's unnamed event (`eventSource.onmessage`) or seed 001's named event
// (`addEventListener('sync_progress', ...)`), and the frames around them (heartbeat comments, retry).
// Only what a seller reads leaves here: the run's status, progress and message, never SyncRun.error.

/** One row of the progress stream with what the events need of its run. */
export interface ProgressRow {
  /** ProgressEvent.id: monotonic, the SSE `id:` and the Last-Event-ID a browser resumes from. */
  id: bigint;
  syncRunId: string;
  sellerConnectionId: string;
  status: string;
  progress: number;
  message: string;
  /** SyncRun.claimsDetected (set by the sync's detection before the run's last event). */
  claimsDetected: number;
  at: Date;
}

/** Statuses after which a run writes no more events. */
export const FINAL_STATUSES = ["completed", "failed", "cancelled"] as const;

export function isFinal(row: Pick<ProgressRow, "status">): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(row.status);
}

/** How long a browser waits before reconnecting after the connection drops (sent once per stream). */
export const RETRY_MS = 3000;

/** A comment line: EventSource ignores it; it keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_FRAME = ": heartbeat\n\n";

/** The first frame of every stream: the reconnect delay, and a comment so proxies see bytes at once. */
export const OPENING_FRAME = `retry: ${RETRY_MS}\n: connected\n\n`;

/** One event frame. `data` is one line of JSON (JSON.stringify never emits a raw newline). */
export function eventFrame(id: bigint, data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Seed 004's `type` for a row of GET /api/sse/sync-progress/:syncId. */
export type SyncProgressType = "sync_progress" | "sync_complete" | "sync_error" | "sync_cancelled";

export interface SyncProgressData {
  type: SyncProgressType;
  syncId: string;
  progress: number;
  status: string;
  message: string;
  /** On sync_complete only: the discrepancies the sync's detection found. */
  claimsDetected?: number;
}

/** Seed 004's JSON for one row (unnamed events, so `onmessage` sees every one). */
export function syncProgressData(row: ProgressRow): SyncProgressData {
  const base = { syncId: row.syncRunId, progress: row.progress, status: row.status, message: row.message };
  switch (row.status) {
    case "completed":
      return { type: "sync_complete", ...base, claimsDetected: row.claimsDetected };
    case "failed":
      return { type: "sync_error", ...base };
    case "cancelled":
      return { type: "sync_cancelled", ...base };
    default:
      return { type: "sync_progress", ...base };
  }
}

export function syncProgressFrame(row: ProgressRow): string {
  return eventFrame(row.id, syncProgressData(row));
}

const encoder = new TextEncoder();
const progressBytes = new WeakMap<ProgressRow, Uint8Array>();
const statusBytes = new WeakMap<ProgressRow, Uint8Array>();

/**
 * A row's frame as bytes, made once per row however many streams send it: the hub hands the same row
 * object to every subscriber of its topic, so 1,000 browsers on one sync cost one JSON.stringify and
 * one encode per event, not 1,000. Streams only read the bytes.
 */
export function frameBytes(row: ProgressRow, kind: "progress" | "status"): Uint8Array {
  const cache = kind === "progress" ? progressBytes : statusBytes;
  let bytes = cache.get(row);
  if (!bytes) {
    bytes = encoder.encode(kind === "progress" ? syncProgressFrame(row) : statusFrame(row));
    cache.set(row, bytes);
  }
  return bytes;
}

/** Seed 001's event names on GET /api/sse/status. */
export type StatusEventName = "sync_progress" | "sync_completed" | "sync_error" | "notification";

/** Seed 001's named event for one row of any of the user's sellers. */
export function statusEvent(row: ProgressRow): { event: StatusEventName; data: Record<string, unknown> } {
  const base = {
    syncId: row.syncRunId,
    sellerConnectionId: row.sellerConnectionId,
    progress: row.progress,
    status: row.status,
    message: row.message,
    at: row.at.toISOString(),
  };
  switch (row.status) {
    case "completed":
      return { event: "sync_completed", data: { type: "sync_completed", ...base, claimsDetected: row.claimsDetected } };
    case "failed":
      return { event: "sync_error", data: { type: "sync_error", ...base } };
    case "cancelled":
      // A stop the seller (or a disconnect) asked for is news, not an error.
      return { event: "notification", data: { type: "notification", kind: "sync_cancelled", level: "info", ...base } };
    default:
      return { event: "sync_progress", data: { type: "sync_progress", ...base } };
  }
}

export function statusFrame(row: ProgressRow): string {
  const { event, data } = statusEvent(row);
  return eventFrame(row.id, data, event);
}

/** Headers of every stream: no caching, no transformation (compression buffers), no proxy buffering. */
export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-store, no-transform",
  connection: "keep-alive",
  // nginx (and proxies that follow it) would otherwise hold the events back until a buffer fills.
  "x-accel-buffering": "no",
};

"use client";
// Live progress of one sync: the server's stream (GET /api/sse/sync-progress/:syncId, unnamed
// `message` events, JSON), and when the stream cannot be had, polling GET /api/sync/status/:syncId.
// When the sync ends, every cache that depends on it is refreshed (status, history, data-source
// cards, the detection summary and results).
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SyncRunDetail } from "@/lib/client/types";
import { queryKeys } from "./query-keys";
import { useSyncRun } from "./queries";

/** One event of the sync-progress stream (docs/sse.md). */
export interface SyncProgressEvent {
  type: "sync_progress" | "sync_complete" | "sync_error" | "sync_cancelled";
  syncId: string;
  progress: number;
  status: string;
  message: string;
  claimsDetected?: number;
}

export type LiveTransport = "stream" | "polling" | "idle";

export interface SyncProgress {
  progress: number;
  status: string | null;
  message: string;
  claimsDetected: number | null;
  /** True once the sync has ended (completed, failed or cancelled). */
  done: boolean;
  /** How the numbers arrive: the server's stream, or polling after the stream failed. */
  transport: LiveTransport;
  /** The run's detail (sources, ETA, failed tasks), refreshed while it runs. */
  detail: SyncRunDetail | undefined;
}

const FINAL = new Set(["sync_complete", "sync_error", "sync_cancelled"]);

/** Refreshes every query a finished sync changes. */
export function invalidateAfterSync(client: QueryClient, syncId?: string): void {
  void client.invalidateQueries({ queryKey: queryKeys.syncStatus });
  void client.invalidateQueries({ queryKey: queryKeys.syncHistoryAll });
  void client.invalidateQueries({ queryKey: queryKeys.dataSources });
  void client.invalidateQueries({ queryKey: queryKeys.detections });
  void client.invalidateQueries({ queryKey: queryKeys.recoveries });
  if (syncId) void client.invalidateQueries({ queryKey: queryKeys.syncRun(syncId) });
}

export function useSyncProgress(syncId: string | null | undefined): SyncProgress {
  const client = useQueryClient();
  const [event, setEvent] = useState<SyncProgressEvent | null>(null);
  const [transport, setTransport] = useState<LiveTransport>("idle");
  // The detail: slow refresh while the stream carries the numbers, every 2 s when it does not.
  const run = useSyncRun(syncId, { pollMs: transport === "polling" ? 2_000 : 10_000 });
  const runEnded = run.data !== undefined && run.data.status !== "running";

  useEffect(() => {
    setEvent(null);
    if (!syncId) {
      setTransport("idle");
      return;
    }
    if (typeof EventSource === "undefined") {
      setTransport("polling");
      return;
    }
    let closed = false;
    let failures = 0;
    const source = new EventSource(`/api/sse/sync-progress/${encodeURIComponent(syncId)}`);
    const close = () => {
      closed = true;
      source.close();
    };
    source.onopen = () => {
      failures = 0;
      setTransport("stream");
    };
    source.onmessage = (message) => {
      let data: SyncProgressEvent;
      try {
        data = JSON.parse(message.data) as SyncProgressEvent;
      } catch {
        return;
      }
      if (data.syncId && data.syncId !== syncId) return;
      setEvent(data);
      if (FINAL.has(data.type)) {
        // The server closes the stream after the final event; EventSource would reconnect.
        close();
        setTransport("idle");
        invalidateAfterSync(client, syncId);
      }
    };
    source.onerror = () => {
      if (closed) return;
      failures += 1;
      // A refused stream (404, wrong type) is CLOSED at once; a flapping one gets two more tries.
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        close();
        setTransport("polling");
      }
    };
    return close;
  }, [syncId, client]);

  // Polling saw the end (or the stream was never needed): refresh what depends on it, once.
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    if (syncId && runEnded && settled !== syncId && transport !== "stream") {
      setSettled(syncId);
      if (event === null || !FINAL.has(event.type)) invalidateAfterSync(client, syncId);
    }
  }, [syncId, runEnded, settled, transport, event, client]);

  const detail = run.data;
  // The newer of the two: a stream event, or a detail fetched after it (its progress is never lower).
  const fromStream = event && (!detail || FINAL.has(event.type) || detail.status === "running" ? event : null);
  const status = fromStream ? statusOf(fromStream) : (detail?.status ?? null);
  const progress = Math.max(fromStream?.progress ?? 0, detail?.progress ?? 0, status === "completed" ? 100 : 0);
  return {
    progress,
    status,
    message: fromStream?.message ?? detail?.message ?? "",
    claimsDetected: fromStream?.claimsDetected ?? detail?.claimsDetected ?? null,
    done: status !== null && status !== "running",
    transport,
    detail,
  };
}

function statusOf(event: SyncProgressEvent): string {
  if (event.type === "sync_complete") return event.status && event.status !== "running" ? event.status : "completed";
  if (event.type === "sync_error") return "failed";
  if (event.type === "sync_cancelled") return "cancelled";
  return event.status || "running";
}

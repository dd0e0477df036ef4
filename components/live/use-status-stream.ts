"use client";
// The account-wide live feed (GET /api/sse/status, named events sync_progress, sync_completed,
// sync_error, notification) for every seller of the user: keeps the sync status cache current while
// a sync runs, and refreshes the caches a finished sync changes. Mounted once, in the app's header.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SyncStatusOverview } from "@/lib/client/types";
import { queryKeys } from "./query-keys";
import { invalidateAfterSync } from "./use-sync-progress";

/** The data of one status event (docs/sse.md). */
export interface StatusEvent {
  type: "sync_progress" | "sync_completed" | "sync_error" | "notification";
  syncId: string;
  sellerConnectionId: string;
  progress: number;
  status: string;
  message: string;
  at: string;
  claimsDetected?: number;
  kind?: string;
  level?: "info" | "warning" | "error";
}

export interface StatusStream {
  /** The stream is open. */
  connected: boolean;
  /** The newest sync_progress event of a running sync, null when none runs (as far as the stream knows). */
  active: StatusEvent | null;
  /** Syncs that ended and notifications, newest first (at most 10). */
  notifications: StatusEvent[];
}

const NAMES = ["sync_progress", "sync_completed", "sync_error", "notification"] as const;

export function useStatusStream(): StatusStream {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [active, setActive] = useState<StatusEvent | null>(null);
  const [notifications, setNotifications] = useState<StatusEvent[]>([]);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/sse/status");
    source.onopen = () => setConnected(true);
    source.onerror = () => {
      setConnected(false);
      // A refused stream (not signed in, not served) stays closed; the pages poll on their own.
      if (source.readyState === EventSource.CLOSED) source.close();
    };
    const onEvent = (message: MessageEvent<string>) => {
      let data: StatusEvent;
      try {
        data = JSON.parse(message.data) as StatusEvent;
      } catch {
        return;
      }
      if (data.type === "sync_progress" && data.status === "running") {
        setActive(data);
        const current = client.getQueryData<SyncStatusOverview>(queryKeys.syncStatus);
        if (current?.lastSync?.syncId === data.syncId) {
          client.setQueryData<SyncStatusOverview>(queryKeys.syncStatus, {
            hasActiveSync: true,
            lastSync: { ...current.lastSync, progress: data.progress, message: data.message, status: "running" },
          });
        } else {
          // A sync this page did not know of (the cron, another tab): read the status again.
          void client.invalidateQueries({ queryKey: queryKeys.syncStatus });
        }
        return;
      }
      setActive((previous) => (previous?.syncId === data.syncId ? null : previous));
      setNotifications((previous) => [data, ...previous.filter((n) => !(n.syncId === data.syncId && n.type === data.type))].slice(0, 10));
      invalidateAfterSync(client, data.syncId);
    };
    for (const name of NAMES) source.addEventListener(name, onEvent as EventListener);
    return () => source.close();
  }, [client]);

  return { connected, active, notifications };
}

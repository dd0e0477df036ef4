"use client";
// "Sync now": starts an incremental sync of each of the seller's connections (POST /api/sync/start).
// While a sync runs the button is disabled and says why; a 409 (one started elsewhere meanwhile)
// attaches to that sync instead of failing.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { useSyncStatus } from "@/components/live/queries";
import { queryKeys } from "@/components/live/query-keys";
import { ApiRequestError, apiFetch } from "@/lib/client/api";
import type { SyncStartAnswer } from "@/lib/client/types";

export function useStartSync(connectionIds: readonly string[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<string[]> => {
      const ids = connectionIds.length > 1 ? connectionIds : [undefined];
      const started: string[] = [];
      for (const sellerConnectionId of ids) {
        try {
          const answer = await apiFetch<SyncStartAnswer>("/api/sync/start", { method: "POST", json: sellerConnectionId ? { sellerConnectionId } : {} });
          started.push(answer.syncId);
        } catch (error) {
          // Already running: that sync is the one to watch.
          const syncId = error instanceof ApiRequestError && error.status === 409 ? (error.body as { syncId?: string } | null)?.syncId : undefined;
          if (!syncId) throw error;
          started.push(syncId);
        }
      }
      return started;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.syncStatus });
      void client.invalidateQueries({ queryKey: queryKeys.syncHistoryAll });
    },
  });
}

export function SyncNowButton({ connectionIds, label = "Sync now", variant = "primary", size = "md" }: { connectionIds: readonly string[]; label?: string; variant?: ButtonVariant; size?: ButtonSize }) {
  const status = useSyncStatus();
  const start = useStartSync(connectionIds);
  const reasonId = useId();
  const running = status.data?.hasActiveSync === true;
  const reason = connectionIds.length === 0 ? "Connect Amazon first." : running ? `A sync is running (${status.data?.lastSync?.progress ?? 0}%).` : null;
  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <Button
        variant={variant}
        size={size}
        loading={start.isPending}
        disabled={reason !== null || status.isPending}
        aria-describedby={reason || start.error ? reasonId : undefined}
        onClick={() => start.mutate()}
      >
        {running ? "Sync running…" : label}
      </Button>
      <p id={reasonId} aria-live="polite" className="text-xs text-slate-500">
        {start.error ? <span className="text-red-700">{start.error.message}</span> : reason}
      </p>
    </div>
  );
}

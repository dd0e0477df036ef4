"use client";
// The dashboard's reads, each a TanStack Query hook over one API route. While a sync runs the status
// and the cards refresh on their own; the live hooks (use-sync-progress, use-status-stream) make the
// rest refresh the moment it ends.
import { useQuery } from "@tanstack/react-query";
import { apiFetch, query } from "@/lib/client/api";
import type { DataSourcesHealth, DetectionSummary, SellerConnectionItem, SyncHistory, SyncRunDetail, SyncStatusOverview } from "@/lib/client/types";
import { queryKeys } from "./query-keys";

/**
 * The running (or newest) sync. A sync can start without this page (the cron, another tab, the first
 * sync after connecting): it looks every 4 s while one runs, and while none ever ran when
 * `awaitFirst` (a connected seller's page), every 30 s otherwise.
 */
export function useSyncStatus(options: { awaitFirst?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.syncStatus,
    queryFn: ({ signal }) => apiFetch<SyncStatusOverview>("/api/sync/status", { signal }),
    refetchInterval: (q) => (q.state.data?.hasActiveSync || (options.awaitFirst && q.state.data && !q.state.data.lastSync) ? 4_000 : 30_000),
  });
}

export function useSyncRun(syncId: string | null | undefined, options: { pollMs?: number | false } = {}) {
  return useQuery({
    queryKey: queryKeys.syncRun(syncId ?? "none"),
    queryFn: ({ signal }) => apiFetch<SyncRunDetail>(`/api/sync/status/${encodeURIComponent(syncId!)}`, { signal }),
    enabled: Boolean(syncId),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : (options.pollMs ?? 10_000)),
  });
}

export function useSyncHistory(limit: number, offset: number) {
  return useQuery({
    queryKey: queryKeys.syncHistory(limit, offset),
    queryFn: ({ signal }) => apiFetch<SyncHistory>(`/api/sync/history${query({ limit, offset })}`, { signal }),
    placeholderData: (previous) => previous,
  });
}

export function useDataSources(options: { syncing?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.dataSources,
    queryFn: ({ signal }) => apiFetch<DataSourcesHealth>("/api/sync/data-sources/health", { signal }),
    refetchInterval: options.syncing ? 10_000 : 60_000,
  });
}

export function useDetectionSummary() {
  return useQuery({
    queryKey: queryKeys.detectionSummary,
    queryFn: ({ signal }) => apiFetch<DetectionSummary>("/api/detections/summary", { signal }),
  });
}

export function useConnections(initial?: SellerConnectionItem[]) {
  return useQuery({
    queryKey: queryKeys.connections,
    queryFn: ({ signal }) => apiFetch<{ connections: SellerConnectionItem[] }>("/api/amazon/connections", { signal }).then((a) => a.connections),
    initialData: initial,
  });
}

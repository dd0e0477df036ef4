"use client";
// The Sync page (seed 004): start a sync (disabled, with the reason, while one runs), watch it live
// with each source's progress, cancel it, and page through the history. Opening the page when no
// sync ever ran starts the first one (the server's fallback does the same after a page load).
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/alert";
import { formatCount } from "@/components/ui/money";
import { LoadingRows } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LocalTime, formatDuration } from "@/components/ui/time";
import { useSyncHistory, useSyncStatus } from "@/components/live/queries";
import { kindLabel, syncStatusLabel } from "./labels";
import { SyncNowButton, useStartSync } from "./sync-now-button";
import { SyncProgressPanel } from "./sync-progress-panel";
import { useWatchedSync } from "./use-watched-sync";

const PAGE_SIZE = 10;

export function SyncPage({ connectionIds }: { connectionIds: string[] }) {
  const status = useSyncStatus({ awaitFirst: connectionIds.length > 0 });
  const autoStart = useStartSync(connectionIds);
  const [autoStarted, setAutoStarted] = useState<string | null>(null);
  const asked = useRef(false);

  // Seed 004: the page starts the first sync itself when none ever ran.
  useEffect(() => {
    if (asked.current || connectionIds.length === 0 || !status.data || status.data.lastSync !== null) return;
    asked.current = true;
    autoStart.mutate(undefined, { onSuccess: (ids) => setAutoStarted(ids[0] ?? null) });
  }, [status.data, connectionIds.length, autoStart]);

  const watched = useWatchedSync(status.data, autoStarted);
  const lastSync = status.data?.lastSync ?? null;

  return (
    <div className="space-y-6">
      <Card
        id="current-sync"
        title="Current sync"
        description="Pulls your Amazon reports and finances into your ledger, then looks for money Amazon owes you."
        actions={<SyncNowButton connectionIds={connectionIds} label={lastSync ? "Sync now" : "Start sync"} />}
      >
        {status.isPending ? (
          <LoadingRows rows={2} label="Loading the sync" />
        ) : status.error ? (
          <ErrorState message={status.error.message} onRetry={() => void status.refetch()} />
        ) : connectionIds.length === 0 ? (
          <EmptyState title="No Amazon account connected" description="Connect Amazon on the Overview to sync your data." />
        ) : watched ? (
          <SyncProgressPanel syncId={watched} variant="full" />
        ) : lastSync ? (
          <p className="text-sm text-slate-600">
            No sync is running. The last one {syncStatusLabel(lastSync.status).label.toLowerCase()} — it started <LocalTime iso={lastSync.startedAt} />.
          </p>
        ) : autoStart.error ? (
          <ErrorState message={autoStart.error.message} onRetry={() => autoStart.mutate(undefined, { onSuccess: (ids) => setAutoStarted(ids[0] ?? null) })} />
        ) : (
          <EmptyState title="Starting your first sync…" description="It reads 18 months of your Amazon data; this page shows its progress as it goes." />
        )}
      </Card>
      <SyncHistoryCard />
    </div>
  );
}

function SyncHistoryCard() {
  const [offset, setOffset] = useState(0);
  const history = useSyncHistory(PAGE_SIZE, offset);
  const total = history.data?.total ?? 0;
  const rows = history.data?.history ?? [];
  return (
    <Card id="history" title="History" description="Every sync of your accounts, newest first" padding="none">
      {history.isPending ? (
        <LoadingRows rows={4} label="Loading the history" />
      ) : history.error ? (
        <div className="p-5">
          <ErrorState message={history.error.message} onRetry={() => void history.refetch()} />
        </div>
      ) : total === 0 ? (
        <EmptyState title="No syncs yet" description="Your syncs will be listed here with how long they took and what they found." />
      ) : (
        <>
          <Table caption="Sync history" data-testid="sync-history">
            <TableHead>
              <tr>
                <TableHeader>Started</TableHeader>
                <TableHeader>Type</TableHeader>
                <TableHeader>Status</TableHeader>
                <TableHeader align="right">Duration</TableHeader>
                <TableHeader align="right">Order rows</TableHeader>
                <TableHeader align="right">Claims</TableHeader>
                <TableHeader>Error</TableHeader>
              </tr>
            </TableHead>
            <TableBody>
              {rows.map((run) => {
                const badge = syncStatusLabel(run.status);
                return (
                  <TableRow key={run.syncId} data-testid="history-row">
                    <TableCell className="whitespace-nowrap">
                      <LocalTime iso={run.startedAt} />
                    </TableCell>
                    <TableCell className="whitespace-nowrap">{kindLabel(run.kind)}</TableCell>
                    <TableCell>
                      <Badge tone={badge.tone} dot pulse={run.status === "running"}>
                        {badge.label}
                      </Badge>
                    </TableCell>
                    <TableCell align="right" className="whitespace-nowrap">
                      {run.status === "running" ? "running" : formatDuration(run.duration)}
                    </TableCell>
                    <TableCell align="right">{formatCount(run.ordersProcessed)}</TableCell>
                    <TableCell align="right">{run.status === "running" ? "—" : formatCount(run.claimsDetected)}</TableCell>
                    <TableCell className="max-w-xs text-xs text-red-700">{run.error ?? <span className="text-slate-500">—</span>}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <nav aria-label="History pages" className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm text-slate-600">
            <span aria-live="polite">
              {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total}
            </span>
            <div className="flex gap-2">
              <Button variant="secondary" size="sm" disabled={offset === 0 || history.isFetching} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                Newer
              </Button>
              <Button variant="secondary" size="sm" disabled={offset + PAGE_SIZE >= total || history.isFetching} onClick={() => setOffset(offset + PAGE_SIZE)}>
                Older
              </Button>
            </div>
          </nav>
        </>
      )}
    </Card>
  );
}

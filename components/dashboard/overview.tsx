"use client";
// The Overview's live part: the banner, the sync (live while it runs, else the last one), what is
// recoverable, claims by type, claims expiring soon and the data sources at a glance.
import Link from "next/link";
import { Card, Stat } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/alert";
import { formatMoney } from "@/components/ui/money";
import { LoadingRows, Skeleton } from "@/components/ui/skeleton";
import { Badge } from "@/components/ui/badge";
import { LocalTime, RelativeTime } from "@/components/ui/time";
import { useDataSources, useDetectionSummary, useSyncStatus } from "@/components/live/queries";
import { ClaimsByTypeChart, claimsByType } from "./claims-by-type-chart";
import { ExpiringSoon } from "./expiring-soon";
import { syncStatusLabel } from "./labels";
import { SourceCard } from "./source-card";
import { SyncNowButton } from "./sync-now-button";
import { SyncProgressPanel } from "./sync-progress-panel";
import { SystemBanner } from "./system-banner";
import { useWatchedSync } from "./use-watched-sync";

export function Overview({ connectionIds }: { connectionIds: string[] }) {
  const status = useSyncStatus({ awaitFirst: connectionIds.length > 0 });
  const sources = useDataSources({ syncing: status.data?.hasActiveSync });
  const summary = useDetectionSummary();
  const lastSync = status.data?.lastSync ?? null;
  const watched = useWatchedSync(status.data);
  const currency = summary.data?.currency ?? "USD";

  return (
    <div className="space-y-6">
      <SystemBanner status={status.data} sources={sources.data} summary={summary.data} loading={status.isPending || sources.isPending} />

      <Card
        id="sync"
        title="Sync"
        description={lastSync ? <>Last sync started <RelativeTime iso={lastSync.startedAt} /></> : "Your Amazon data, pulled into your ledger."}
        actions={
          <>
            <Link href="/sync" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              History
            </Link>
            <SyncNowButton connectionIds={connectionIds} size="sm" />
          </>
        }
      >
        {status.isPending ? (
          <div className="space-y-3" aria-busy="true">
            <span className="sr-only">Loading the sync…</span>
            <Skeleton className="h-3 w-full" />
            <Skeleton className="h-4 w-1/2" />
          </div>
        ) : status.error ? (
          <ErrorState message={status.error.message} onRetry={() => void status.refetch()} />
        ) : !lastSync ? (
          <EmptyState title="No sync yet" description="The first sync reads 18 months of your Amazon data. It starts on its own a minute after you connect, or now with Sync now." />
        ) : watched === lastSync.syncId ? (
          <SyncProgressPanel syncId={lastSync.syncId} />
        ) : (
          <LastSyncSummary sync={lastSync} />
        )}
      </Card>

      <section aria-labelledby="recovery-title" className="space-y-3">
        <h2 id="recovery-title" className="text-base font-semibold text-slate-900">
          What Amazon owes you
        </h2>
        {summary.error ? (
          <ErrorState message={summary.error.message} onRetry={() => void summary.refetch()} />
        ) : (
          <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Stat label="Total recoverable" value={summary.data ? formatMoney(summary.data.openValue, currency) : <Skeleton className="h-8 w-28" />} hint={summary.data ? `${summary.data.open} open ${summary.data.open === 1 ? "claim" : "claims"}` : undefined} data-testid="stat-recoverable" />
            <Stat label="Ready to file" tone="warning" value={summary.data ? formatMoney(summary.data.readyToFileValue, currency) : <Skeleton className="h-8 w-28" />} hint="Open now, evidence complete" />
            <Stat label="Recovered" tone="success" value={summary.data ? formatMoney(summary.data.recoveredValue, currency) : <Skeleton className="h-8 w-28" />} hint="Reimbursed by Amazon" />
            <Stat label="Lost to expired windows" tone="danger" value={summary.data ? formatMoney(summary.data.expiredValue, currency) : <Skeleton className="h-8 w-28" />} hint="Past Amazon's filing deadline" data-testid="stat-expired" />
          </dl>
        )}
      </section>

      <div className="grid gap-6 lg:grid-cols-5">
        <Card id="claims-by-type" title="Claims by type" description="Open claims by what went wrong, and what they are worth" className="lg:col-span-3" actions={<Link href="/claims" className="text-sm font-medium text-slate-600 hover:text-slate-900">All claims</Link>}>
          {summary.isPending ? (
            <LoadingRows rows={4} label="Loading claims" />
          ) : summary.error ? (
            <p className="text-sm text-slate-500">Claims could not be loaded.</p>
          ) : claimsByType(summary.data).length === 0 ? (
            summary.data.total > 0 ? (
              <EmptyState title="No open claims" description="Every claim found so far is paid, dismissed or past its filing window: All claims lists them." />
            ) : (
              <EmptyState title="No claims yet" description={lastSync ? "Detection runs after each sync; nothing reimbursable was found so far." : "Claims appear here after your first sync."} />
            )
          ) : (
            <ClaimsByTypeChart rows={claimsByType(summary.data)} currency={currency} />
          )}
        </Card>

        <Card id="expiring-soon" title="Expiring soon" description="Filing windows closing within 14 days" padding="none" className="lg:col-span-2">
          {summary.isPending ? (
            <LoadingRows rows={3} label="Loading claims" />
          ) : summary.error ? (
            <p className="p-5 text-sm text-slate-500">Claims could not be loaded.</p>
          ) : (
            <ExpiringSoon items={summary.data.expiringSoon ?? []} />
          )}
        </Card>
      </div>

      <Card id="sources" title="Data sources" description="How fresh each part of your Amazon data is" actions={<Link href="/sources" className="text-sm font-medium text-slate-600 hover:text-slate-900">Details</Link>}>
        {sources.isPending ? (
          <LoadingRows rows={2} label="Loading data sources" />
        ) : sources.error ? (
          <ErrorState message={sources.error.message} onRetry={() => void sources.refetch()} />
        ) : (
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {sources.data.dataSources.map((card) => (
              <SourceCard key={card.source} card={card} compact />
            ))}
          </div>
        )}
      </Card>
    </div>
  );
}

function LastSyncSummary({ sync }: { sync: NonNullable<ReturnType<typeof useSyncStatus>["data"]>["lastSync"] & object }) {
  const badge = syncStatusLabel(sync.status);
  return (
    <div className="flex flex-wrap items-center justify-between gap-4" data-testid="last-sync">
      <div className="space-y-1">
        <div className="flex items-center gap-2">
          <Badge tone={badge.tone} dot>
            {badge.label}
          </Badge>
          <span className="text-sm text-slate-600">
            <LocalTime iso={sync.startedAt} />
          </span>
        </div>
        <p className="text-sm text-slate-700">{sync.message}</p>
      </div>
      <dl className="flex gap-6 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Claims found</dt>
          <dd className="font-semibold tabular-nums">{sync.claimsDetected}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Orders in ledger</dt>
          <dd className="font-semibold tabular-nums">{sync.totalOrders.toLocaleString("en-US")}</dd>
        </div>
      </dl>
    </div>
  );
}

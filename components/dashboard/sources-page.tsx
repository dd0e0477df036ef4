"use client";
// The data-source health page: one card per source of the seller's Amazon data, kept fresh without a
// reload (the cards refetch every minute, every 10 s while a sync runs; "Last pulled" ticks locally).
import { ErrorState } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useDataSources, useSyncStatus } from "@/components/live/queries";
import { SourceCard } from "./source-card";
import { SyncNowButton } from "./sync-now-button";

export function SourcesPage({ connectionIds }: { connectionIds: string[] }) {
  const status = useSyncStatus();
  const sources = useDataSources({ syncing: status.data?.hasActiveSync });
  const cards = sources.data?.dataSources ?? [];
  const counts = { connected: 0, stale: 0, error: 0, never: 0 };
  for (const card of cards) counts[card.status] += 1;

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white px-5 py-4 shadow-sm sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-slate-700" aria-live="polite" data-testid="sources-summary">
          {sources.data
            ? cards.length === 0
              ? "No data sources yet."
              : `${counts.connected} of ${cards.length} sources fresh${counts.stale ? `, ${counts.stale} stale` : ""}${counts.error ? `, ${counts.error} with an error` : ""}${counts.never ? `, ${counts.never} not pulled yet` : ""}.`
            : "Checking your data sources…"}
        </p>
        <SyncNowButton connectionIds={connectionIds} size="sm" />
      </div>
      {sources.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true">
          <span className="sr-only">Loading data sources…</span>
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-36" />
          ))}
        </div>
      ) : sources.error ? (
        <ErrorState message={sources.error.message} onRetry={() => void sources.refetch()} />
      ) : connectionIds.length === 0 && counts.connected + counts.stale + counts.error === 0 ? (
        <Card>
          <EmptyState title="No Amazon account connected" description="Connect Amazon on the Overview; each source shows here once it has been pulled." />
        </Card>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="source-cards">
          {cards.map((card) => (
            <SourceCard key={card.source} card={card} />
          ))}
        </div>
      )}
    </div>
  );
}

"use client";

// The set-asides of one SKU (GET /api/detections/set-asides?sku=), for the per-SKU page.
import { useQuery } from "@tanstack/react-query";
import { Card, ErrorState, LoadingRows } from "@/components/ui";
import { claimKeys, fetchJson, type SetAside } from "./api";
import { SetAsideList } from "./set-aside-list";

export function SkuSetAsides({ sku }: { sku: string }) {
  const query = useQuery({
    queryKey: claimKeys.setAsides(sku),
    queryFn: () => fetchJson<{ items: SetAside[] }>(`/api/detections/set-asides?sku=${encodeURIComponent(sku)}`),
  });
  return (
    <Card
      title="Set aside, with the reason"
      description="Losses and refunds the checks looked at for this SKU that are not claims: paid, found, returned, or not claimable yet."
      padding="none"
      id="sku-set-asides"
    >
      {query.isPending ? (
        <LoadingRows rows={3} label="Loading set-asides" />
      ) : query.isError ? (
        <div className="p-4">
          <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />
        </div>
      ) : (
        <SetAsideList items={query.data.items} emptyText="The checks set nothing aside for this SKU." />
      )}
    </Card>
  );
}

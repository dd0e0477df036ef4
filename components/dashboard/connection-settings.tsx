"use client";
// Settings › Amazon connection: each connection's details, "Use this connection" (POST
// /api/amazon/connections/:id/use: sync it without going through Amazon's consent again) and
// Disconnect with the keep-or-delete-data choice (components/disconnect-button.tsx).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConnectAmazonButton } from "@/components/connect-amazon-button";
import { DisconnectButton } from "@/components/disconnect-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/time";
import { queryKeys } from "@/components/live/query-keys";
import { apiFetch } from "@/lib/client/api";
import type { SellerConnectionItem } from "@/lib/client/types";

const REGIONS: Record<string, string> = { na: "North America", eu: "Europe", fe: "Far East" };

export function ConnectionSettings({ connections }: { connections: SellerConnectionItem[] }) {
  if (connections.length === 0) {
    return <EmptyState title="No Amazon account connected" description="Connect your seller account to start syncing." action={<ConnectAmazonButton />} />;
  }
  return (
    <ul className="divide-y divide-slate-100">
      {connections.map((c) => (
        <ConnectionRow key={c.id} connection={c} />
      ))}
    </ul>
  );
}

function ConnectionRow({ connection }: { connection: SellerConnectionItem }) {
  const client = useQueryClient();
  const use = useMutation({
    mutationFn: () => apiFetch<{ syncId: string; message: string; started: boolean }>(`/api/amazon/connections/${encodeURIComponent(connection.id)}/use`, { method: "POST" }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.syncStatus });
      void client.invalidateQueries({ queryKey: queryKeys.syncHistoryAll });
    },
  });
  const connected = connection.status === "connected";
  return (
    <li className="space-y-4 px-5 py-4" data-testid="settings-connection">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="font-medium text-slate-900">{connection.sellingPartnerId}</p>
          <p className="text-sm text-slate-500">Seller Partner ID</p>
        </div>
        <Badge tone={connected ? "success" : "warning"} dot>
          {connected ? "Connected" : connection.status.replace(/_/g, " ")}
        </Badge>
      </div>
      <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-slate-500">Region</dt>
          <dd className="text-slate-800">{REGIONS[connection.region] ?? connection.region.toUpperCase()}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Marketplaces</dt>
          <dd className="break-all text-slate-800">{connection.marketplaceIds.join(", ") || "—"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Connected</dt>
          <dd className="text-slate-800">
            <LocalTime iso={connection.connectedAt} />
          </dd>
        </div>
      </dl>
      <div className="flex flex-wrap items-start gap-3">
        <Button variant="secondary" size="sm" loading={use.isPending} onClick={() => use.mutate()} disabled={!connected}>
          Use this connection
        </Button>
        {!connected && <ConnectAmazonButton variant="secondary" />}
        <DisconnectButton connectionId={connection.id} sellingPartnerId={connection.sellingPartnerId} />
      </div>
      <p aria-live="polite" className="text-sm">
        {use.error ? <span className="text-red-700">{use.error.message}</span> : use.data ? <span className="text-emerald-800">{use.data.message}</span> : null}
      </p>
    </li>
  );
}

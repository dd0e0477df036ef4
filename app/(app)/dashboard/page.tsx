// The Overview: the seller's morning page. The connection (or the call to connect Amazon) is read on
// the server; everything live (sync, claims, sources) is read in the browser (components/dashboard/
// overview.tsx) so it can refresh itself while a sync runs.
import { ConnectAmazonButton } from "@/components/connect-amazon-button";
import { DisconnectButton } from "@/components/disconnect-button";
import { Overview } from "@/components/dashboard/overview";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";
import { after } from "next/server";
import { inngest, syncRequested } from "@/inngest/client";
import { startFirstSyncIfNone } from "@/lib/sync/api/start";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser();
  const connections = await listSellerConnections(user.id);
  const params = await searchParams;
  // The fallback trigger: a connected seller with no sync ever gets one, after the page is sent.
  after(() =>
    startFirstSyncIfNone(user.id, async (data, { id }) => {
      await inngest.send(syncRequested.create(data, { id }));
    }),
  );
  const connectionIds = connections.filter((c) => c.status === "connected").map((c) => c.id);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Overview"
        description="Your Amazon accounts, their sync and what Amazon owes you."
        actions={connections.length > 0 && <ConnectAmazonButton variant="secondary" />}
      />

      {params.connected && (
        <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          Amazon account connected. The historical sync has started.
        </p>
      )}

      {connections.length === 0 ? (
        <section className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center sm:px-8">
          <div aria-hidden="true" className="mx-auto mb-4 grid h-12 w-12 place-items-center rounded-full bg-amber-100 text-amber-700">
            <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M4 7h16M4 12h16M4 17h10" strokeLinecap="round" />
            </svg>
          </div>
          <h2 className="text-lg font-semibold">Connect your Amazon seller account</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-slate-500">
            We pull 18 months of your inventory ledger, reimbursements, returns, fees and settlements, then find every
            unit and fee Amazon owes you, with the evidence and the filing deadline.
          </p>
          <div className="mt-6 flex justify-center">
            <ConnectAmazonButton />
          </div>
        </section>
      ) : (
        <>
          <Overview connectionIds={connectionIds} />
          <Card title="Connected accounts" padding="none" id="accounts">
            <ul className="divide-y divide-slate-100">
              {connections.map((connection) => (
                <li key={connection.id} className="flex flex-col gap-3 px-5 py-4 text-sm sm:flex-row sm:items-center sm:justify-between" data-testid="seller-connection">
                  <div>
                    <p className="font-medium">{connection.sellingPartnerId}</p>
                    <p className="text-slate-500">
                      {connection.region.toUpperCase()} · {connection.marketplaceIds.join(", ")}
                    </p>
                  </div>
                  <div className="flex items-center gap-4">
                    <Badge tone={connection.status === "connected" ? "success" : "warning"} dot>
                      {connection.syncPending ? "sync starting…" : connection.status === "connected" ? "Connected" : connection.status.replace(/_/g, " ")}
                    </Badge>
                    <DisconnectButton connectionId={connection.id} sellingPartnerId={connection.sellingPartnerId} />
                  </div>
                </li>
              ))}
            </ul>
          </Card>
        </>
      )}
    </div>
  );
}

import { ConnectAmazonButton } from "@/components/connect-amazon-button";
import { DisconnectButton } from "@/components/disconnect-button";
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

  return (
    <div className="space-y-8">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-500">Your Amazon accounts, their sync and what Amazon owes you.</p>
        </div>
        {connections.length > 0 && <ConnectAmazonButton variant="secondary" />}
      </div>

      {params.connected && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          Amazon account connected. The historical sync has started.
        </p>
      )}

      {connections.length === 0 ? (
        <section className="rounded-xl border border-dashed border-slate-300 bg-white px-8 py-16 text-center">
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
        <section className="rounded-xl border border-slate-200 bg-white">
          <h2 className="border-b border-slate-200 px-6 py-3 text-sm font-semibold">Connected accounts</h2>
          <ul className="divide-y divide-slate-100">
            {connections.map((connection) => (
              <li key={connection.id} className="flex items-center justify-between px-6 py-4 text-sm" data-testid="seller-connection">
                <div>
                  <p className="font-medium">{connection.sellingPartnerId}</p>
                  <p className="text-slate-500">
                    {connection.region.toUpperCase()} · {connection.marketplaceIds.join(", ")}
                  </p>
                </div>
                <div className="flex items-center gap-4">
                  <span className="rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-medium text-emerald-700">
                    {connection.syncPending ? "sync starting…" : connection.status}
                  </span>
                  <DisconnectButton connectionId={connection.id} sellingPartnerId={connection.sellingPartnerId} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

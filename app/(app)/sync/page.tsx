// The Sync page: start, watch, cancel and review syncs (components/dashboard/sync-page.tsx).
import type { Metadata } from "next";
import { SyncPage } from "@/components/dashboard/sync-page";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";

export const metadata: Metadata = { title: "Sync · FBA Recovery" };

export default async function SyncRoute() {
  const user = await requireUser("/sync");
  const connections = await listSellerConnections(user.id);
  return (
    <div className="space-y-6">
      <PageHeader title="Sync" description="Bring your Amazon data up to date and see every past sync." />
      <SyncPage connectionIds={connections.filter((c) => c.status === "connected").map((c) => c.id)} />
    </div>
  );
}

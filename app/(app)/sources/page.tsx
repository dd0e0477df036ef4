// The data-source health page (components/dashboard/sources-page.tsx).
import type { Metadata } from "next";
import { SourcesPage } from "@/components/dashboard/sources-page";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";

export const metadata: Metadata = { title: "Data sources · FBA Recovery" };

export default async function SourcesRoute() {
  const user = await requireUser("/sources");
  const connections = await listSellerConnections(user.id);
  return (
    <div className="space-y-6">
      <PageHeader title="Data sources" description="Each part of your Amazon data, how fresh it is and what went wrong when it could not be pulled." />
      <SourcesPage connectionIds={connections.filter((c) => c.status === "connected").map((c) => c.id)} />
    </div>
  );
}

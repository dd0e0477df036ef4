import type { RunTenant } from "@/lib/runs/run-queries";

/** Which seller (selling partner id) and user (email) a run belongs to; a dash for runs of no tenant. */
export function Tenant({ tenant }: { tenant: RunTenant | null }) {
  if (!tenant) return <span className="text-slate-500">—</span>;
  const seller = tenant.sellingPartnerId
    ? `${tenant.sellingPartnerId}${tenant.region ? ` (${tenant.region})` : ""}`
    : tenant.sellerConnectionId
      ? "deleted connection"
      : null;
  return (
    <span className="flex flex-col" data-testid="run-tenant">
      {seller && <span className="font-mono text-xs text-slate-800">{seller}</span>}
      <span className="text-xs text-slate-500">{tenant.userEmail ?? "deleted user"}</span>
    </span>
  );
}

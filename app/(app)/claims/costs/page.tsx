// Unit costs: the seller's cost per SKU, which Amazon's reimbursements follow since 31 March 2025.
import Link from "next/link";
import { Suspense } from "react";
import { UnitCosts } from "@/components/claims/unit-costs";
import { LoadingRows, PageHeader } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";

export const metadata = { title: "Unit costs · Claims · FBA Recovery" };

export default async function UnitCostsPage() {
  await requireUser("/claims/costs");
  return (
    <div className="space-y-6">
      <Link href="/claims" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
        <span aria-hidden="true">←</span> All claims
      </Link>
      <PageHeader
        title="Unit costs"
        description="Amazon reimburses lost and damaged units at your cost. Without one, a claim is only an estimate from sale prices."
      />
      <Suspense fallback={<LoadingRows rows={6} label="Loading unit costs" />}>
        <UnitCosts />
      </Suspense>
    </div>
  );
}

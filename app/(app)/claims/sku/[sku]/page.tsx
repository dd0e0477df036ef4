// Everything the checks found for one SKU: its claims, and the candidates set aside with the reason
// ("explained non-findings"), so a seller sees why a loss they remember is not a claim.
import Link from "next/link";
import { Suspense } from "react";
import { ClaimsTable, ClaimsTableSkeleton } from "@/components/claims/claims-table";
import { SkuSetAsides } from "@/components/claims/sku-set-asides";
import { PageHeader, buttonClasses } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { ruleOptions } from "../../rule-options";

export const metadata = { title: "SKU · Claims · FBA Recovery" };

export default async function SkuClaimsPage({ params }: { params: Promise<{ sku: string }> }) {
  const raw = (await params).sku;
  let sku = raw;
  try {
    sku = decodeURIComponent(raw);
  } catch {
    // Already decoded and holding a bare "%": keep it as it is.
  }
  await requireUser(`/claims/sku/${encodeURIComponent(sku)}`);
  return (
    <div className="space-y-6">
      <Link href="/claims" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
        <span aria-hidden="true">←</span> All claims
      </Link>
      <PageHeader
        title={<span className="break-all">SKU {sku}</span>}
        description="This SKU's claims and what the checks set aside, with the reason."
        actions={
          <Link href={`/claims/costs?sku=${encodeURIComponent(sku)}`} className={buttonClasses("secondary", "sm")}>
            Unit cost
          </Link>
        }
      />
      <Suspense fallback={<ClaimsTableSkeleton />}>
        <ClaimsTable rules={ruleOptions()} fixed={{ sku }} caption={`Claims for ${sku}`} />
      </Suspense>
      <SkuSetAsides sku={sku} />
    </div>
  );
}

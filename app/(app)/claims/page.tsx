// The seller's claims: every finding of the detection rules, filtered, sorted and paged in the URL.
import Link from "next/link";
import { Suspense } from "react";
import { ClaimsTable, ClaimsTableSkeleton } from "@/components/claims/claims-table";
import { EvidencePackLink } from "@/components/claims/evidence-pack-link";
import { PageHeader, buttonClasses } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { ruleOptions } from "./rule-options";

export const metadata = { title: "Claims · FBA Recovery" };

export default async function ClaimsPage() {
  await requireUser("/claims");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Claims"
        description="What Amazon owes you, with the evidence and the filing deadline of each claim."
        actions={
          <>
            <Link href="/claims/costs" className={buttonClasses("secondary", "sm")}>
              Unit costs
            </Link>
            <EvidencePackLink />
          </>
        }
      />
      <Suspense fallback={<ClaimsTableSkeleton />}>
        <ClaimsTable rules={ruleOptions()} />
      </Suspense>
    </div>
  );
}

"use client";
// Claims whose filing window closes within 14 days (summary.expiringSoon, soonest first), each a link
// to its claim page.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatMoney } from "@/components/ui/money";
import { formatDay } from "@/components/ui/time";
import type { DetectionItemLite } from "@/lib/client/types";

export function ExpiringSoon({ items }: { items: DetectionItemLite[] }) {
  if (items.length === 0) {
    return <EmptyState title="Nothing expiring soon" description="No open claim has a filing deadline in the next 14 days." />;
  }
  return (
    <ul className="divide-y divide-slate-100" data-testid="expiring-soon">
      {items.map((item) => {
        const days = item.daysRemaining;
        const tone = days !== null && days <= 3 ? "danger" : "warning";
        return (
          <li key={item.id}>
            <Link href={`/claims/${encodeURIComponent(item.id)}`} className="flex items-center justify-between gap-3 px-5 py-3 hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900">{item.title}</p>
                <p className="truncate text-xs text-slate-500">
                  {item.ruleId}
                  {item.sku ? ` · SKU ${item.sku}` : ""}
                  {item.deadline ? ` · file by ${formatDay(item.fileBy ?? item.deadline)}` : ""}
                </p>
              </div>
              <div className="flex shrink-0 flex-col items-end gap-1">
                <span className="text-sm font-semibold tabular-nums text-slate-900">{formatMoney(item.estimatedValue, item.currency)}</span>
                <Badge tone={tone}>{days === null ? "no deadline" : days <= 0 ? "last day" : `${days} ${days === 1 ? "day" : "days"} left`}</Badge>
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

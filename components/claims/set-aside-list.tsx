// "Explained non-findings": what the rules looked at for a SKU and set aside, each with the reason a
// seller reads (reimbursed on day 5, found on a sibling FNSKU, window opens in 25 days). They show
// the checks ran and why a loss the seller remembers is not a claim.
import { Badge, EmptyState } from "@/components/ui";
import type { SetAside } from "./api";
import { formatDay, humanize, plural } from "./format";

const reasonTone = (code: string) => (code === "too-early" ? "info" : code === "reimbursed" || code.startsWith("found") || code === "returned" ? "success" : "neutral");

export function SetAsideList({ items, emptyText = "Nothing was set aside for this SKU." }: { items: SetAside[]; emptyText?: string }) {
  if (items.length === 0) return <EmptyState title="No set-asides" description={emptyText} />;
  return (
    <ul className="divide-y divide-slate-100" data-testid="set-asides">
      {items.map((item) => (
        <li key={`${item.ruleId}:${item.fingerprint}:${item.reasonCode}`} className="flex flex-col gap-1 px-5 py-3 text-sm sm:flex-row sm:items-start sm:justify-between sm:gap-4" data-testid="set-aside">
          <div className="min-w-0">
            <p className="text-slate-900">{item.reason}</p>
            <p className="mt-0.5 text-xs text-slate-500">
              {[
                `${item.ruleId} ${humanize(item.ruleSlug)}`,
                plural(item.units, "unit"),
                item.eventDate && `on ${formatDay(item.eventDate)}`,
                item.fnsku && `FNSKU ${item.fnsku}`,
                item.orderId && `order ${item.orderId}`,
                item.shipmentId && `shipment ${item.shipmentId}`,
                item.reimbursementId && `reimbursement ${item.reimbursementId}`,
              ]
                .filter(Boolean)
                .join(" · ")}
            </p>
          </div>
          <div className="flex shrink-0 flex-wrap items-center gap-2">
            <Badge tone={reasonTone(item.reasonCode)}>{humanize(item.reasonCode)}</Badge>
            {item.recheckAt && <span className="text-xs text-slate-500">checked again {formatDay(item.recheckAt)}</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}

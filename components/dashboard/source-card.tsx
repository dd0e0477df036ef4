"use client";
// One data-source card (GET /api/sync/data-sources/health): its status in words and colour, "Last
// pulled: 2 minutes ago" ticking on the browser's clock, and the last error when there is one.
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/time";
import { cx } from "@/components/ui/cx";
import type { DataSourceCard } from "@/lib/client/types";
import { CARD_DESCRIPTION, CARD_STATUS } from "./labels";

export function SourceCard({ card, compact = false }: { card: DataSourceCard; compact?: boolean }) {
  const status = CARD_STATUS[card.status];
  const Heading = compact ? "h3" : "h2";
  return (
    <article
      aria-label={card.name}
      data-testid="source-card"
      data-status={card.status}
      className={cx(
        "flex flex-col rounded-xl border bg-white shadow-sm",
        compact ? "p-4" : "p-5",
        card.status === "error" ? "border-red-200" : card.status === "stale" ? "border-amber-200" : "border-slate-200",
      )}
    >
      {/* Compact cards (four to a row on the Overview) put the badge under the name, which it would squeeze. */}
      <div className={cx("flex gap-2", compact ? "flex-col items-start" : "flex-wrap items-start justify-between")}>
        <Heading className="text-sm font-semibold text-slate-900">{card.name}</Heading>
        <Badge tone={status.tone} dot pulse={card.status === "connected" && card.syncEnabled}>
          {status.label}
        </Badge>
      </div>
      {!compact && <p className="mt-1 text-sm text-slate-500">{CARD_DESCRIPTION[card.source] ?? ""}</p>}
      <p className={cx("text-sm text-slate-600", compact ? "mt-2" : "mt-4")}>
        Last pulled: <RelativeTime iso={card.lastPulled} fallback="never" className="font-medium text-slate-900" data-testid="last-pulled" />
      </p>
      {!compact && (
        <p className="mt-1 text-xs text-slate-500">{card.syncEnabled ? "Refreshed automatically by the scheduled sync." : "Automatic refresh is off: run a sync to refresh it."}</p>
      )}
      {card.lastError && (
        <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-xs text-red-800" data-testid="source-error">
          <span className="font-semibold">Last error:</span> {card.lastError}
        </p>
      )}
    </article>
  );
}

"use client";

// One claim, everything a seller needs to decide and to file: why Amazon owes it (the rule's
// explanation), the ledger rows it rests on, the value and how it was worked out, the confidence and
// its reasons, the two-sided window (opens / deadline), status changes with their history, the case
// text and evidence CSV, the documents, and what the rules set aside for the same SKU.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Alert, Badge, Card, ErrorState, ProgressBar, Skeleton, buttonClasses } from "@/components/ui";
import { LocalTime, useNow } from "@/components/ui/time";
import { claimKeys, fetchJson, type DetectionDetail, type EvidenceRow } from "./api";
import { SeverityBadge, StatusBadge } from "./badges";
import { CaseTextPanel } from "./case-text-panel";
import { DocumentsPanel } from "./documents-panel";
import { daysBetween, describeBasis, formatDay, formatMinor, formatMoney, humanize, percent, plural } from "./format";
import { SetAsideList } from "./set-aside-list";
import { StatusPanel } from "./status-panel";
import { ScrollRegion } from "@/components/ui/scroll-region";

export function ClaimDetail({ id }: { id: string }) {
  const query = useQuery({
    queryKey: claimKeys.detail(id),
    queryFn: () => fetchJson<{ detection: DetectionDetail }>(`/api/detections/${encodeURIComponent(id)}`),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = Boolean(query.data);
  // Screen readers land on the claim's title once it has loaded.
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  return (
    <div className="space-y-6">
      <Link href="/claims" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
        <span aria-hidden="true">←</span> All claims
      </Link>
      {query.isPending ? (
        <DetailSkeleton />
      ) : query.isError ? (
        <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />
      ) : (
        <ClaimBody claim={query.data.detection} headingRef={heading} />
      )}
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only">Loading the claim…</span>
      <Skeleton className="h-10 w-2/3" />
      <Skeleton className="h-5 w-1/2" />
      <div className="grid gap-4 lg:grid-cols-3">
        <Skeleton className="h-64 lg:col-span-2" />
        <Skeleton className="h-64" />
      </div>
    </div>
  );
}

function ClaimBody({ claim, headingRef }: { claim: DetectionDetail; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const basis = describeBasis(claim.valueBasis);
  const rows = claim.evidence?.rows ?? [];
  return (
    <article className="space-y-6" aria-labelledby="claim-title">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-2">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
            {claim.ruleId} · {humanize(claim.anomalyType || claim.ruleSlug)}
          </p>
          <h1 id="claim-title" ref={headingRef} tabIndex={-1} className="text-2xl font-semibold tracking-tight text-slate-900 focus:outline-none">
            {claim.title}
          </h1>
          <p className="text-slate-700">{claim.summary}</p>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <StatusBadge status={claim.status} />
            <SeverityBadge severity={claim.severity} />
            {claim.readyToFile && <Badge tone="success">Ready to file</Badge>}
            {claim.sku && (
              <Link href={`/claims/sku/${encodeURIComponent(claim.sku)}`} className="font-mono text-xs text-slate-700 underline underline-offset-2 hover:text-slate-900">
                SKU {claim.sku}
              </Link>
            )}
          </div>
        </div>
        <div className="shrink-0 sm:text-right">
          <p className="text-sm text-slate-500">Estimated value</p>
          <p className="text-3xl font-semibold tabular-nums text-slate-900" data-testid="claim-value">
            {formatMoney(claim.estimatedValue, claim.currency)}
          </p>
          <p className={basis.fallback ? "text-sm text-amber-700" : "text-sm text-slate-600"}>{basis.label}</p>
        </div>
      </header>

      {claim.statusNote && <Alert tone="info">{claim.statusNote}</Alert>}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="Why Amazon owes this" id="claim-why">
            <p className="whitespace-pre-line text-sm leading-relaxed text-slate-700">{claim.explanation}</p>
            <Identifiers claim={claim} />
          </Card>

          <Card title="Evidence" description="The rows of your Amazon reports this claim rests on." padding="none" id="claim-evidence">
            <EvidenceTable rows={rows} currency={claim.currency} />
            <Facts facts={claim.evidence?.facts} />
          </Card>

          <Card title="File the claim" description="Paste the case text into Seller Central and attach the evidence CSV." id="claim-file">
            <CaseTextPanel id={claim.id} ruleId={claim.ruleId} />
          </Card>

          <Card title="Documents" description="What Amazon asks for with this kind of claim." id="claim-documents">
            <DocumentsPanel claim={claim} />
          </Card>
        </div>

        <div className="min-w-0 space-y-6">
          <Card title="Filing window" id="claim-window">
            <WindowPanel claim={claim} />
          </Card>
          <Card title="Value" id="claim-value-card">
            <ValuePanel claim={claim} />
          </Card>
          <Card title="Confidence" id="claim-confidence">
            <ConfidencePanel claim={claim} />
          </Card>
          <Card title="Status" id="claim-status-card">
            <StatusPanel claim={claim} />
          </Card>
        </div>
      </div>

      <Card
        title={claim.sku ? `Set aside for SKU ${claim.sku}` : "Set aside"}
        description="What the checks looked at for this SKU and why those are not claims."
        padding="none"
        id="claim-set-asides"
        actions={
          claim.sku && (
            <Link href={`/claims/sku/${encodeURIComponent(claim.sku)}`} className={buttonClasses("ghost", "sm")}>
              Everything for this SKU
            </Link>
          )
        }
      >
        <SetAsideList items={claim.setAsides ?? []} />
      </Card>
    </article>
  );
}

function Identifiers({ claim }: { claim: DetectionDetail }) {
  const items: [string, string | null][] = [
    ["SKU", claim.sku],
    ["FNSKU", claim.fnsku],
    ["ASIN", claim.asin],
    ["Order", claim.orderId],
    ["Shipment", claim.shipmentId],
    ["Reference", claim.referenceId],
    ["Reimbursement", claim.reimbursementId],
    ["Removal order", claim.removalOrderId],
    ["Units", String(claim.units)],
    ["Happened", formatDay(claim.eventDate)],
    ["Marketplace", claim.marketplaceId],
  ];
  return (
    <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-2 border-t border-slate-100 pt-4 text-sm sm:grid-cols-3">
      {items
        .filter((item): item is [string, string] => Boolean(item[1]))
        .map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="truncate font-mono text-xs text-slate-800" title={value}>
              {value}
            </dd>
          </div>
        ))}
    </dl>
  );
}

function EvidenceTable({ rows, currency }: { rows: EvidenceRow[]; currency: string }) {
  if (rows.length === 0) return <p className="px-5 py-4 text-sm text-slate-500">This claim lists no source rows; the numbers below are what the rule found.</p>;
  return (
    <ScrollRegion label="Evidence rows">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="evidence-rows">
        <caption className="sr-only">Evidence rows</caption>
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2.5">Report</th>
            <th scope="col" className="px-4 py-2.5">Date</th>
            <th scope="col" className="px-4 py-2.5">Reference</th>
            <th scope="col" className="px-4 py-2.5 text-right">Quantity</th>
            <th scope="col" className="px-4 py-2.5 text-right">Amount</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row, i) => (
            <tr key={`${row.table}:${row.id}:${i}`} className="align-top">
              <td className="px-4 py-2.5">
                <p className="font-medium text-slate-900">{humanize(row.role)}</p>
                <p className="text-xs text-slate-500">
                  {row.source ?? row.table}
                  {row.line != null ? `, line ${row.line}` : ""}
                </p>
                {row.note && <p className="text-xs text-slate-500">{row.note}</p>}
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-700">{formatDay(row.date)}</td>
              <td className="px-4 py-2.5 font-mono text-xs text-slate-700">{row.referenceId ?? "—"}</td>
              <td className="px-4 py-2.5 text-right tabular-nums">{row.quantity ?? "—"}</td>
              <td className="whitespace-nowrap px-4 py-2.5 text-right tabular-nums">{row.amountMinor != null ? formatMinor(row.amountMinor, currency) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The rule's own numbers (lost, found, reimbursed, ...): scalars as a list, anything nested left out. */
function Facts({ facts }: { facts: Record<string, unknown> | undefined }) {
  const entries = Object.entries(facts ?? {}).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v));
  if (entries.length === 0) return null;
  return (
    <div className="border-t border-slate-100 px-5 py-4">
      <h3 className="text-sm font-semibold text-slate-900">The numbers</h3>
      <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
        {entries.map(([key, value]) => (
          <div key={key} className="min-w-0">
            <dt className="text-xs text-slate-500">{humanize(key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase())}</dt>
            <dd className="truncate tabular-nums text-slate-800">{String(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function WindowPanel({ claim }: { claim: DetectionDetail }) {
  const now = useNow();
  const today = now ? new Date(now).toISOString().slice(0, 10) : null;
  const lost = claim.expired || claim.status === "expired";
  const waiting = claim.status === "waiting";
  const opensIn = today ? daysBetween(today, claim.opensAt) : null;
  let headline: string;
  let tone = "text-slate-900";
  if (lost) {
    headline = "Lost to the window";
    tone = "text-red-700";
  } else if (waiting) {
    headline = opensIn !== null && opensIn > 0 ? `Opens in ${plural(opensIn, "day")}` : `Opens ${formatDay(claim.opensAt)}`;
    tone = "text-slate-600";
  } else if (claim.deadline === null || claim.daysRemaining === null) {
    headline = "No deadline";
  } else {
    headline = claim.daysRemaining === 0 ? "Last day to file" : `${plural(claim.daysRemaining, "day")} left to file`;
    if (claim.daysRemaining <= 14) tone = "text-red-700";
  }
  const policy = claim.evidence?.window;
  return (
    <div className="space-y-3 text-sm">
      <p className={`text-xl font-semibold ${tone}`} data-testid="claim-window">
        {headline}
      </p>
      {lost && <p className="text-slate-600">The deadline passed on {formatDay(claim.deadline)}. Amazon no longer takes this claim; it is kept here so you see what the window cost.</p>}
      {waiting && <p className="text-slate-600">Amazon asks sellers to wait before filing this kind of claim: it often settles on its own first.</p>}
      <dl className="grid grid-cols-2 gap-2">
        <div>
          <dt className="text-xs text-slate-500">Opens</dt>
          <dd className="font-medium">{formatDay(claim.opensAt)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Deadline</dt>
          <dd className="font-medium">{formatDay(claim.deadline)}</dd>
        </div>
        {claim.fileBy && !lost && (
          <div className="col-span-2">
            <dt className="text-xs text-slate-500">File by (a week&apos;s margin)</dt>
            <dd className="font-medium">{formatDay(claim.fileBy)}</dd>
          </div>
        )}
      </dl>
      {claim.windowVerify && <p className="text-xs text-amber-700">Amazon&apos;s published window for this kind of claim is unsettled: check the current limit in Seller Central before relying on it.</p>}
      {policy?.note && <p className="text-xs text-slate-500">{policy.note}</p>}
    </div>
  );
}

function ValuePanel({ claim }: { claim: DetectionDetail }) {
  const basis = describeBasis(claim.valueBasis);
  const valuation = claim.evidence?.valuation;
  const currency = valuation?.currency ?? claim.currency;
  return (
    <div className="space-y-3 text-sm">
      <p className="text-xl font-semibold tabular-nums">{formatMoney(claim.estimatedValue, claim.currency)}</p>
      {valuation?.unitMinor != null && valuation.units != null && (
        <p className="tabular-nums text-slate-700">
          {plural(valuation.units, "unit")} × {formatMinor(valuation.unitMinor, currency)}
        </p>
      )}
      <div>
        <p className={basis.fallback ? "font-medium text-amber-800" : "font-medium text-slate-900"} data-testid="value-basis">
          {basis.label}
        </p>
        {basis.detail && <p className="mt-0.5 text-slate-600">{basis.detail}</p>}
      </div>
      {basis.fallback && claim.sku && (
        <Link href={`/claims/costs?sku=${encodeURIComponent(claim.sku)}`} className={buttonClasses("secondary", "sm")}>
          Enter the unit cost of {claim.sku}
        </Link>
      )}
    </div>
  );
}

function ConfidencePanel({ claim }: { claim: DetectionDetail }) {
  const value = Math.round(claim.confidence * 100);
  return (
    <div className="space-y-3 text-sm">
      <div className="flex items-baseline justify-between">
        <p className="text-xl font-semibold tabular-nums">{percent(claim.confidence)}</p>
        <p className="text-xs text-slate-500">{claim.confidence >= 0.6 ? "Strong enough to file" : "Below 60%: check before filing"}</p>
      </div>
      <ProgressBar value={value} label="Confidence" tone={claim.confidence >= 0.6 ? "emerald" : "amber"} size="sm" />
      {claim.confidenceReasons.length > 0 && (
        <ul className="space-y-1.5" aria-label="Reasons for the confidence">
          {claim.confidenceReasons.map((reason) => (
            <li key={reason.code} className="flex items-start justify-between gap-3">
              <span className="text-slate-700">{reason.text}</span>
              <span className={`shrink-0 tabular-nums text-xs ${reason.factor < 1 ? "text-amber-700" : "text-emerald-700"}`}>×{reason.factor.toFixed(2)}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-slate-500">
        Found <LocalTime iso={claim.discoveryDate} />
      </p>
    </div>
  );
}

"use client";

// The seller's claims: filters (rule, status, severity, SKU, deadline within N days), a table sorted by
// value or deadline, paged on the server (GET /api/detections/results). On a phone the rows become
// cards. Filters, sort and page are in the URL (use-claim-filters.ts). TanStack Table holds the columns
// and the sort state; the server does the filtering, sorting and paging (manual mode).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { useEffect, useId, useMemo, useState } from "react";
import { Alert, Button, EmptyState, ErrorState, LoadingRows, Skeleton, buttonClasses, cx } from "@/components/ui";
import { useNow } from "@/components/ui/time";
import { ApiRequestError, claimKeys, fetchJson, type DetectionItem, type ResultsPage } from "./api";
import { SeverityBadge, StatusBadge, WindowText } from "./badges";
import { STATUS_LABELS, SEVERITY_LABELS, describeBasis, formatDay, formatMoney, percent } from "./format";
import { PAGE_SIZES, sortParam, useClaimFilters, type Filters } from "./use-claim-filters";
import { ScrollRegion } from "@/components/ui/scroll-region";

export interface RuleOption {
  id: string;
  title: string;
}

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, DetectionItem>();
const noRows: DetectionItem[] = [];

const STATUS_OPTIONS: { value: string; label: string }[] = [
  { value: "pending,reviewed", label: "Open (to review or reviewed)" },
  ...(["pending", "reviewed", "filed", "disputed", "resolved", "dismissed", "waiting", "expired"] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] })),
];
const EXPIRY_OPTIONS = [7, 14, 30, 60, 90];

function useToday(): string | null {
  const now = useNow();
  return now ? new Date(now).toISOString().slice(0, 10) : null;
}

export function ClaimsTable({ rules, fixed = {}, caption = "Claims" }: { rules: RuleOption[]; fixed?: Filters; caption?: string }) {
  const { filters, apiQuery, setFilters, clear, limit, offset, sort, activeFilters } = useClaimFilters(fixed);
  const today = useToday();
  const query = useQuery({
    queryKey: claimKeys.results(apiQuery),
    queryFn: () => fetchJson<ResultsPage>(`/api/detections/results?${apiQuery}`),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("title", {
          id: "claim",
          header: "Claim",
          enableSorting: false,
          cell: ({ row }) => <ClaimCell claim={row.original} />,
        }),
        helper.accessor("sku", {
          id: "sku",
          header: "SKU",
          enableSorting: false,
          cell: ({ row }) =>
            row.original.sku ? (
              <Link href={`/claims/sku/${encodeURIComponent(row.original.sku)}`} className="font-mono text-xs text-slate-700 underline-offset-2 hover:underline">
                {row.original.sku}
              </Link>
            ) : (
              <span className="text-slate-500">—</span>
            ),
        }),
        helper.accessor("status", { id: "status", header: "Status", enableSorting: false, cell: ({ row }) => <StatusBadge status={row.original.status} /> }),
        helper.accessor("severity", { id: "severity", header: "Severity", enableSorting: false, cell: ({ row }) => <SeverityBadge severity={row.original.severity} /> }),
        helper.accessor("estimatedValue", {
          id: "value",
          header: "Value",
          sortDescFirst: true,
          cell: ({ row }) => (
            <div className="text-right">
              <p className="font-semibold tabular-nums text-slate-900">{formatMoney(row.original.estimatedValue, row.original.currency)}</p>
              {describeBasis(row.original.valueBasis).fallback && <p className="text-xs text-amber-700">estimate</p>}
            </div>
          ),
        }),
        helper.accessor("confidence", {
          id: "confidence",
          header: "Confidence",
          enableSorting: false,
          cell: ({ row }) => <span className="tabular-nums">{percent(row.original.confidence)}</span>,
        }),
        helper.accessor("deadline", {
          id: "deadline",
          header: "Deadline",
          sortDescFirst: false,
          cell: ({ row }) => (
            <div>
              <WindowText claim={row.original} today={today} />
              <p className="text-xs text-slate-500">{row.original.status === "waiting" ? `opens ${formatDay(row.original.opensAt)}` : formatDay(row.original.deadline)}</p>
            </div>
          ),
        }),
      ]),
    [today],
  );

  const sorting = useMemo<SortingState>(() => (sort ? [sort] : []), [sort]);
  const table = useTable({
    features,
    columns,
    data: query.data?.items ?? noRows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableMultiSort: false,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      setFilters({ sort: sortParam(first && (first.id === "value" || first.id === "deadline") ? { id: first.id, desc: first.desc } : null) ?? "" });
    },
  });

  const total = query.data?.total ?? 0;
  const items = query.data?.items ?? noRows;
  const updating = query.isFetching && query.isPlaceholderData;

  return (
    <div className="space-y-4">
      <FilterBar rules={rules} filters={filters} fixed={fixed} setFilters={setFilters} clear={clear} activeFilters={activeFilters} />

      <section aria-labelledby="claims-results-heading" className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3 text-sm">
          <h2 id="claims-results-heading" className="font-semibold text-slate-900">
            {caption}
          </h2>
          <p aria-live="polite" className="text-slate-500" data-testid="claims-count">
            {query.isPending ? "Loading…" : query.isError ? "" : total === 0 ? "No claims" : `${offset + 1}–${Math.min(offset + items.length, total)} of ${total}`}
            {updating && <span className="ml-2 text-slate-500">Updating…</span>}
          </p>
        </div>

        {query.isError && query.data && (
          <div className="px-4 pt-3">
            <Alert tone="danger" live title="Could not update the list">
              {query.error.message}
            </Alert>
          </div>
        )}
        {query.isPending ? (
          <LoadingRows rows={6} label="Loading claims" />
        ) : query.isError && !query.data ? (
          <div className="p-4">
            {query.error instanceof ApiRequestError && query.error.status === 422 ? (
              <Alert
                tone="warning"
                live
                title="This view has a filter we cannot use"
                action={
                  <Button variant="secondary" size="sm" onClick={clear}>
                    Clear filters
                  </Button>
                }
              >
                {query.error.message}
              </Alert>
            ) : (
              <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />
            )}
          </div>
        ) : items.length === 0 ? (
          activeFilters > 0 ? (
            <EmptyState
              title="No claims match these filters"
              description="Try a wider deadline, another status, or clear the filters."
              action={
                <Button variant="secondary" size="sm" onClick={clear}>
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyState
              title="No claims yet"
              description="Claims appear here once your Amazon data has synced and the checks have run. A first sync takes a few minutes; you can follow it on the dashboard."
              action={
                <Link href="/dashboard" className={buttonClasses("secondary", "sm")}>
                  Go to the dashboard
                </Link>
              }
            />
          )
        ) : (
          <div className={cx(updating && "opacity-60 transition-opacity")}>
            {/* Desktop and tablet: the table. */}
            <ScrollRegion label="Claims table" className="hidden md:block">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="claims-table">
                <caption className="sr-only">{caption}, sortable by value and deadline</caption>
                <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  {table.getHeaderGroups().map((group) => (
                    <tr key={group.id}>
                      {group.headers.map((header) => {
                        const canSort = header.column.getCanSort();
                        const direction = header.column.getIsSorted();
                        const right = header.column.id === "value";
                        return (
                          <th
                            key={header.id}
                            scope="col"
                            aria-sort={canSort ? (direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none") : undefined}
                            className={cx("whitespace-nowrap px-4 py-2.5", right && "text-right")}
                          >
                            {canSort ? (
                              <button
                                type="button"
                                onClick={header.column.getToggleSortingHandler()}
                                className="inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-amber-600"
                              >
                                <table.FlexRender header={header} />
                                <SortIcon direction={direction} />
                              </button>
                            ) : (
                              <table.FlexRender header={header} />
                            )}
                          </th>
                        );
                      })}
                    </tr>
                  ))}
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {table.getRowModel().rows.map((row) => (
                    <tr key={row.id} className="hover:bg-slate-50/60" data-testid="claim-row" data-claim-id={row.original.id} data-rule-id={row.original.ruleId} data-value={row.original.estimatedValue}>
                      {row.getAllCells().map((cell) => (
                        <td key={cell.id} className="px-4 py-3 align-top text-slate-700">
                          <table.FlexRender cell={cell} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>

            {/* Phone: one card per claim, with the sort as a select. */}
            <div className="md:hidden">
              <MobileSort sort={filters.sort} onChange={(value) => setFilters({ sort: value })} />
              <ul className="divide-y divide-slate-100" aria-label={caption}>
                {items.map((claim) => (
                  <li key={claim.id} data-testid="claim-card" data-claim-id={claim.id} data-rule-id={claim.ruleId} className="px-4 py-3">
                    <ClaimCard claim={claim} today={today} />
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}

        {total > 0 && <Pager total={total} limit={limit} offset={offset} setFilters={setFilters} />}
      </section>
    </div>
  );
}

function ClaimCell({ claim }: { claim: DetectionItem }) {
  return (
    <div className="min-w-56 max-w-md">
      <Link href={`/claims/${encodeURIComponent(claim.id)}`} className="font-medium text-slate-900 underline-offset-2 hover:underline" data-testid="claim-link">
        {claim.title}
      </Link>
      <p className="mt-0.5 line-clamp-2 text-xs text-slate-500">{claim.summary}</p>
      <p className="mt-0.5 text-xs text-slate-500">
        {claim.ruleId} · {claim.units} unit{claim.units === 1 ? "" : "s"}
        {claim.readyToFile && <span className="ml-2 font-medium text-emerald-700">Ready to file</span>}
      </p>
    </div>
  );
}

function ClaimCard({ claim, today }: { claim: DetectionItem; today: string | null }) {
  return (
    <div className="space-y-2">
      <div className="flex items-start justify-between gap-3">
        <Link href={`/claims/${encodeURIComponent(claim.id)}`} className="font-medium text-slate-900 underline-offset-2 hover:underline" data-testid="claim-link">
          {claim.title}
        </Link>
        <p className="shrink-0 font-semibold tabular-nums">{formatMoney(claim.estimatedValue, claim.currency)}</p>
      </div>
      <p className="text-xs text-slate-500">{claim.summary}</p>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <StatusBadge status={claim.status} />
        <SeverityBadge severity={claim.severity} />
        {claim.sku && <span className="font-mono text-slate-600">{claim.sku}</span>}
      </div>
      <p className="text-xs">
        <WindowText claim={claim} today={today} />
        <span className="text-slate-500"> · {percent(claim.confidence)} confidence</span>
      </p>
    </div>
  );
}

function SortIcon({ direction }: { direction: false | "asc" | "desc" }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 12 12" className={cx("h-3 w-3", direction ? "text-slate-900" : "text-slate-300")} fill="currentColor">
      {direction !== "desc" && <path d="M6 2 9.5 6h-7z" />}
      {direction !== "asc" && <path d="M6 10 2.5 6h7z" />}
    </svg>
  );
}

function MobileSort({ sort, onChange }: { sort: string | undefined; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 border-b border-slate-100 px-4 py-2 text-sm">
      <label htmlFor={id} className="text-slate-600">
        Sort
      </label>
      <select id={id} value={sort ?? ""} onChange={(e) => onChange(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1">
        <option value="">Best first (value × confidence)</option>
        <option value="-value">Highest value</option>
        <option value="value">Lowest value</option>
        <option value="deadline">Deadline soonest</option>
        <option value="-deadline">Deadline latest</option>
      </select>
    </div>
  );
}

function Pager({ total, limit, offset, setFilters }: { total: number; limit: number; offset: number; setFilters: (f: Filters) => void }) {
  const sizeId = useId();
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav aria-label="Claims pages" className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 text-sm">
      <div className="flex items-center gap-2">
        <label htmlFor={sizeId} className="text-slate-600">
          Rows per page
        </label>
        <select id={sizeId} value={limit} onChange={(e) => setFilters({ limit: e.target.value })} className="rounded-md border border-slate-300 bg-white px-2 py-1">
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-2">
        <span className="text-slate-500">
          Page {page} of {pages}
        </span>
        <Button variant="secondary" size="sm" disabled={offset === 0} onClick={() => setFilters({ offset: String(Math.max(0, offset - limit)) })}>
          Previous
        </Button>
        <Button variant="secondary" size="sm" disabled={offset + limit >= total} onClick={() => setFilters({ offset: String(offset + limit) })}>
          Next
        </Button>
      </div>
    </nav>
  );
}

function FilterBar({
  rules,
  filters,
  fixed,
  setFilters,
  clear,
  activeFilters,
}: {
  rules: RuleOption[];
  filters: Filters;
  fixed: Filters;
  setFilters: (f: Filters, o?: { replace?: boolean }) => void;
  clear: () => void;
  activeFilters: number;
}) {
  const ids = { rule: useId(), status: useId(), severity: useId(), sku: useId(), expiring: useId() };
  const [sku, setSku] = useState(filters.sku ?? "");
  // The SKU box writes the URL a moment after typing stops (replacing, not adding, history entries).
  useEffect(() => setSku(filters.sku ?? ""), [filters.sku]);
  useEffect(() => {
    if (sku.trim() === (filters.sku ?? "")) return;
    const timer = setTimeout(() => setFilters({ sku: sku.trim() }, { replace: true }), 400);
    return () => clearTimeout(timer);
  }, [sku, filters.sku, setFilters]);

  const select = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-amber-600";
  const known = (value: string | undefined, options: string[]) => !value || options.includes(value);
  return (
    <form
      role="search"
      aria-label="Filter claims"
      className="grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3 lg:grid-cols-6"
      onSubmit={(e) => {
        e.preventDefault();
        setFilters({ sku: sku.trim() });
      }}
    >
      <div className="col-span-2 sm:col-span-1 lg:col-span-2">
        <label htmlFor={ids.rule} className="text-xs font-medium text-slate-600">
          Rule
        </label>
        <select id={ids.rule} className={select} value={filters.ruleId ?? ""} onChange={(e) => setFilters({ ruleId: e.target.value })}>
          <option value="">All rules</option>
          {!known(filters.ruleId, rules.map((r) => r.id)) && <option value={filters.ruleId}>{filters.ruleId}</option>}
          {rules.map((rule) => (
            <option key={rule.id} value={rule.id}>
              {rule.id} · {rule.title}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={ids.status} className="text-xs font-medium text-slate-600">
          Status
        </label>
        <select id={ids.status} className={select} value={filters.status ?? ""} onChange={(e) => setFilters({ status: e.target.value })}>
          <option value="">Any status</option>
          {!known(filters.status, STATUS_OPTIONS.map((o) => o.value)) && <option value={filters.status}>{filters.status}</option>}
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={ids.severity} className="text-xs font-medium text-slate-600">
          Severity
        </label>
        <select id={ids.severity} className={select} value={filters.severity ?? ""} onChange={(e) => setFilters({ severity: e.target.value })}>
          <option value="">Any severity</option>
          {!known(filters.severity, ["high", "medium", "low", "info"]) && <option value={filters.severity}>{filters.severity}</option>}
          {(["high", "medium", "low", "info"] as const).map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {!("sku" in fixed) && (
        <div>
          <label htmlFor={ids.sku} className="text-xs font-medium text-slate-600">
            SKU
          </label>
          <input
            id={ids.sku}
            type="search"
            value={sku}
            onChange={(e) => setSku(e.target.value)}
            placeholder="Any SKU"
            autoComplete="off"
            spellCheck={false}
            className={select}
          />
        </div>
      )}
      <div>
        <label htmlFor={ids.expiring} className="text-xs font-medium text-slate-600">
          Deadline
        </label>
        <select id={ids.expiring} className={select} value={filters.expiringWithinDays ?? ""} onChange={(e) => setFilters({ expiringWithinDays: e.target.value })}>
          <option value="">Any deadline</option>
          {!known(filters.expiringWithinDays, EXPIRY_OPTIONS.map(String)) && <option value={filters.expiringWithinDays}>Within {filters.expiringWithinDays} days</option>}
          {EXPIRY_OPTIONS.map((n) => (
            <option key={n} value={n}>
              Within {n} days
            </option>
          ))}
        </select>
      </div>
      {activeFilters > 0 && (
        <div className="col-span-2 flex items-end justify-end sm:col-span-3 lg:col-span-6">
          <Button variant="ghost" size="sm" onClick={clear}>
            Clear {activeFilters} filter{activeFilters === 1 ? "" : "s"}
          </Button>
        </div>
      )}
    </form>
  );
}

/** A placeholder of the table's shape, for the page's first paint. */
export function ClaimsTableSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true">
      <span className="sr-only">Loading claims…</span>
      <Skeleton className="h-28 w-full rounded-xl" />
      <Skeleton className="h-96 w-full rounded-xl" />
    </div>
  );
}

"use client";

// The seller's unit costs: since 31 March 2025 Amazon reimburses lost and damaged units at the
// seller's cost, so a claim without one is only an estimate. The SKUs whose claims a cost would change
// (GET /api/unit-costs/missing), a form to set one (PUT), a CSV import with its report of rejected
// lines (POST /api/unit-costs/import), and the table of costs with inline edit and delete.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { Alert, Badge, Button, Card, EmptyState, ErrorState, LoadingRows } from "@/components/ui";
import { LocalTime } from "@/components/ui/time";
import { claimKeys, ensureOk, fetchJson, sendJson, type ImportReport, type MissingCost, type UnitCostItem } from "./api";
import { formatMoney, plural } from "./format";
import { ScrollRegion } from "@/components/ui/scroll-region";

const CURRENCIES = ["USD", "CAD", "MXN", "BRL", "GBP", "EUR", "SEK", "PLN", "TRY", "AED", "SAR", "EGP", "INR", "JPY", "AUD", "SGD"];
const PAGE = 50;

function useInvalidateCosts() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["unit-costs"] }),
      queryClient.invalidateQueries({ queryKey: claimKeys.all }),
    ]);
}

export function UnitCosts() {
  const search = useSearchParams();
  const [draft, setDraft] = useState<Draft>({ sku: search.get("sku") ?? "", nonce: 0 });
  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-2">
        <CostForm draft={draft} />
        <CsvImport />
      </div>
      <MissingCosts onPick={(item) => setDraft((d) => ({ sku: item.sku, currency: item.currency, sellerConnectionId: item.sellerConnectionId, nonce: d.nonce + 1 }))} />
      <CostTable />
    </div>
  );
}

interface Draft {
  sku: string;
  currency?: string;
  sellerConnectionId?: string;
  nonce: number;
}

function CostForm({ draft }: { draft: Draft }) {
  const ids = { sku: useId(), cost: useId(), currency: useId(), invoice: useId() };
  const invalidate = useInvalidateCosts();
  const costInput = useRef<HTMLInputElement>(null);
  const [sku, setSku] = useState(draft.sku);
  const [cost, setCost] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [hasInvoice, setHasInvoice] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  // Picking a SKU from the missing list (or arriving from a claim) fills the form and moves focus to the cost.
  useEffect(() => {
    setSku(draft.sku);
    if (draft.currency) setCurrency(draft.currency);
    if (draft.sku && (draft.nonce > 0 || document.activeElement === document.body)) costInput.current?.focus();
  }, [draft]);
  const mutation = useMutation({
    mutationFn: () =>
      sendJson<{ item: UnitCostItem }>("/api/unit-costs", "PUT", {
        sku: sku.trim(),
        unitCost: Number(cost),
        currency,
        hasInvoice,
        ...(draft.sellerConnectionId && draft.sku === sku.trim() ? { sellerConnectionId: draft.sellerConnectionId } : {}),
      }),
    onSuccess: async ({ item }) => {
      setSaved(`Saved ${item.sku}: ${formatMoney(item.unitCost, item.currency)} per unit.`);
      setSku("");
      setCost("");
      setHasInvoice(false);
      await invalidate();
    },
  });
  return (
    <Card title="Set a unit cost" description="What one unit costs you, landed (product, freight, duties). Claims are revalued on the next check.">
      <form
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          mutation.mutate();
        }}
      >
        <div className="sm:col-span-2">
          <label htmlFor={ids.sku} className="text-sm font-medium text-slate-700">
            SKU
          </label>
          <input id={ids.sku} required maxLength={200} value={sku} onChange={(e) => setSku(e.target.value)} autoComplete="off" spellCheck={false} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm" />
        </div>
        <div>
          <label htmlFor={ids.cost} className="text-sm font-medium text-slate-700">
            Unit cost
          </label>
          <input id={ids.cost} ref={costInput} required type="number" inputMode="decimal" min="0" step="0.01" value={cost} onChange={(e) => setCost(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm tabular-nums" />
        </div>
        <div>
          <label htmlFor={ids.currency} className="text-sm font-medium text-slate-700">
            Currency
          </label>
          <select id={ids.currency} value={currency} onChange={(e) => setCurrency(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-2 sm:col-span-2">
          <input id={ids.invoice} type="checkbox" checked={hasInvoice} onChange={(e) => setHasInvoice(e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
          <label htmlFor={ids.invoice} className="text-sm text-slate-700">
            I have a supplier invoice for this cost
          </label>
        </div>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <Button type="submit" size="sm" loading={mutation.isPending}>
            Save cost
          </Button>
          <span aria-live="polite" className="text-sm text-emerald-700">
            {saved}
          </span>
        </div>
        {mutation.isError && (
          <Alert tone="danger" live className="sm:col-span-2">
            {mutation.error.message}
          </Alert>
        )}
      </form>
    </Card>
  );
}

function CsvImport() {
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const invalidate = useInvalidateCosts();
  const mutation = useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.set("file", file);
      let response: Response;
      try {
        response = await fetch("/api/unit-costs/import", { method: "POST", body: form });
      } catch {
        throw new Error("Could not reach the server. Check your connection and try again.");
      }
      await ensureOk(response);
      return (await response.json()) as ImportReport;
    },
    onSuccess: async () => {
      if (fileInput.current) fileInput.current.value = "";
      await invalidate();
    },
  });
  const report = mutation.data;
  return (
    <Card title="Import a CSV" description="One line per SKU. Valid lines are saved; any line we cannot read is listed with the reason.">
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const file = fileInput.current?.files?.[0];
          if (file) mutation.mutate(file);
        }}
      >
        <div>
          <label htmlFor={fileId} className="text-sm font-medium text-slate-700">
            CSV file
          </label>
          <input
            id={fileId}
            ref={fileInput}
            type="file"
            required
            accept=".csv,text/csv"
            aria-describedby={`${fileId}-help`}
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          <p id={`${fileId}-help`} className="mt-1 text-xs text-slate-500">
            Header: <code className="rounded bg-slate-100 px-1 text-slate-800">sku,unit_cost,currency,has_invoice</code> (has_invoice optional: true/false).
          </p>
        </div>
        <Button type="submit" size="sm" variant="secondary" loading={mutation.isPending}>
          Import
        </Button>
      </form>
      {mutation.isError && (
        <Alert tone="danger" live className="mt-3">
          {mutation.error.message}
        </Alert>
      )}
      {report && (
        <div className="mt-4 space-y-3" aria-live="polite" data-testid="import-report">
          <p className="text-sm text-slate-800">
            <span className="font-medium">{plural(report.imported, "new cost")}</span>, {plural(report.updated, "cost")} updated
            {report.rejected.length > 0 ? `, ${plural(report.rejected.length, "line")} rejected.` : ", nothing rejected."}
          </p>
          {report.rejected.length > 0 && (
            <ScrollRegion label="Rejected lines" className="rounded-lg border border-red-200">
              <table className="min-w-full divide-y divide-red-100 text-sm" data-testid="rejected-lines">
                <caption className="sr-only">Rejected lines</caption>
                <thead className="bg-red-50 text-left text-xs font-medium uppercase tracking-wide text-red-800">
                  <tr>
                    <th scope="col" className="px-3 py-2">Line</th>
                    <th scope="col" className="px-3 py-2">SKU</th>
                    <th scope="col" className="px-3 py-2">Why</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-red-100 bg-white">
                  {report.rejected.map((line) => (
                    <tr key={line.line} data-testid="rejected-line">
                      <td className="px-3 py-2 tabular-nums">{line.line}</td>
                      <td className="px-3 py-2 font-mono text-xs">{line.sku || "—"}</td>
                      <td className="px-3 py-2 text-slate-700">{line.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </div>
      )}
    </Card>
  );
}

function MissingCosts({ onPick }: { onPick: (item: MissingCost) => void }) {
  const query = useQuery({ queryKey: claimKeys.missingCosts, queryFn: () => fetchJson<{ items: MissingCost[] }>("/api/unit-costs/missing") });
  return (
    <Card
      title="Missing costs"
      description="SKUs whose claims are valued at a fallback estimate; entering a cost makes them exact (and usually larger)."
      padding="none"
      id="missing-costs"
    >
      {query.isPending ? (
        <LoadingRows rows={3} label="Loading missing costs" />
      ) : query.isError ? (
        <div className="p-4">
          <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />
        </div>
      ) : query.data.items.length === 0 ? (
        <EmptyState title="No costs missing" description="Every claim that a unit cost would change already has one." />
      ) : (
        <ScrollRegion label="SKUs missing a unit cost">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="missing-costs">
            <caption className="sr-only">SKUs missing a unit cost</caption>
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2.5">SKU</th>
                <th scope="col" className="px-4 py-2.5">FNSKU · ASIN</th>
                <th scope="col" className="px-4 py-2.5 text-right">Open claims</th>
                <th scope="col" className="px-4 py-2.5 text-right">Value at the estimate</th>
                <th scope="col" className="px-4 py-2.5">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {query.data.items.map((item) => (
                <tr key={`${item.sellerConnectionId ?? ""}:${item.sku}`}>
                  <td className="px-4 py-2.5 font-mono text-xs">{item.sku}</td>
                  <td className="px-4 py-2.5 font-mono text-xs text-slate-500">{[item.fnsku, item.asin].filter(Boolean).join(" · ") || "—"}</td>
                  <td className="px-4 py-2.5 text-right tabular-nums">{item.openFindings}</td>
                  <td className="px-4 py-2.5 text-right tabular-nums">{formatMoney(item.valueAtFallback, item.currency ?? "USD")}</td>
                  <td className="px-4 py-2.5 text-right">
                    <Button size="sm" variant="ghost" onClick={() => onPick(item)} aria-label={`Set cost for ${item.sku}`}>
                      Set cost
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </Card>
  );
}

function CostTable() {
  const searchId = useId();
  const [search, setSearch] = useState("");
  const [sku, setSku] = useState("");
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSku(search.trim());
      setOffset(0);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset), ...(sku ? { sku } : {}) }).toString();
  const query = useQuery({
    queryKey: claimKeys.costs(params),
    queryFn: () => fetchJson<{ items: UnitCostItem[]; total: number }>(`/api/unit-costs?${params}`),
    placeholderData: keepPreviousData,
  });
  const total = query.data?.total ?? 0;
  return (
    <Card
      title="Your unit costs"
      padding="none"
      id="unit-costs"
      actions={
        <div>
          <label htmlFor={searchId} className="sr-only">
            Find a SKU
          </label>
          <input id={searchId} type="search" placeholder="Find a SKU" value={search} onChange={(e) => setSearch(e.target.value)} className="w-48 rounded-md border border-slate-300 px-2 py-1 text-sm" />
        </div>
      }
    >
      {query.isPending ? (
        <LoadingRows rows={4} label="Loading unit costs" />
      ) : query.isError && !query.data ? (
        <div className="p-4">
          <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />
        </div>
      ) : query.data.items.length === 0 ? (
        <EmptyState
          title={sku ? "No cost for that SKU" : "No unit costs yet"}
          description={sku ? "Set it with the form above." : "Set costs one by one above, or import a CSV of them all."}
        />
      ) : (
        <>
          <ScrollRegion label="Unit costs">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="unit-cost-table">
              <caption className="sr-only">Unit costs</caption>
              <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-2.5">SKU</th>
                  <th scope="col" className="px-4 py-2.5 text-right">Unit cost</th>
                  <th scope="col" className="px-4 py-2.5">Invoice</th>
                  <th scope="col" className="px-4 py-2.5">Source</th>
                  <th scope="col" className="px-4 py-2.5">Updated</th>
                  <th scope="col" className="px-4 py-2.5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {query.data.items.map((item) => (
                  <CostRow key={item.id} item={item} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {total > PAGE && (
            <nav aria-label="Unit cost pages" className="flex items-center justify-end gap-2 border-t border-slate-100 px-4 py-3 text-sm">
              <span className="text-slate-500">
                {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
              </span>
              <Button size="sm" variant="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </Button>
              <Button size="sm" variant="secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                Next
              </Button>
            </nav>
          )}
        </>
      )}
    </Card>
  );
}

function CostRow({ item }: { item: UnitCostItem }) {
  const invalidate = useInvalidateCosts();
  const ids = { cost: useId(), currency: useId(), invoice: useId() };
  const [mode, setMode] = useState<"view" | "edit" | "confirm-delete">("view");
  const [cost, setCost] = useState(String(item.unitCost));
  const [currency, setCurrency] = useState(item.currency);
  const [hasInvoice, setHasInvoice] = useState(item.hasInvoice);
  const actions = useRef<HTMLTableCellElement>(null);
  const firstInput = useRef<HTMLInputElement>(null);
  const returnFocus = useRef(false);
  // Editing moves focus into the row's input; saving or cancelling brings it back to the Edit button.
  useEffect(() => {
    if (mode === "edit") firstInput.current?.focus();
    if (mode === "view" && returnFocus.current) {
      returnFocus.current = false;
      actions.current?.querySelector("button")?.focus();
    }
  }, [mode]);
  const save = useMutation({
    mutationFn: () =>
      sendJson<{ item: UnitCostItem }>("/api/unit-costs", "PUT", {
        sku: item.sku,
        unitCost: Number(cost),
        currency,
        hasInvoice,
        ...(item.sellerConnectionId ? { sellerConnectionId: item.sellerConnectionId } : {}),
      }),
    onSuccess: async () => {
      returnFocus.current = true;
      setMode("view");
      await invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: () => sendJson<void>(`/api/unit-costs/${encodeURIComponent(item.id)}`, "DELETE"),
    onSuccess: () => invalidate(),
  });

  if (mode === "edit") {
    return (
      <tr className="bg-amber-50/40" data-testid="unit-cost-row">
        <td className="px-4 py-2.5 font-mono text-xs">{item.sku}</td>
        <td className="px-4 py-2.5 text-right" colSpan={2}>
          <div className="flex flex-wrap items-center justify-end gap-2">
            <label htmlFor={ids.cost} className="sr-only">
              Unit cost of {item.sku}
            </label>
            <input id={ids.cost} ref={firstInput} type="number" min="0" step="0.01" value={cost} onChange={(e) => setCost(e.target.value)} className="w-28 rounded-md border border-slate-300 px-2 py-1 text-right text-sm tabular-nums" />
            <label htmlFor={ids.currency} className="sr-only">
              Currency
            </label>
            <select id={ids.currency} value={currency} onChange={(e) => setCurrency(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
              {[...new Set([item.currency, ...CURRENCIES])].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <span className="flex items-center gap-1">
              <input id={ids.invoice} type="checkbox" checked={hasInvoice} onChange={(e) => setHasInvoice(e.target.checked)} className="h-4 w-4" />
              <label htmlFor={ids.invoice} className="text-xs text-slate-700">
                Invoice
              </label>
            </span>
          </div>
          {save.isError && (
            <p role="alert" className="mt-1 text-xs text-red-700">
              {save.error.message}
            </p>
          )}
        </td>
        <td className="px-4 py-2.5" colSpan={2} />
        <td className="whitespace-nowrap px-4 py-2.5 text-right">
          <Button size="sm" loading={save.isPending} onClick={() => save.mutate()}>
            Save
          </Button>{" "}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              returnFocus.current = true;
              setMode("view");
            }}
          >
            Cancel
          </Button>
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="unit-cost-row">
      <td className="px-4 py-2.5 font-mono text-xs">{item.sku}</td>
      <td className="px-4 py-2.5 text-right tabular-nums">{formatMoney(item.unitCost, item.currency)}</td>
      <td className="px-4 py-2.5">{item.hasInvoice ? <Badge tone="success">Invoice</Badge> : <span className="text-slate-500">—</span>}</td>
      <td className="px-4 py-2.5 text-slate-600">{item.source}</td>
      <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
        <LocalTime iso={item.updatedAt} />
      </td>
      <td ref={actions} className="whitespace-nowrap px-4 py-2.5 text-right">
        {mode === "confirm-delete" ? (
          <span className="inline-flex items-center gap-1">
            <span className="text-xs text-red-800">Delete?</span>
            <Button size="sm" variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete {item.sku}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("view")}>
              Keep
            </Button>
          </span>
        ) : (
          <>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Edit the cost of ${item.sku}`}
              onClick={() => {
                setCost(String(item.unitCost));
                setCurrency(item.currency);
                setHasInvoice(item.hasInvoice);
                setMode("edit");
              }}
            >
              Edit
            </Button>
            <Button size="sm" variant="ghost" aria-label={`Delete the cost of ${item.sku}`} onClick={() => setMode("confirm-delete")}>
              Delete
            </Button>
          </>
        )}
        {remove.isError && (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {remove.error.message}
          </p>
        )}
      </td>
    </tr>
  );
}

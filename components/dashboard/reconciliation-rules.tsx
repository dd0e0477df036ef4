"use client";
// Settings › Reconciliation rules (GET/POST /api/v1/reconciliation/rules, PATCH/DELETE .../:id): per
// detection rule (or "*" for all) a minimum value and unit count below which findings are not
// offered (resolved automatically with auto-resolve, else set aside), a severity override, a
// confidence minimum and SKUs it applies to; switching a rule off stops it running.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/alert";
import { LoadingRows } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMoney } from "@/components/ui/money";
import { queryKeys } from "@/components/live/query-keys";
import { apiFetch } from "@/lib/client/api";
import type { ReconciliationRuleItem } from "@/lib/client/types";

export interface RuleOption {
  id: string;
  title: string;
  supported: boolean;
}

const SEVERITIES = ["high", "medium", "low", "info"] as const;

export function ReconciliationRules({ ruleOptions, currency = "USD" }: { ruleOptions: RuleOption[]; currency?: string }) {
  const client = useQueryClient();
  const rules = useQuery({
    queryKey: queryKeys.reconciliationRules,
    queryFn: ({ signal }) => apiFetch<{ rules: ReconciliationRuleItem[] }>("/api/v1/reconciliation/rules", { signal }).then((a) => a.rules),
  });
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.reconciliationRules });
  };
  const titleOf = (ruleType: string) => (ruleType === "*" ? "Every rule" : `${ruleType} · ${ruleOptions.find((r) => r.id === ruleType)?.title ?? ""}`);
  const used = new Set((rules.data ?? []).map((r) => r.ruleType));

  return (
    <div className="space-y-4">
      {rules.isPending ? (
        <LoadingRows rows={3} label="Loading your rules" />
      ) : rules.error ? (
        <ErrorState message={rules.error.message} onRetry={() => void rules.refetch()} />
      ) : rules.data.length === 0 && editing !== "new" ? (
        <EmptyState
          title="No reconciliation rules"
          description="Every detection rule runs and offers every finding it makes. Add a rule to ignore small amounts, change a severity or switch a check off."
          action={<Button onClick={() => setEditing("new")}>Add a rule</Button>}
        />
      ) : (
        <>
          {rules.data.length > 0 && (
            <Table caption="Your reconciliation rules" data-testid="rules-table">
              <TableHead>
                <tr>
                  <TableHeader>Applies to</TableHeader>
                  <TableHeader>State</TableHeader>
                  <TableHeader>Minimums</TableHeader>
                  <TableHeader>Severity</TableHeader>
                  <TableHeader>Below minimum</TableHeader>
                  <TableHeader>
                    <span className="sr-only">Actions</span>
                  </TableHeader>
                </tr>
              </TableHead>
              <TableBody>
                {rules.data.map((rule) =>
                  editing === rule.id ? (
                    <tr key={rule.id}>
                      <td colSpan={6} className="bg-slate-50 p-4">
                        <RuleForm rule={rule} ruleOptions={ruleOptions} used={used} onDone={() => { setEditing(null); refresh(); }} onCancel={() => setEditing(null)} />
                      </td>
                    </tr>
                  ) : (
                    <TableRow key={rule.id} data-testid="rule-row">
                      <TableCell className="font-medium text-slate-900">{titleOf(rule.ruleType)}</TableCell>
                      <TableCell>{rule.enabled ? <Badge tone="success">On</Badge> : <Badge tone="neutral">Switched off</Badge>}</TableCell>
                      <TableCell className="text-xs">
                        {[
                          rule.threshold !== null && `value ≥ ${formatMoney(rule.threshold, currency)}`,
                          rule.minUnits !== null && `units ≥ ${rule.minUnits}`,
                          rule.conditions.minConfidence !== undefined && `confidence ≥ ${Math.round(rule.conditions.minConfidence * 100)}%`,
                          rule.conditions.skus && `SKUs: ${rule.conditions.skus.join(", ")}`,
                        ]
                          .filter(Boolean)
                          .join(" · ") || "—"}
                      </TableCell>
                      <TableCell>{rule.severity ? <span className="capitalize">{rule.severity}</span> : "As computed"}</TableCell>
                      <TableCell>{rule.autoResolve ? "Resolved automatically" : "Set aside"}</TableCell>
                      <TableCell align="right">
                        <RuleActions rule={rule} label={titleOf(rule.ruleType)} onEdit={() => setEditing(rule.id)} onChanged={refresh} />
                      </TableCell>
                    </TableRow>
                  ),
                )}
              </TableBody>
            </Table>
          )}
          {editing === "new" ? (
            <div className="rounded-lg border border-slate-200 bg-slate-50 p-4">
              <RuleForm ruleOptions={ruleOptions} used={used} onDone={() => { setEditing(null); refresh(); }} onCancel={() => setEditing(null)} />
            </div>
          ) : (
            <Button variant="secondary" size="sm" onClick={() => setEditing("new")}>
              Add a rule
            </Button>
          )}
        </>
      )}
    </div>
  );
}

function RuleActions({ rule, label, onEdit, onChanged }: { rule: ReconciliationRuleItem; label: string; onEdit: () => void; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiFetch(`/api/v1/reconciliation/rules/${encodeURIComponent(rule.id)}`, { method: "DELETE" }),
    onSuccess: onChanged,
  });
  if (confirming) {
    return (
      <div className="flex flex-wrap items-center justify-end gap-2" role="group" aria-label={`Delete the rule for ${label}`}>
        <Button variant="danger" size="sm" loading={remove.isPending} onClick={() => remove.mutate()}>
          Delete
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
          Keep
        </Button>
        {remove.error && <span role="alert" className="text-xs text-red-700">{remove.error.message}</span>}
      </div>
    );
  }
  return (
    <div className="flex justify-end gap-1">
      <Button variant="ghost" size="sm" onClick={onEdit} aria-label={`Edit the rule for ${label}`}>
        Edit
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(true)} aria-label={`Delete the rule for ${label}`}>
        Delete
      </Button>
    </div>
  );
}

function RuleForm({ rule, ruleOptions, used, onDone, onCancel }: { rule?: ReconciliationRuleItem; ruleOptions: RuleOption[]; used: Set<string>; onDone: () => void; onCancel: () => void }) {
  const id = useId();
  const [ruleType, setRuleType] = useState(rule?.ruleType ?? (used.has("*") ? (ruleOptions.find((r) => !used.has(r.id))?.id ?? "*") : "*"));
  const [threshold, setThreshold] = useState(rule?.threshold != null ? rule.threshold.toFixed(2) : "");
  const [minUnits, setMinUnits] = useState(rule?.minUnits != null ? String(rule.minUnits) : "");
  const [minConfidence, setMinConfidence] = useState(rule?.conditions.minConfidence !== undefined ? String(Math.round(rule.conditions.minConfidence * 100)) : "");
  const [skus, setSkus] = useState(rule?.conditions.skus?.join(", ") ?? "");
  const [severity, setSeverity] = useState<string>(rule?.severity ?? "");
  const [autoResolve, setAutoResolve] = useState(rule?.autoResolve ?? false);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [localError, setLocalError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      rule
        ? apiFetch(`/api/v1/reconciliation/rules/${encodeURIComponent(rule.id)}`, { method: "PATCH", json: body })
        : apiFetch("/api/v1/reconciliation/rules", { method: "POST", json: body }),
    onSuccess: onDone,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLocalError(null);
    const conditions: Record<string, unknown> = {};
    const skuList = skus.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
    if (skuList.length) conditions.skus = skuList;
    if (minConfidence.trim()) {
      const pct = Number(minConfidence);
      if (!Number.isFinite(pct) || pct < 0 || pct > 100) return setLocalError("Minimum confidence must be a percentage from 0 to 100.");
      conditions.minConfidence = Math.round(pct) / 100;
    }
    if (minUnits.trim() && !/^\d+$/.test(minUnits.trim())) return setLocalError("Minimum units must be a whole number.");
    const body: Record<string, unknown> = {
      ruleType,
      threshold: threshold.trim() ? threshold.trim() : null,
      minUnits: minUnits.trim() ? Number(minUnits) : null,
      severity: severity || null,
      autoResolve,
      enabled,
      conditions,
    };
    save.mutate(body);
  };

  const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-amber-500 focus:outline-none focus:ring-2 focus:ring-amber-500/30";
  const error = localError ?? save.error?.message ?? null;
  return (
    <form onSubmit={submit} aria-label={rule ? "Edit reconciliation rule" : "New reconciliation rule"} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <label className="block text-sm font-medium text-slate-700 sm:col-span-2 lg:col-span-3">
          Applies to
          <select className={field} value={ruleType} onChange={(e) => setRuleType(e.target.value)}>
            <option value="*" disabled={used.has("*") && rule?.ruleType !== "*"}>
              Every rule (unless a rule has its own)
            </option>
            {ruleOptions.map((r) => (
              <option key={r.id} value={r.id} disabled={used.has(r.id) && rule?.ruleType !== r.id}>
                {r.id} · {r.title}
                {r.supported ? "" : " (not running yet)"}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Minimum value
          <input className={field} inputMode="decimal" placeholder="e.g. 25.00" value={threshold} onChange={(e) => setThreshold(e.target.value)} aria-describedby={`${id}-threshold`} />
          <span id={`${id}-threshold`} className="mt-1 block text-xs font-normal text-slate-500">
            Findings worth less are not offered.
          </span>
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Minimum units
          <input className={field} inputMode="numeric" placeholder="e.g. 2" value={minUnits} onChange={(e) => setMinUnits(e.target.value)} />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Minimum confidence (%)
          <input className={field} inputMode="numeric" placeholder="e.g. 70" value={minConfidence} onChange={(e) => setMinConfidence(e.target.value)} />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Severity
          <select className={field} value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">As computed</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium text-slate-700 sm:col-span-2">
          Only these SKUs
          <input className={field} placeholder="Comma-separated; empty for all" value={skus} onChange={(e) => setSkus(e.target.value)} />
        </label>
      </div>
      <div className="flex flex-col gap-2 text-sm text-slate-700 sm:flex-row sm:gap-6">
        <label className="flex items-center gap-2">
          <input type="checkbox" className="h-4 w-4 accent-amber-600" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Rule runs (untick to switch the check off)
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" className="h-4 w-4 accent-amber-600" checked={autoResolve} onChange={(e) => setAutoResolve(e.target.checked)} />
          Resolve findings below the minimums automatically
        </label>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" loading={save.isPending}>
          {rule ? "Save rule" : "Add rule"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

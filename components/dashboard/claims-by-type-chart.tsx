"use client";
// Claims by type on the Overview: a bar per kind of discrepancy with open claims (the value still
// recoverable: not expired, paid or dismissed, which the Overview shows apart), beside a list that
// carries the same figures in text (what screen readers and a phone read).
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/components/ui/money";
import type { DetectionSummary } from "@/lib/client/types";
import { humanize } from "./labels";

export interface TypeRow {
  type: string;
  label: string;
  count: number;
  value: number;
}

/** byRule's open claims grouped by anomaly type, largest value first. */
export function claimsByType(summary: DetectionSummary): TypeRow[] {
  const rows = new Map<string, TypeRow>();
  for (const rule of summary.byRule ?? []) {
    const type = rule.anomalyType || rule.ruleId;
    const row = rows.get(type) ?? { type, label: humanize(type), count: 0, value: 0 };
    row.count += rule.openCount;
    row.value = Math.round((row.value + rule.openValue) * 100) / 100;
    rows.set(type, row);
  }
  return [...rows.values()].filter((r) => r.count > 0).sort((a, b) => b.value - a.value || b.count - a.count);
}

export function ClaimsByTypeChart({ rows, currency }: { rows: TypeRow[]; currency: string }) {
  const height = Math.max(120, rows.length * 40 + 20);
  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <div className="lg:col-span-3" aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <XAxis type="number" hide />
            <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={false} />
            <Tooltip
              cursor={{ fill: "#f1f5f9" }}
              formatter={(value) => [formatMoney(Number(value), currency), "Recoverable"]}
              contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
            />
            <Bar dataKey="value" fill="#f59e0b" radius={[0, 4, 4, 0]} maxBarSize={24} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="divide-y divide-slate-100 text-sm lg:col-span-2" data-testid="claims-by-type">
        {rows.map((row) => (
          <li key={row.type} className="flex items-center justify-between gap-3 py-2">
            <span className="text-slate-700">
              {row.label} <span className="text-slate-500">· {row.count}</span>
            </span>
            <span className="font-medium tabular-nums text-slate-900">{formatMoney(row.value, currency)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

// A seller's reconciliation rules (seed 003's ReconciliationRule) as the detection run applies them:
// which detection rules the seller switched off, which severity they want instead of the computed one,
// and which findings are too small to offer (under a value threshold, a unit minimum or a confidence
// minimum). Pure once loaded: `loadReconciliation` reads the rows, `switchedOff` and `judge` decide.
//
// Which row applies to a finding: the detection rule's own row ("R03") when its conditions (skus,
// marketplaceIds) match the finding, else the "*" row when its conditions match, else none. A rule's
// own row decides whether that rule runs; without one, the "*" row does.
import { decimalToMinorUnits, currencyExponent } from "../../amazon/report-values";
import type { Db } from "../../db";
import { money } from "../format";
import type { Severity } from "../types";
import { conditionsSchema, type Conditions } from "./schema";

export const ALL_RULES = "*";

export interface ReconciliationRow {
  id: string;
  ruleType: string;
  /** Major units as exact decimal text ("25.00"), or null: no minimum value. */
  threshold: string | null;
  minUnits: number | null;
  severity: Severity | null;
  autoResolve: boolean;
  enabled: boolean;
  conditions: Conditions;
}

export interface ReconciliationSettings {
  byRuleType: ReadonlyMap<string, ReconciliationRow>;
}

export const NO_RECONCILIATION: ReconciliationSettings = { byRuleType: new Map() };

export async function loadReconciliation(db: Pick<Db, "reconciliationRule">, sellerConnectionId: string): Promise<ReconciliationSettings> {
  const rows = await db.reconciliationRule.findMany({ where: { sellerConnectionId } });
  const byRuleType = new Map<string, ReconciliationRow>();
  for (const r of rows) {
    // A row written before a validation change is read leniently: conditions it cannot parse are none.
    const conditions = conditionsSchema.safeParse(r.conditions);
    byRuleType.set(r.ruleType, {
      id: r.id,
      ruleType: r.ruleType,
      threshold: r.threshold === null ? null : r.threshold.toFixed(2),
      minUnits: r.minUnits,
      severity: (r.severity as Severity | null) ?? null,
      autoResolve: r.autoResolve,
      enabled: r.enabled,
      conditions: conditions.success ? conditions.data : {},
    });
  }
  return { byRuleType };
}

/** The row that switches `ruleId` off, or null when it runs. */
export function switchedOff(settings: ReconciliationSettings, ruleId: string): ReconciliationRow | null {
  const own = settings.byRuleType.get(ruleId);
  if (own) return own.enabled ? null : own;
  const all = settings.byRuleType.get(ALL_RULES);
  return all && !all.enabled ? all : null;
}

export function switchedOffReason(row: ReconciliationRow): string {
  return row.ruleType === ALL_RULES
    ? "You switched every detection rule off in your reconciliation rules"
    : `You switched ${row.ruleType} off in your reconciliation rules`;
}

export interface Judged {
  /** The seller's severity instead of the computed one (null: keep it). */
  severity: Severity | null;
  /** Under one of the row's minimums: what is stored with it and what the seller reads. */
  below: { row: ReconciliationRow; note: string; reason: string } | null;
}

export interface JudgedFinding {
  sku: string | null;
  marketplaceId: string;
  units: number;
  valueMinor: number;
  currency: string;
  confidence: number;
}

function matches(row: ReconciliationRow, f: JudgedFinding): boolean {
  const { skus, marketplaceIds } = row.conditions;
  if (skus && skus.length > 0 && (!f.sku || !skus.includes(f.sku))) return false;
  if (marketplaceIds && marketplaceIds.length > 0 && !marketplaceIds.includes(f.marketplaceId)) return false;
  return true;
}

/** The row that applies to a finding of `ruleId` (see the file's header). */
export function rowFor(settings: ReconciliationSettings, ruleId: string, f: JudgedFinding): ReconciliationRow | null {
  for (const type of [ruleId, ALL_RULES]) {
    const row = settings.byRuleType.get(type);
    if (row && matches(row, f)) return row;
  }
  return null;
}

const ruleName = (row: ReconciliationRow) => (row.ruleType === ALL_RULES ? "rule * for every detection rule" : `rule ${row.ruleType}`);

/** Threshold text in the finding's currency as integer minor units ("25.00", USD → 2500; JPY → 25). */
export function thresholdMinor(threshold: string, currency: string): number {
  return decimalToMinorUnits(threshold, currencyExponent(currency));
}

export function judge(settings: ReconciliationSettings, ruleId: string, f: JudgedFinding): Judged {
  const row = rowFor(settings, ruleId, f);
  if (!row) return { severity: null, below: null };
  const below = (note: string, what: string) => ({ row, note: `${note} (${ruleName(row)})`, reason: `${what}: ${note.charAt(0).toLowerCase()}${note.slice(1)} (${ruleName(row)}), so it is not offered for filing` });
  let result: Judged["below"] = null;
  if (row.threshold !== null) {
    const min = thresholdMinor(row.threshold, f.currency);
    if (f.valueMinor < min) result = below(`Below your threshold of ${money(min, f.currency)}`, `Worth ${money(f.valueMinor, f.currency)}`);
  }
  if (!result && row.minUnits !== null && f.units < row.minUnits) {
    result = below(`Below your minimum of ${row.minUnits} unit${row.minUnits === 1 ? "" : "s"}`, `${f.units} unit${f.units === 1 ? "" : "s"}`);
  }
  const minConfidence = row.conditions.minConfidence;
  if (!result && minConfidence !== undefined && f.confidence < minConfidence) {
    result = below(`Below your minimum confidence of ${minConfidence.toFixed(2)}`, `Confidence ${f.confidence.toFixed(2)}`);
  }
  return { severity: row.severity, below: result };
}

// Confidence (detection.md §3): base(rule) x product(modifiers), shown with its reasons; severity and
// the ranking threshold (§5) from value x confidence.
import type { Confidence, ConfidenceReason, RuleContext, Severity, Valuation } from "./types";

/** A modifier that applies, or false/null/undefined when it does not. */
export type Modifier = ConfidenceReason | false | null | undefined;

export function confidence(base: number, baseText: string, modifiers: readonly Modifier[]): Confidence {
  const applied = modifiers.filter((m): m is ConfidenceReason => Boolean(m));
  const raw = applied.reduce((value, m) => value * m.factor, base);
  const value = Math.round(Math.min(0.95, Math.max(0, raw)) * 1000) / 1000;
  return { value, reasons: [{ code: "base", text: baseText, factor: base }, ...applied] };
}

export function modifier(code: string, factor: number, text: string): ConfidenceReason {
  return { code, factor, text };
}

/** Common modifiers. */
export const common = {
  /** The value is a fallback estimate, not the seller's cost or the order's own economics. */
  fallbackValue(valuation: Valuation): Modifier {
    return valuation.fallback && modifier("fallback-value", 0.85, `Valued at a fallback estimate (${valuation.basis}), not the seller's cost or the order's own figures`);
  },
  /** A source the rule needs did not sync cleanly last time (a month may be missing). */
  incompleteData(ctx: RuleContext, sources: readonly string[]): Modifier {
    const missing = sources.filter((s) => ctx.degradedSources.has(s));
    return missing.length > 0 && modifier("incomplete-data", 0.6, `The last sync of ${missing.join(", ")} was incomplete: a month may be missing`);
  },
  /** A young finding: Amazon may still pay it on its own. */
  young(ageDays: number, underDays = 30): Modifier {
    return ageDays < underDays && modifier("young", 0.8, `Only ${ageDays} days old: Amazon may still reconcile it on its own`);
  },
};

/** Only findings at or above this confidence are "ready to file"; the rest are "review" (§5). */
export const READY_TO_FILE_CONFIDENCE = 0.6;

/**
 * Severity from expected value (value x confidence), in minor units: high >= 100.00, medium >= 25.00,
 * low >= 1.00, else info (§5 hides findings under 1.00). Thresholds are in the currency's minor units.
 */
export function severityOf(totalMinor: number, confidenceValue: number): Severity {
  const expected = totalMinor * confidenceValue;
  if (expected >= 10_000) return "high";
  if (expected >= 2_500) return "medium";
  if (expected >= 100) return "low";
  return "info";
}

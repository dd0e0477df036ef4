// What the reconciliation-rule API accepts (seed 003's shape: ruleType, threshold, severity,
// autoResolve, enabled, conditions; plus minUnits) and what it answers (RuleItem, the API contract).
// Money is exact: a threshold is kept as decimal text with at most two decimals, never a float.
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { resourceIdSchema } from "../../api/route-wrappers";
import { safeText } from "../../api/validation";
import type { ReconciliationRule } from "../../generated/prisma/client";
import { RULES } from "../rules";

export const SEVERITIES = ["high", "medium", "low", "info"] as const;

const RULE_TYPES = ["*", ...RULES.map((r) => r.id)] as [string, ...string[]];

export const ruleTypeSchema = z.enum(RULE_TYPES, { error: `must be a detection rule id (${RULES[0]!.id} … ${RULES[RULES.length - 1]!.id}) or "*" for every rule` });

const MAX_THRESHOLD = 999_999_999_999.99;

/** A threshold in major units: a number or decimal text, 0 or more, at most two decimals → "25.00". */
export const thresholdSchema = z
  .union([z.number(), z.string()], { error: "must be an amount like 25 or 25.00" })
  .transform((value, ctx) => {
    const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
    if (/^-/.test(text)) {
      ctx.addIssue({ code: "custom", message: "must be 0 or more" });
      return z.NEVER;
    }
    const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
    if (!m) {
      ctx.addIssue({ code: "custom", message: "must be an amount with at most two decimals, like 25 or 25.50" });
      return z.NEVER;
    }
    return `${m[1]}.${(m[2] ?? "").padEnd(2, "0")}`;
  })
  .refine((text) => Number(text) <= MAX_THRESHOLD, "is too large");

const marketplaceIdSchema = z.string().regex(/^[A-Z0-9]{2,20}$/, "must be an Amazon marketplace id like ATVPDKIKX0DER");

/** seed 003's `conditions`: which findings the row is about, and a confidence minimum. Nothing else. */
export const conditionsSchema = z
  .object({
    skus: z.array(safeText(200).pipe(z.string().trim().min(1, "must not be blank"))).min(1).max(1000).optional(),
    marketplaceIds: z.array(marketplaceIdSchema).min(1).max(50).optional(),
    minConfidence: z.number().min(0).max(1).optional(),
  })
  .strict();

export type Conditions = z.infer<typeof conditionsSchema>;

const fields = {
  threshold: thresholdSchema.nullable(),
  minUnits: z.number().int().min(0).max(1_000_000).nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  autoResolve: z.boolean(),
  enabled: z.boolean(),
  conditions: conditionsSchema,
};

export const createRuleSchema = z
  .object({
    ruleType: ruleTypeSchema,
    threshold: fields.threshold.optional(),
    minUnits: fields.minUnits.optional(),
    severity: fields.severity.optional(),
    autoResolve: fields.autoResolve.optional(),
    enabled: fields.enabled.optional(),
    conditions: fields.conditions.optional(),
    sellerConnectionId: resourceIdSchema.optional(),
  })
  .strict();

export const patchRuleSchema = z
  .object({
    ruleType: ruleTypeSchema.optional(),
    threshold: fields.threshold.optional(),
    minUnits: fields.minUnits.optional(),
    severity: fields.severity.optional(),
    autoResolve: fields.autoResolve.optional(),
    enabled: fields.enabled.optional(),
    conditions: fields.conditions.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "the body must change at least one field");

export interface RuleState {
  enabled: boolean;
  conditions: Conditions;
}

/**
 * A switched-off rule is off for every SKU and marketplace: conditions cannot narrow it (the run does
 * not look at a rule it does not run). Refused rather than silently ignored.
 */
export function refuseNarrowedSwitchOff(state: RuleState): void {
  if (!state.enabled && (state.conditions.skus || state.conditions.marketplaceIds)) {
    throw new ApiError("unprocessable_entity", "enabled: a switched-off rule is off for every SKU and marketplace; remove conditions.skus and conditions.marketplaceIds, or keep it enabled");
  }
}

export interface RuleItem {
  id: string;
  ruleType: string;
  threshold: number | null;
  minUnits: number | null;
  severity: string | null;
  autoResolve: boolean;
  enabled: boolean;
  conditions: Conditions;
  createdAt: string;
  updatedAt: string;
  sellerConnectionId: string;
}

export function ruleItem(row: ReconciliationRule): RuleItem {
  const conditions = conditionsSchema.safeParse(row.conditions);
  return {
    id: row.id,
    ruleType: row.ruleType,
    threshold: row.threshold === null ? null : Number(row.threshold.toFixed(2)),
    minUnits: row.minUnits,
    severity: row.severity,
    autoResolve: row.autoResolve,
    enabled: row.enabled,
    conditions: conditions.success ? conditions.data : {},
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    sellerConnectionId: row.sellerConnectionId,
  };
}

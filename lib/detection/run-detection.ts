// One detection run for a seller: every supported rule whose required sources are in, in catalogue
// order, each rule's candidates queried, valued, scored, windowed and stored (upsert.ts). A full run
// rechecks everything; an incremental one only the keys rows synced since `since` touched (scope.ts).
// `now` is the run's clock (tests pin it; the Inngest function passes Amazon's time).
//
// The seller's reconciliation rules (lib/detection/reconciliation/settings.ts) apply here: a rule they
// switched off does not run (skipped, saying so); their severity replaces the computed one; a finding
// under their threshold, unit or confidence minimum is not offered: with autoResolve it is stored
// closed (resolved by "rule", the note naming the rule and the minimum), without it it becomes a
// `below-threshold` set-aside (and an earlier finding of it the seller never touched is withdrawn). A
// status the seller set is never changed by a rule. When the seller changed a rule or a unit cost since
// the last sync ended, an incremental run runs as a full one, so the change reaches every finding.
import { db as appDb, type Db } from "../db";
import { log } from "../observability/logger";
import { severityOf } from "./confidence";
import { settingsChangedSinceLastSync } from "./reconciliation/changes";
import { judge, loadReconciliation, switchedOff, switchedOffReason, type ReconciliationSettings } from "./reconciliation/settings";
import { currencyOfMarketplace, US_MARKETPLACE_ID } from "./marketplaces";
import { RULES, supportedRules } from "./rules";
import { availableSources, scopeSize, touchedScope } from "./scope";
import { storeRuleResults, type StoredFinding, type UpsertCounts } from "./upsert";
import type { CandidateRow, DetectionMode, Finding, RuleContext, Scope, SetAside, SupportedRule } from "./types";
import { daysUntilOpen, isoDay, loadWindowPolicies, policyFor, windowFor, type WindowPolicy } from "./windows";

export interface RunDetectionInput {
  sellerConnectionId: string;
  mode?: DetectionMode;
  now?: Date;
  /** Incremental: rows synced at or after this instant are the new ones. Required for incremental. */
  since?: Date;
  /** Only these rules (ids, e.g. ["R01"]); default all supported. */
  ruleIds?: readonly string[];
  /** Incremental: the touched keys, when the run's plan computed them once (else computed here from `since`). */
  scope?: Scope | null;
  db?: Db;
}

export type RuleRun = ({ ran: true } & UpsertCounts & { candidates: number }) | { ran: false; skipped: string };

export interface RunDetectionResult {
  mode: DetectionMode;
  found: number;
  updated: number;
  resolved: number;
  setAside: number;
  /** Keys an incremental run rechecked (null in a full run). */
  scopeKeys: number | null;
  byRule: Record<string, RuleRun>;
}

interface Prepared {
  ctx: RuleContext;
  policies: WindowPolicy[];
  reconciliation: ReconciliationSettings;
}

async function prepare(input: RunDetectionInput): Promise<Prepared> {
  const db = input.db ?? appDb;
  const now = input.now ?? new Date();
  let mode = input.mode ?? "full";
  const seller = await db.sellerConnection.findUnique({ where: { id: input.sellerConnectionId }, select: { marketplaceIds: true } });
  if (!seller) throw new RangeError(`No seller connection ${input.sellerConnectionId}`);
  const defaultMarketplaceId = seller.marketplaceIds[0] ?? US_MARKETPLACE_ID;
  const { sources, degraded } = await availableSources(db, input.sellerConnectionId);
  let scope: Scope | null = null;
  // A changed reconciliation rule or unit cost concerns findings no new row touched: look at all of them.
  if (mode === "incremental" && (await settingsChangedSinceLastSync(db, input.sellerConnectionId))) mode = "full";
  if (mode === "incremental") {
    if (!input.since) throw new RangeError("An incremental detection run needs `since`");
    scope = input.scope ?? (await touchedScope(db, input.sellerConnectionId, input.since, isoDay(now)));
  }
  const ctx: RuleContext = {
    db,
    sellerConnectionId: input.sellerConnectionId,
    now,
    today: isoDay(now),
    mode,
    scope,
    defaultMarketplaceId,
    defaultCurrency: currencyOfMarketplace(defaultMarketplaceId),
    sources,
    degradedSources: degraded,
  };
  return { ctx, policies: await loadWindowPolicies(db), reconciliation: await loadReconciliation(db, input.sellerConnectionId) };
}

export async function runDetection(input: RunDetectionInput): Promise<RunDetectionResult> {
  const prepared = await prepare(input);
  const rules = supportedRules().filter((r) => !input.ruleIds || input.ruleIds.includes(r.id));
  const result: RunDetectionResult = {
    mode: prepared.ctx.mode,
    found: 0,
    updated: 0,
    resolved: 0,
    setAside: 0,
    scopeKeys: prepared.ctx.scope ? scopeSize(prepared.ctx.scope) : null,
    byRule: {},
  };
  for (const rule of rules) {
    const run = await runRule(prepared, rule);
    result.byRule[rule.id] = run;
    if (run.ran) {
      result.found += run.found;
      result.updated += run.updated;
      result.resolved += run.resolved;
      result.setAside += run.setAside;
    }
  }
  return result;
}

/** One rule, for callers that run rules one at a time (the Inngest function: a step per rule). */
export async function runDetectionRule(input: RunDetectionInput & { ruleId: string }): Promise<RuleRun> {
  const rule = RULES.find((r) => r.id === input.ruleId);
  if (!rule) throw new RangeError(`No detection rule ${input.ruleId}`);
  if (!rule.supported) return { ran: false, skipped: `Not supported yet: ${rule.why}` };
  return runRule(await prepare(input), rule);
}

/**
 * A rule's candidates, one per fingerprint (the key findings and set-asides are stored by). A rule that
 * meets a source row Amazon listed twice could give two, and the upsert would refuse the rule's whole
 * batch on every run; the first open one (else the first) is kept, and the log says how many were not.
 */
export function oneRowPerFingerprint(ruleId: string, rows: CandidateRow[]): CandidateRow[] {
  const byFingerprint = new Map<string, CandidateRow>();
  let dropped = 0;
  for (const row of rows) {
    const kept = byFingerprint.get(row.fingerprint);
    if (!kept) {
      byFingerprint.set(row.fingerprint, row);
      continue;
    }
    dropped += 1;
    if (kept.setAside && !row.setAside) byFingerprint.set(row.fingerprint, row);
  }
  if (dropped === 0) return rows;
  log.warn({ ruleId, dropped }, "detection: candidates sharing a fingerprint were merged into one");
  return [...byFingerprint.values()];
}

async function runRule({ ctx, policies, reconciliation }: Prepared, rule: SupportedRule): Promise<RuleRun> {
  const off = switchedOff(reconciliation, rule.id);
  if (off) return { ran: false, skipped: switchedOffReason(off) };
  const missing = rule.requires.filter((s) => !ctx.sources.has(s));
  if (missing.length > 0) return { ran: false, skipped: `No ${missing.join(", ")} data synced yet` };
  const runAt = ctx.now;
  const rows = oneRowPerFingerprint(rule.id, await rule.candidates(ctx));
  const setAsides: SetAside[] = [];
  const open = rows.filter((r) => !r.setAside);
  for (const row of rows) {
    if (!row.setAside) continue;
    setAsides.push({
      ...setAsideIdentifiers(rule, row),
      reasonCode: row.setAside.code,
      reason: row.setAside.reason,
      paidByReimbursementId: row.setAside.reimbursementId ?? null,
      reimbursementId: row.setAside.reimbursementId ?? row.reimbursementId,
      recheckAt: row.setAside.recheckAt ?? null,
      details: { facts: row.facts, evidence: row.evidence } as never,
    });
  }
  const values = await rule.value(ctx, open);
  const findings: StoredFinding[] = [];
  const below: { finding: Finding; note: string; reason: string }[] = [];
  for (const row of open) {
    const valuation = values.get(row.fingerprint);
    if (!valuation) throw new Error(`${rule.id} gave no value for ${row.fingerprint}`);
    const marketplaceId = row.marketplaceId ?? ctx.defaultMarketplaceId;
    const policy = policyFor(policies, marketplaceId, rule.claimFamily, row.anchorDate);
    if (!policy) throw new Error(`No claim window policy for ${rule.claimFamily} in ${marketplaceId} on ${row.anchorDate}`);
    const window = windowFor(policy, row.anchorDate);
    if (rule.holdUntilWindowOpens && ctx.today < window.opensAt) {
      const days = daysUntilOpen(window.opensAt, ctx.now);
      setAsides.push({
        ...setAsideIdentifiers(rule, row),
        reasonCode: "too-early",
        paidByReimbursementId: null,
        reason: `Window opens in ${days} day${days === 1 ? "" : "s"} (${window.opensAt}): Amazon may still settle it on its own before then`,
        reimbursementId: null,
        recheckAt: window.opensAt,
        details: { facts: row.facts, evidence: row.evidence, valuation, window } as never,
      });
      continue;
    }
    const confidence = rule.confidence(ctx, row, valuation);
    const judged = judge(reconciliation, rule.id, { sku: row.sku, marketplaceId, units: row.units, valueMinor: valuation.totalMinor, currency: valuation.currency, confidence: confidence.value });
    const finding: Finding = {
      ruleId: rule.id,
      ruleSlug: rule.slug,
      fingerprint: row.fingerprint,
      summary: rule.summary(row, valuation),
      sku: row.sku,
      fnsku: row.fnsku,
      asin: row.asin,
      orderId: row.orderId,
      shipmentId: row.shipmentId,
      referenceId: row.referenceId,
      reimbursementId: row.reimbursementId,
      removalOrderId: row.removalOrderId,
      units: row.units,
      valuation,
      confidence,
      severity: judged.severity ?? rule.severity?.(row) ?? severityOf(valuation.totalMinor, confidence.value),
      claimFamily: rule.claimFamily,
      marketplaceId,
      anchorDate: row.anchorDate,
      eventDate: row.eventDate,
      opensAt: window.opensAt,
      deadline: window.deadline,
      windowPolicyId: window.policyId,
      windowVerify: window.verify,
      evidence: {
        rows: row.evidence,
        facts: row.facts,
        valuation: { basis: valuation.basis, unitMinor: valuation.unitMinor, units: row.units, totalMinor: valuation.totalMinor, currency: valuation.currency, detail: valuation.detail },
        window: { policyId: window.policyId, anchor: policy.anchor, anchorDate: row.anchorDate, opensAt: window.opensAt, deadline: window.deadline, verify: window.verify, note: window.note },
      } as never,
    };
    if (!judged.below) findings.push({ ...finding, closedByRule: null });
    else if (judged.below.row.autoResolve) findings.push({ ...finding, closedByRule: judged.below.note });
    else below.push({ finding, note: judged.below.note, reason: judged.below.reason });
  }
  // Under the seller's minimum, not auto-resolved: set aside, unless the seller already set a status
  // on that finding (a seller's status is never overridden by a rule: it stays a finding, updated).
  if (below.length > 0) {
    const owned = await ctx.db.detection.findMany({
      where: { sellerConnectionId: ctx.sellerConnectionId, ruleId: rule.id, statusSetBy: "seller", fingerprint: { in: below.map((b) => b.finding.fingerprint) } },
      select: { fingerprint: true },
    });
    const sellerOwned = new Set(owned.map((d) => d.fingerprint));
    for (const { finding, note, reason } of below) {
      if (sellerOwned.has(finding.fingerprint)) {
        findings.push({ ...finding, closedByRule: null });
        continue;
      }
      setAsides.push({
        ruleId: finding.ruleId,
        ruleSlug: finding.ruleSlug,
        fingerprint: finding.fingerprint,
        sku: finding.sku,
        fnsku: finding.fnsku,
        asin: finding.asin,
        orderId: finding.orderId,
        shipmentId: finding.shipmentId,
        referenceId: finding.referenceId,
        reimbursementId: finding.reimbursementId,
        removalOrderId: finding.removalOrderId,
        units: finding.units,
        eventDate: finding.eventDate,
        reasonCode: BELOW_THRESHOLD,
        reason,
        paidByReimbursementId: null,
        recheckAt: null,
        details: { rule: note, summary: finding.summary, valuation: (finding.evidence as { valuation?: unknown }).valuation, severity: finding.severity, confidence: finding.confidence.value, facts: (finding.evidence as { facts?: unknown }).facts } as never,
      });
    }
  }
  const counts = await storeRuleResults(ctx, rule, findings, setAsides, runAt);
  return { ran: true, candidates: rows.length, ...counts };
}

/**
 * Open findings of a seller: still claimable or waiting (pending, reviewed, not past the deadline) or
 * in flight with Amazon (filed, disputed); info-severity ones (under 1.00 expected, detection.md §5
 * hides them) do not count. What SyncRun.claimsDetected records after a run.
 */
export async function countOpenFindings(sellerConnectionId: string, now: Date, db: Db = appDb): Promise<number> {
  const today = new Date(`${isoDay(now)}T00:00:00Z`);
  return db.detection.count({
    where: {
      sellerConnectionId,
      severity: { not: "info" },
      OR: [{ status: { in: ["filed", "disputed"] } }, { status: { in: ["pending", "reviewed"] }, OR: [{ deadline: null }, { deadline: { gte: today } }] }],
    },
  });
}

/** A candidate under the seller's minimum, left out of the findings (reconciliation rules without autoResolve). */
export const BELOW_THRESHOLD = "below-threshold";

/** What every set-aside of a candidate names: the rule, the fingerprint and the identifiers a seller files with. */
function setAsideIdentifiers(rule: { id: string; slug: string }, row: CandidateRow) {
  return {
    ruleId: rule.id,
    ruleSlug: rule.slug,
    fingerprint: row.fingerprint,
    sku: row.sku,
    fnsku: row.fnsku,
    asin: row.asin,
    orderId: row.orderId,
    shipmentId: row.shipmentId,
    referenceId: row.referenceId,
    removalOrderId: row.removalOrderId,
    units: row.units,
    eventDate: row.eventDate,
  };
}

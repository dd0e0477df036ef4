// Storing one rule's results, in one transaction, set-based:
// - findings are upserted by (seller, rule, fingerprint): a rerun updates the values, evidence and
//   window, never adds a second row; the status stays (a seller-set status always; a system one too,
//   except that a finding the system had closed as resolved and that is open again is reopened);
// - a set-aside that names the reimbursement covering the loss closes the earlier finding with that
//   fingerprint as `resolved` with the reimbursement id (a seller's `dismissed` stays dismissed, the id
//   is recorded); a seller's filed/disputed finding that Amazon paid is resolved: that is the outcome;
// - findings the run did not find again for other reasons are left alone: lastSeenRunAt tells;
// - set-asides are replaced for what the run rechecked (all of the rule's in a full run, those in
//   scope in an incremental one);
// - the seller's reconciliation rules (run-detection.ts): a finding under their minimum with
//   autoResolve is stored `resolved` by "rule" with the note naming the rule (re-judged every run: it
//   is reopened as pending when it no longer falls under the minimum); a `below-threshold` set-aside
//   withdraws the earlier finding of that fingerprint unless the seller set its status. A seller's
//   status is never changed by a rule.
import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import type { Db } from "../db";
import { inScope } from "./sql";
import type { Finding, RuleContext, ScopeDimension, SetAside, SupportedRule } from "./types";

export interface UpsertCounts {
  found: number;
  updated: number;
  resolved: number;
  setAside: number;
  /** Findings stored closed by the seller's reconciliation rule (autoResolve). */
  closedByRule: number;
  /** Earlier findings withdrawn because they now fall under the seller's minimum (below-threshold set-asides). */
  withdrawn: number;
}

/** A finding as stored: `closedByRule` is the note when a reconciliation rule closes it (autoResolve), else null. */
export type StoredFinding = Finding & { closedByRule: string | null };

type Tx = Pick<Db, "$queryRaw" | "$executeRaw">;

export async function storeRuleResults(ctx: RuleContext, rule: Pick<SupportedRule, "id" | "slug" | "scopeDimensions">, findings: readonly (Finding & { closedByRule?: string | null })[], setAsides: readonly SetAside[], runAt: Date): Promise<UpsertCounts> {
  const counts: UpsertCounts = { found: 0, updated: 0, resolved: 0, setAside: setAsides.length, closedByRule: 0, withdrawn: 0 };
  await ctx.db.$transaction(
    async (tx) => {
      const upserted = await upsertFindings(tx, ctx.sellerConnectionId, findings, runAt);
      counts.found = upserted.filter((r) => r.inserted).length;
      counts.updated = upserted.length - counts.found;
      counts.closedByRule = upserted.filter((r) => r.closed).length;
      counts.withdrawn = await withdrawBelowThreshold(tx, ctx.sellerConnectionId, rule.id, setAsides);
      counts.resolved = await resolvePaid(tx, ctx.sellerConnectionId, rule.id, setAsides, runAt);
      await replaceSetAsides(tx, ctx, rule, setAsides, runAt);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return counts;
}

const CHUNK = 2_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function upsertFindings(tx: Tx, sellerConnectionId: string, findings: readonly (Finding & { closedByRule?: string | null })[], runAt: Date): Promise<{ inserted: boolean; closed: boolean }[]> {
  const at = runAt.toISOString();
  const out: { inserted: boolean; closed: boolean }[] = [];
  for (const part of chunks(findings)) {
    const payload = part.map((f) => ({
      id: randomUUID(),
      ruleId: f.ruleId,
      ruleSlug: f.ruleSlug,
      fingerprint: f.fingerprint,
      summary: f.summary,
      sku: f.sku,
      fnsku: f.fnsku,
      asin: f.asin,
      orderId: f.orderId,
      shipmentId: f.shipmentId,
      referenceId: f.referenceId,
      reimbursementId: f.reimbursementId,
      removalOrderId: f.removalOrderId,
      units: f.units,
      value: Math.round(f.valuation.totalMinor),
      unit: Math.round(f.valuation.unitMinor),
      currency: f.valuation.currency,
      basis: f.valuation.basis,
      confidence: f.confidence.value,
      reasons: f.confidence.reasons,
      severity: f.severity,
      family: f.claimFamily,
      marketplace: f.marketplaceId,
      anchor: f.anchorDate,
      event: f.eventDate,
      opens: f.opensAt,
      deadline: f.deadline,
      policy: f.windowPolicyId,
      verify: f.windowVerify,
      evidence: f.evidence,
      closed: f.closedByRule ?? null,
    }));
    // closeNow: the rule closes it (never over a seller's status); reopenRule: a rule had closed it and
    // it no longer falls under the minimum; reopenSystem: the system had closed it and it is open again.
    const seller = Prisma.sql`"Detection"."statusSetBy" = 'seller'`;
    const closeNow = Prisma.sql`(EXCLUDED."statusSetBy" = 'rule' AND NOT ${seller})`;
    const wasRuleClosed = Prisma.sql`("Detection"."statusSetBy" = 'rule' AND "Detection"."status" = 'resolved')`;
    const reopen = Prisma.sql`(EXCLUDED."statusSetBy" = 'system' AND ("Detection"."statusSetBy" = 'rule' OR ("Detection"."statusSetBy" = 'system' AND "Detection"."status" = 'resolved')))`;
    const rows = await tx.$queryRaw<{ inserted: boolean; closed: boolean }[]>`
      INSERT INTO "Detection" (
        "id", "sellerConnectionId", "ruleId", "ruleSlug", "fingerprint", "summary", "sku", "fnsku", "asin", "orderId", "shipmentId",
        "referenceId", "reimbursementId", "removalOrderId", "units", "estimatedValueMinor", "unitValueMinor", "currency", "valueBasis",
        "confidence", "confidenceReasons", "severity", "claimFamily", "marketplaceId", "anchorDate", "eventDate", "opensAt", "deadline",
        "windowPolicyId", "windowVerify", "discoveredAt", "status", "statusSetBy", "statusNote", "statusChangedAt", "resolvedAt", "evidence", "lastSeenRunAt", "createdAt", "updatedAt")
      SELECT x.id, ${sellerConnectionId}, x."ruleId", x."ruleSlug", x.fingerprint, x.summary, x.sku, x.fnsku, x.asin, x."orderId", x."shipmentId",
        x."referenceId", x."reimbursementId", x."removalOrderId", x.units, x.value, x.unit, x.currency, x.basis,
        x.confidence, x.reasons, x.severity, x.family, x.marketplace, x.anchor, x.event, x.opens, x.deadline,
        x.policy, x.verify, ${at}::timestamptz,
        CASE WHEN x.closed IS NULL THEN 'pending' ELSE 'resolved' END, CASE WHEN x.closed IS NULL THEN 'system' ELSE 'rule' END, x.closed,
        CASE WHEN x.closed IS NULL THEN NULL ELSE ${at}::timestamptz END, CASE WHEN x.closed IS NULL THEN NULL ELSE ${at}::timestamptz END,
        x.evidence, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(
        id text, "ruleId" text, "ruleSlug" text, fingerprint text, summary text, sku text, fnsku text, asin text, "orderId" text, "shipmentId" text,
        "referenceId" text, "reimbursementId" text, "removalOrderId" text, units int, value bigint, unit bigint, currency text, basis text,
        confidence float8, reasons jsonb, severity text, family text, marketplace text, anchor date, event date, opens date, deadline date,
        policy text, verify boolean, evidence jsonb, closed text)
      ON CONFLICT ("sellerConnectionId", "ruleId", "fingerprint") DO UPDATE SET
        "ruleSlug" = EXCLUDED."ruleSlug", "summary" = EXCLUDED."summary", "sku" = EXCLUDED."sku", "fnsku" = EXCLUDED."fnsku", "asin" = EXCLUDED."asin",
        "orderId" = EXCLUDED."orderId", "shipmentId" = EXCLUDED."shipmentId", "referenceId" = EXCLUDED."referenceId",
        "reimbursementId" = EXCLUDED."reimbursementId", "removalOrderId" = EXCLUDED."removalOrderId", "units" = EXCLUDED."units",
        "estimatedValueMinor" = EXCLUDED."estimatedValueMinor", "unitValueMinor" = EXCLUDED."unitValueMinor", "currency" = EXCLUDED."currency",
        "valueBasis" = EXCLUDED."valueBasis", "confidence" = EXCLUDED."confidence", "confidenceReasons" = EXCLUDED."confidenceReasons",
        "severity" = EXCLUDED."severity", "claimFamily" = EXCLUDED."claimFamily", "marketplaceId" = EXCLUDED."marketplaceId",
        "anchorDate" = EXCLUDED."anchorDate", "eventDate" = EXCLUDED."eventDate", "opensAt" = EXCLUDED."opensAt", "deadline" = EXCLUDED."deadline",
        "windowPolicyId" = EXCLUDED."windowPolicyId", "windowVerify" = EXCLUDED."windowVerify", "evidence" = EXCLUDED."evidence",
        "lastSeenRunAt" = EXCLUDED."lastSeenRunAt", "updatedAt" = EXCLUDED."updatedAt",
        "status" = CASE WHEN ${closeNow} THEN 'resolved' WHEN ${reopen} THEN 'pending' ELSE "Detection"."status" END,
        "statusSetBy" = CASE WHEN ${closeNow} THEN 'rule' WHEN ${reopen} THEN 'system' ELSE "Detection"."statusSetBy" END,
        "statusNote" = CASE WHEN ${closeNow} THEN EXCLUDED."statusNote" WHEN ${reopen} AND "Detection"."statusSetBy" = 'rule' THEN NULL ELSE "Detection"."statusNote" END,
        "statusChangedAt" = CASE WHEN ${closeNow} AND ${wasRuleClosed} THEN "Detection"."statusChangedAt" WHEN ${closeNow} OR ${reopen} THEN EXCLUDED."lastSeenRunAt" ELSE "Detection"."statusChangedAt" END,
        "resolvedByReimbursementId" = CASE WHEN ${closeNow} OR ${reopen} THEN NULL ELSE "Detection"."resolvedByReimbursementId" END,
        "resolvedAt" = CASE WHEN ${closeNow} AND ${wasRuleClosed} THEN "Detection"."resolvedAt" WHEN ${closeNow} THEN EXCLUDED."lastSeenRunAt" WHEN ${reopen} THEN NULL ELSE "Detection"."resolvedAt" END
      RETURNING (xmax = 0) AS inserted, ("Detection"."statusSetBy" = 'rule') AS closed`;
    out.push(...rows);
  }
  return out;
}

/** Closes earlier findings that a reimbursement has since paid (see the file's header). */
async function resolvePaid(tx: Tx, sellerConnectionId: string, ruleId: string, setAsides: readonly SetAside[], runAt: Date): Promise<number> {
  const paid = setAsides.filter((a) => a.paidByReimbursementId).map((a) => ({ fingerprint: a.fingerprint, reimbursementId: a.paidByReimbursementId }));
  if (paid.length === 0) return 0;
  const at = runAt.toISOString();
  let resolved = 0;
  for (const part of chunks(paid)) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Detection" d SET
        "status" = CASE WHEN d."statusSetBy" = 'seller' AND d."status" = 'dismissed' THEN d."status" ELSE 'resolved' END,
        "statusSetBy" = CASE WHEN d."statusSetBy" = 'seller' AND d."status" = 'dismissed' THEN d."statusSetBy" ELSE 'system' END,
        "statusChangedAt" = CASE WHEN d."statusSetBy" = 'seller' AND d."status" = 'dismissed' THEN d."statusChangedAt" ELSE ${at}::timestamptz END,
        -- A reconciliation rule's note ("Below your threshold ...") no longer says why it is closed.
        "statusNote" = CASE WHEN d."statusSetBy" = 'rule' THEN NULL ELSE d."statusNote" END,
        "resolvedByReimbursementId" = x."reimbursementId",
        "resolvedAt" = ${at}::timestamptz,
        "updatedAt" = ${at}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(paid)}::jsonb) AS x(fingerprint text, "reimbursementId" text)
      WHERE d."sellerConnectionId" = ${sellerConnectionId} AND d."ruleId" = ${ruleId} AND d."fingerprint" = x.fingerprint
        AND d."resolvedByReimbursementId" IS DISTINCT FROM x."reimbursementId"
      RETURNING d.id`;
    resolved += rows.length;
  }
  return resolved;
}

/**
 * Withdraws earlier findings that now fall under the seller's minimum and are set aside for it (a
 * threshold raised, autoResolve switched off): the set-aside keeps the reason; a finding whose status
 * the seller set stays (run-detection.ts keeps those as findings in the first place).
 */
async function withdrawBelowThreshold(tx: Tx, sellerConnectionId: string, ruleId: string, setAsides: readonly SetAside[]): Promise<number> {
  const fingerprints = setAsides.filter((a) => a.reasonCode === "below-threshold").map((a) => a.fingerprint);
  let withdrawn = 0;
  for (const part of chunks(fingerprints)) {
    withdrawn += await tx.$executeRaw`
      DELETE FROM "Detection" d
      WHERE d."sellerConnectionId" = ${sellerConnectionId} AND d."ruleId" = ${ruleId} AND d."fingerprint" = ANY(${part}::text[])
        AND d."statusSetBy" <> 'seller'`;
  }
  return withdrawn;
}

const SET_ASIDE_COLUMNS: Record<ScopeDimension, Prisma.Sql> = {
  fnskus: Prisma.sql`a.fnsku`,
  skus: Prisma.sql`a.sku`,
  orderIds: Prisma.sql`a."orderId"`,
  shipmentIds: Prisma.sql`a."shipmentId"`,
  removalOrderIds: Prisma.sql`a."removalOrderId"`,
  reimbursementIds: Prisma.sql`a."reimbursementId"`,
};

async function replaceSetAsides(tx: Tx, ctx: RuleContext, rule: Pick<SupportedRule, "id" | "scopeDimensions">, setAsides: readonly SetAside[], runAt: Date): Promise<void> {
  const s = ctx.sellerConnectionId;
  const ruleId = rule.id;
  const columns = Object.fromEntries(rule.scopeDimensions.map((d) => [d, SET_ASIDE_COLUMNS[d]]));
  await tx.$executeRaw`
    DELETE FROM "DetectionSetAside" a
    WHERE a."sellerConnectionId" = ${s} AND a."ruleId" = ${ruleId}
      AND ${inScope(ctx, columns)}`;
  const at = runAt.toISOString();
  for (const part of chunks(setAsides)) {
    const payload = part.map(({ paidByReimbursementId: _paid, ...a }) => ({ ...a, id: randomUUID() }));
    await tx.$executeRaw`
      INSERT INTO "DetectionSetAside" (
        "id", "sellerConnectionId", "ruleId", "ruleSlug", "fingerprint", "reasonCode", "reason", "sku", "fnsku", "asin", "orderId",
        "shipmentId", "referenceId", "reimbursementId", "removalOrderId", "units", "eventDate", "recheckAt", "details", "runAt")
      SELECT x.id, ${s}, x."ruleId", x."ruleSlug", x.fingerprint, x."reasonCode", x.reason, x.sku, x.fnsku, x.asin, x."orderId",
        x."shipmentId", x."referenceId", x."reimbursementId", x."removalOrderId", x.units, x."eventDate", x."recheckAt", x.details, ${at}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(
        id text, "ruleId" text, "ruleSlug" text, fingerprint text, "reasonCode" text, reason text, sku text, fnsku text, asin text, "orderId" text,
        "shipmentId" text, "referenceId" text, "reimbursementId" text, "removalOrderId" text, units int, "eventDate" date, "recheckAt" date, details jsonb)
      ON CONFLICT ("sellerConnectionId", "ruleId", "fingerprint") DO UPDATE SET
        "reasonCode" = EXCLUDED."reasonCode", "reason" = EXCLUDED."reason", "sku" = EXCLUDED."sku", "fnsku" = EXCLUDED."fnsku", "asin" = EXCLUDED."asin",
        "orderId" = EXCLUDED."orderId", "shipmentId" = EXCLUDED."shipmentId", "referenceId" = EXCLUDED."referenceId",
        "reimbursementId" = EXCLUDED."reimbursementId", "removalOrderId" = EXCLUDED."removalOrderId", "units" = EXCLUDED."units",
        "eventDate" = EXCLUDED."eventDate", "recheckAt" = EXCLUDED."recheckAt", "details" = EXCLUDED."details", "runAt" = EXCLUDED."runAt"`;
  }
}

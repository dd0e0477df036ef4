// R16 reimbursement-reversed-unsupported (detection.md §4): Amazon clawed back a reimbursement without
// the unit coming back.
//
// Reversals: reimbursement rows with reason Reimbursement_Reversal, or an original-reimbursement-id and a
// negative amount. For each, the original payout (same reimbursement id as original-reimbursement-id):
// - a "-cash, +inventory" reversal is a normal swap of money for a replacement unit: set aside;
// - Lost_Warehouse / Damaged_Warehouse / Lost_Inbound originals need found units (F or N, Quantity > 0,
//   same FNSKU or ASIN) dated from 7 days before the original's approval to 7 days after the reversal,
//   at least as many as reversed; CustomerReturn / CustomerServiceIssue originals need a SELLABLE
//   customer return of the original's order on or before the reversal (+7 days). Supported: set aside;
// - otherwise the reversed amount is the finding; a reversal of an original already reversed before is
//   a finding in full ("reversed twice"); a reversal above the original amount is a finding for the
//   excess even when supported.
// The original not in the synced history (older than it) lowers confidence (x0.7). No published window:
// 60 days from the reversal (policy row default-reimbursement-reversal, marked verify).
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { money } from "../format";
import { codeKey, eventKey, inScope, reasonKey, queryRows } from "../sql";
import type { CandidateRow, EvidenceRow, RuleContext, SupportedRule, Valuation } from "../types";

interface Row {
  id: string;
  reimbursementId: string;
  approval: string;
  sku: string;
  fnsku: string;
  asin: string | null;
  reversedAmount: number;
  reversedUnits: number;
  inventoryBack: number;
  currency: string | null;
  originalId: string | null;
  originalRowId: string | null;
  originalReason: string | null;
  originalReasonKey: string | null;
  originalApproval: string | null;
  originalAmount: number | null;
  originalOrderId: string | null;
  earlierReversals: number;
  foundUnits: number;
  foundRows: EvidenceRow[] | null;
  sellableReturns: number;
  returnRows: EvidenceRow[] | null;
  sourceReport: string;
  sourceLine: number;
}

const LOSS_ORIGINALS = ["lostwarehouse", "damagedwarehouse", "lostinbound", "damagedinbound"];
const RETURN_ORIGINALS = ["customerreturn", "customerserviceissue"];

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    rev AS (
      SELECT r.id, r."reimbursementId", r."approvalDate"::date AS approval, r.sku, r.fnsku, NULLIF(r.asin, '') AS asin,
        abs(COALESCE(r."amountTotal", 0))::float8 AS amount,
        abs(LEAST(0, COALESCE(r."quantityReimbursedCash", 0)))::int + abs(LEAST(0, COALESCE(r."quantityReimbursedInventory", 0)))::int AS units,
        GREATEST(0, COALESCE(r."quantityReimbursedInventory", 0))::int AS inventory_back,
        r."currencyUnit" AS currency, NULLIF(r."originalReimbursementId", '') AS original_id, r."sourceReport", r."sourceLine"
      FROM "Reimbursement" r
      WHERE r."sellerConnectionId" = ${s} AND r."approvalDate" IS NOT NULL
        AND (${reasonKey(Prisma.sql`r.reason`)} = 'reimbursementreversal' OR (COALESCE(r."originalReimbursementId", '') <> '' AND COALESCE(r."amountTotal", 0) < 0))
        AND ${inScope(ctx, { reimbursementIds: Prisma.sql`r."reimbursementId"`, fnskus: Prisma.sql`r.fnsku`, skus: Prisma.sql`r.sku` })}
    ),
    orig AS (
      SELECT v.id AS rev_id, o.id AS orig_row, o.reason, ${reasonKey(Prisma.sql`o.reason`)} AS reason_key, o."approvalDate"::date AS approval,
        o."amountTotal"::float8 AS amount, NULLIF(o."amazonOrderId", '') AS order_id
      FROM rev v
      JOIN LATERAL (
        SELECT * FROM "Reimbursement" o
        WHERE o."sellerConnectionId" = ${s} AND o."reimbursementId" = v.original_id AND COALESCE(o."amountTotal", 0) > 0
        ORDER BY (o.fnsku = v.fnsku) DESC, (o.sku = v.sku) DESC, o.id LIMIT 1
      ) o ON true
    ),
    judged AS (
      SELECT v.*, o.orig_row, o.reason AS orig_reason, o.reason_key AS orig_key, o.approval AS orig_approval, o.amount AS orig_amount, o.order_id AS orig_order,
        (SELECT count(*)::int FROM "Reimbursement" p
          WHERE p."sellerConnectionId" = ${s} AND p."originalReimbursementId" = v.original_id AND COALESCE(p."amountTotal", 0) < 0
            AND (p."approvalDate"::date, p.id) < (v.approval, v.id)) AS earlier,
        f.units AS found_units, f.rows AS found_rows, rt.units AS sellable_returns, rt.rows AS return_rows
      FROM rev v
      LEFT JOIN orig o ON o.rev_id = v.id
      LEFT JOIN LATERAL (
        SELECT COALESCE(sum(l.quantity), 0)::int AS units,
          jsonb_agg(jsonb_build_object('table', 'LedgerDetail', 'id', l.id::text, 'role', 'found', 'source', l."sourceReport", 'line', l."sourceLine",
            'date', to_char(l.date, 'YYYY-MM-DD'), 'referenceId', l."referenceId", 'quantity', l.quantity, 'note', 'ledger ' || l.reason || ' row on ' || l.fnsku) ORDER BY l.date) AS rows
        FROM "LedgerDetail" l
        WHERE l."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`l."eventType"`)} = 'adjustments' AND ${codeKey(Prisma.sql`l.reason`)} IN ('F', 'N') AND l.quantity > 0
          AND (l.fnsku = v.fnsku OR (v.asin IS NOT NULL AND l.asin = v.asin))
          AND l.date BETWEEN COALESCE(o.approval, v.approval - 548) - 7 AND v.approval + 7
      ) f ON o.reason_key = ANY(${LOSS_ORIGINALS}::text[])
      LEFT JOIN LATERAL (
        SELECT COALESCE(sum(COALESCE(c.quantity, 1)), 0)::int AS units,
          jsonb_agg(jsonb_build_object('table', 'CustomerReturn', 'id', c.id::text, 'role', 'return', 'source', c."sourceReport", 'line', c."sourceLine",
            'date', to_char(c."returnDate", 'YYYY-MM-DD'), 'referenceId', c."licensePlateNumber", 'quantity', COALESCE(c.quantity, 1), 'note', c."detailedDisposition") ORDER BY c."returnDate") AS rows
        FROM "CustomerReturn" c
        WHERE c."sellerConnectionId" = ${s} AND c."orderId" = o.order_id AND upper(COALESCE(c."detailedDisposition", '')) = 'SELLABLE'
          AND c."returnDate"::date <= v.approval + 7
      ) rt ON o.reason_key = ANY(${RETURN_ORIGINALS}::text[]) AND o.order_id IS NOT NULL
    )
    SELECT j.id::text AS id, j."reimbursementId", to_char(j.approval, 'YYYY-MM-DD') AS approval, j.sku, j.fnsku, j.asin, j.amount AS "reversedAmount",
      j.units AS "reversedUnits", j.inventory_back AS "inventoryBack", j.currency, j.original_id AS "originalId", j.orig_row::text AS "originalRowId",
      j.orig_reason AS "originalReason", j.orig_key AS "originalReasonKey", to_char(j.orig_approval, 'YYYY-MM-DD') AS "originalApproval",
      j.orig_amount AS "originalAmount", j.orig_order AS "originalOrderId", j.earlier AS "earlierReversals",
      COALESCE(j.found_units, 0) AS "foundUnits", j.found_rows AS "foundRows", COALESCE(j.sellable_returns, 0) AS "sellableReturns", j.return_rows AS "returnRows",
      j."sourceReport", j."sourceLine"
    FROM judged j
    ORDER BY j.approval, j.id`);
  return rows.map(toCandidate);
}

function toCandidate(r: Row): CandidateRow {
  const units = Math.max(1, r.reversedUnits);
  const swap = r.inventoryBack > 0 && r.inventoryBack >= r.reversedUnits;
  const loss = r.originalReasonKey !== null && LOSS_ORIGINALS.includes(r.originalReasonKey);
  const ret = r.originalReasonKey !== null && RETURN_ORIGINALS.includes(r.originalReasonKey);
  const supported = (loss && r.foundUnits >= units) || (ret && r.sellableReturns >= units);
  const excess = r.originalAmount !== null ? Math.max(0, r.reversedAmount - r.originalAmount) : 0;
  const twice = r.earlierReversals > 0;
  let claimMinor = r.reversedAmount;
  let setAside: CandidateRow["setAside"] = null;
  let why: string;
  if (twice) why = `reimbursement ${r.originalId} was already reversed before`;
  else if (swap) {
    setAside = { code: "swap", reason: `Cash swapped for ${r.inventoryBack} replacement unit${r.inventoryBack === 1 ? "" : "s"}: a normal exchange, not a clawback` };
    why = "swap";
  } else if (supported && excess > 0) {
    claimMinor = excess;
    why = `the reversal takes back ${money(excess, r.currency)} more than reimbursement ${r.originalId} paid`;
  } else if (supported) {
    setAside = loss
      ? { code: "found", reason: `Amazon found ${r.foundUnits} unit${r.foundUnits === 1 ? "" : "s"} of it: the clawback of reimbursement ${r.originalId} is supported` }
      : { code: "returned", reason: `The customer returned it sellable: the clawback of reimbursement ${r.originalId} is supported` };
    why = "supported";
  } else if (loss) why = `no found unit of ${r.fnsku || r.sku} between the payout and the reversal`;
  else if (ret) why = `no sellable return of order ${r.originalOrderId} before the reversal`;
  else if (r.originalRowId === null) why = `the original reimbursement ${r.originalId ?? "(none named)"} is not in the synced history`;
  else why = `the original's reason ${r.originalReason ?? "?"} has no documented support to look for`;
  return {
    fingerprint: `${r.reimbursementId}:${r.fnsku || r.sku}`,
    sku: r.sku || null,
    fnsku: r.fnsku || null,
    asin: r.asin,
    orderId: r.originalOrderId,
    shipmentId: null,
    referenceId: r.originalId,
    reimbursementId: r.reimbursementId,
    removalOrderId: null,
    units,
    eventDate: r.approval,
    anchorDate: r.approval,
    marketplaceId: null,
    setAside,
    facts: {
      reversalId: r.reimbursementId,
      originalReimbursementId: r.originalId,
      originalReason: r.originalReason,
      originalApproval: r.originalApproval,
      originalAmountMinor: r.originalAmount,
      reversedAmountMinor: r.reversedAmount,
      reversedUnits: r.reversedUnits,
      inventoryBack: r.inventoryBack,
      earlierReversalsOfOriginal: r.earlierReversals,
      foundUnits: r.foundUnits,
      sellableReturns: r.sellableReturns,
      originalInHistory: r.originalRowId !== null,
      claimMinor,
      currency: r.currency,
      why,
    },
    evidence: [
      { table: "Reimbursement", id: r.id, role: "reversal", source: r.sourceReport, line: r.sourceLine, date: r.approval, referenceId: r.reimbursementId, quantity: -r.reversedUnits, amountMinor: -r.reversedAmount, note: `reverses ${r.originalId ?? "?"}` },
      ...(r.originalRowId ? [{ table: "Reimbursement", id: r.originalRowId, role: "original", source: null, line: null, date: r.originalApproval, referenceId: r.originalId, amountMinor: r.originalAmount, note: r.originalReason }] : []),
      ...(r.foundRows ?? []),
      ...(r.returnRows ?? []),
    ],
  };
}

export const r16ReimbursementReversedUnsupported: SupportedRule = {
  id: "R16",
  slug: "reimbursement-reversed-unsupported",
  title: "Reimbursement taken back without the unit coming back",
  explanation:
    "Amazon reversed a reimbursement it had paid you, but its own records show no found unit (for a lost or damaged item) or no sellable customer return (for a refund) that would justify taking the money back.",
  supported: true,
  claimFamily: "reimbursement-reversal",
  requires: ["reimbursements", "ledger-detail"],
  scopeDimensions: ["reimbursementIds", "fnskus", "skus"],
  candidates,
  async value(_ctx, rows) {
    return new Map(
      rows.map((r): [string, Valuation] => {
        const f = r.facts as { claimMinor: number; currency: string | null };
        return [r.fingerprint, { unitMinor: Math.round(f.claimMinor / Math.max(1, r.units)), totalMinor: Math.round(f.claimMinor), currency: f.currency ?? "USD", basis: "reversed-amount", fallback: false, detail: { claimMinor: f.claimMinor } }];
      }),
    );
  },
  confidence(ctx, row) {
    const f = row.facts as { originalInHistory: boolean };
    return confidence(0.7, "A reversal with no found unit or return to support it", [
      !f.originalInHistory && modifier("original-not-synced", 0.7, "The original reimbursement is older than the synced history: its reason is unknown"),
      common.incompleteData(ctx, ["reimbursements", "ledger-detail"]),
    ]);
  },
  summary(row, valuation) {
    const f = row.facts as { why: string };
    return `Reversal ${row.reimbursementId} took back ${money(valuation.totalMinor, valuation.currency)}: ${f.why}`;
  },
};

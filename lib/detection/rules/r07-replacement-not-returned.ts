// R07 replacement-not-returned (detection.md §4): Amazon shipped a free replacement; the original unit
// was neither returned nor charged to the customer, and the seller was not reimbursed.
//
// Per replacement (replacements report: original-amazon-order-id, SKU, quantity, shipment date):
// returned = customer-return rows of the original order for the SKU (any disposition, any date);
// reimbursed = post-order payouts for the original order (CustomerReturn, CustomerServiceIssue,
// ReturnAdjustment). Candidate when quantity - returned - reimbursed > 0; like R04 it is held until the
// customer-return window opens (day 60 after the replacement in the US) and closes with it (day 120).
// An original order that was also refunded is R04's case (set aside here, so one unit is never claimed
// twice). Replacement reason codes are not interpreted: their meanings are not documented in the
// report, so a replacement for a parcel the carrier lost is a candidate like the rest.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence } from "../confidence";
import { unitsText } from "../format";
import { inScope, queryRows, reasonKey } from "../sql";
import { totalOf, unitValuesPost } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { POST_ORDER_REIMBURSEMENT_REASONS } from "./r04-return-refunded-not-returned";

interface Row {
  id: string;
  shipDate: string;
  sku: string;
  asin: string | null;
  qty: number;
  reasonCode: string | null;
  replacementOrderId: string;
  originalOrderId: string;
  fc: string | null;
  returned: number;
  reimbursed: number;
  refunded: boolean;
  missing: number;
  reimbursementIds: string | null;
  firstReimbursementId: string | null;
  sourceReport: string;
  sourceLine: number;
  returnRows: EvidenceRow[] | null;
  reimbursementRows: EvidenceRow[] | null;
  verdict: "open" | "refunded" | "returned" | "reimbursed" | "explained";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    rep AS (
      SELECT r.id, r."shipmentDate"::date AS ship_date, r.sku, NULLIF(r.asin, '') AS asin, GREATEST(COALESCE(r.quantity, 1), 1)::int AS qty,
        r."replacementReasonCode" AS reason_code, r."replacementAmazonOrderId" AS rep_order, r."originalAmazonOrderId" AS orig_order,
        r."fulfillmentCenterId" AS fc, r."sourceReport", r."sourceLine"
      FROM "ReplacementShipment" r
      WHERE r."sellerConnectionId" = ${s} AND COALESCE(r."originalAmazonOrderId", '') <> '' AND r."shipmentDate" IS NOT NULL AND r.sku <> ''
        AND (${inScope(ctx, { orderIds: Prisma.sql`r."originalAmazonOrderId"`, skus: Prisma.sql`r.sku` })} OR ${inScope(ctx, { orderIds: Prisma.sql`r."replacementAmazonOrderId"` })})
    ),
    keys AS (SELECT orig_order, sku, sum(qty)::int AS qty FROM rep GROUP BY orig_order, sku),
    ret AS (
      SELECT k.orig_order, k.sku, sum(COALESCE(c.quantity, 1))::int AS units,
        jsonb_agg(jsonb_build_object('table', 'CustomerReturn', 'id', c.id::text, 'role', 'return', 'source', c."sourceReport", 'line', c."sourceLine",
          'date', to_char(c."returnDate", 'YYYY-MM-DD'), 'referenceId', c."licensePlateNumber", 'quantity', COALESCE(c.quantity, 1), 'note', c."detailedDisposition") ORDER BY c."returnDate") AS rows
      FROM keys k JOIN "CustomerReturn" c ON c."sellerConnectionId" = ${s} AND c."orderId" = k.orig_order AND (c.sku = k.sku OR COALESCE(c.sku, '') = '')
      GROUP BY k.orig_order, k.sku
    ),
    reimb AS (
      SELECT k.orig_order, k.sku,
        sum(COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)))::int AS units,
        string_agg(DISTINCT r."reimbursementId", ', ') AS ids, (array_agg(r."reimbursementId" ORDER BY r."approvalDate"))[1] AS first_id,
        jsonb_agg(jsonb_build_object('table', 'Reimbursement', 'id', r.id::text, 'role', 'reimbursement', 'source', r."sourceReport", 'line', r."sourceLine",
          'date', to_char(r."approvalDate", 'YYYY-MM-DD'), 'referenceId', r."reimbursementId", 'amountMinor', r."amountTotal", 'note', r.reason) ORDER BY r."approvalDate") AS rows
      FROM keys k JOIN "Reimbursement" r ON r."sellerConnectionId" = ${s} AND r."amazonOrderId" = k.orig_order AND (r.sku = k.sku OR r.sku = '')
        AND ${reasonKey(Prisma.sql`r.reason`)} = ANY(${POST_ORDER_REIMBURSEMENT_REASONS}::text[])
      GROUP BY k.orig_order, k.sku
    ),
    refunded AS (
      SELECT DISTINCT k.orig_order, k.sku
      FROM keys k JOIN "FinancialEvent" e ON e."sellerConnectionId" = ${s} AND e."eventType" = 'Refund' AND e."amazonOrderId" = k.orig_order
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemAdjustmentList') = 'array' THEN e.raw->'ShipmentItemAdjustmentList' ELSE '[]'::jsonb END) AS i(j)
      WHERE i.j->>'SellerSKU' = k.sku
    ),
    judged AS (
      SELECT p.*, COALESCE(rt.units, 0) AS returned, COALESCE(rb.units, 0) AS reimbursed, (rf.orig_order IS NOT NULL) AS was_refunded,
        rb.ids, rb.first_id, rt.rows AS return_rows, rb.rows AS reimbursement_rows,
        -- Several replacements of one order line share its returns and payouts, oldest replacement first.
        SUM(p.qty) OVER (PARTITION BY p.orig_order, p.sku ORDER BY p.ship_date, p.id ROWS UNBOUNDED PRECEDING) AS cum
      FROM rep p
      LEFT JOIN ret rt ON rt.orig_order = p.orig_order AND rt.sku = p.sku
      LEFT JOIN reimb rb ON rb.orig_order = p.orig_order AND rb.sku = p.sku
      LEFT JOIN refunded rf ON rf.orig_order = p.orig_order AND rf.sku = p.sku
    )
    SELECT j.id::text AS id, to_char(j.ship_date, 'YYYY-MM-DD') AS "shipDate", j.sku, j.asin, j.qty, j.reason_code AS "reasonCode",
      j.rep_order AS "replacementOrderId", j.orig_order AS "originalOrderId", j.fc, j.returned, j.reimbursed, j.was_refunded AS refunded,
      (j.qty - LEAST(j.qty, GREATEST(0, j.returned + j.reimbursed - (j.cum - j.qty))))::int AS missing,
      j.ids AS "reimbursementIds", j.first_id AS "firstReimbursementId", j."sourceReport", j."sourceLine", j.return_rows AS "returnRows",
      j.reimbursement_rows AS "reimbursementRows",
      CASE
        WHEN j.was_refunded THEN 'refunded'
        WHEN j.qty - LEAST(j.qty, GREATEST(0, j.returned + j.reimbursed - (j.cum - j.qty))) > 0 THEN 'open'
        WHEN j.returned > 0 AND j.reimbursed = 0 THEN 'returned'
        WHEN j.reimbursed > 0 AND j.returned = 0 THEN 'reimbursed'
        ELSE 'explained'
      END AS verdict
    FROM judged j
    ORDER BY j.ship_date, j.id`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "refunded":
      return { code: "refunded", reason: `Order ${r.originalOrderId} was also refunded: the refund rule (R04) looks at it, so it is not claimed twice` };
    case "returned":
      return { code: "returned", reason: `The customer returned the original (customer returns report)` };
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon reimbursed it: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "explained":
      return { code: "explained", reason: `Covered: ${unitsText(r.returned)} returned, ${unitsText(r.reimbursed)} reimbursed (reimbursement ${r.reimbursementIds})`, reimbursementId: r.firstReimbursementId };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.originalOrderId}:${r.sku}${r.replacementOrderId ? `:${r.replacementOrderId}` : ""}`,
    sku: r.sku,
    fnsku: null,
    asin: r.asin,
    orderId: r.originalOrderId,
    shipmentId: null,
    referenceId: r.replacementOrderId,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.qty : r.missing,
    eventDate: r.shipDate,
    anchorDate: r.shipDate,
    marketplaceId: null,
    setAside,
    facts: {
      replacementOrderId: r.replacementOrderId,
      originalOrderId: r.originalOrderId,
      replacementReasonCode: r.reasonCode,
      replaced: r.qty,
      returned: r.returned,
      reimbursed: r.reimbursed,
      missing: r.missing,
      searched: { returns: { orderId: r.originalOrderId, sku: r.sku }, reimbursements: { orderId: r.originalOrderId, reasons: POST_ORDER_REIMBURSEMENT_REASONS } },
    },
    evidence: [
      { table: "ReplacementShipment", id: r.id, role: "replacement", source: r.sourceReport, line: r.sourceLine, date: r.shipDate, referenceId: r.replacementOrderId, quantity: r.qty, note: `replaces order ${r.originalOrderId}${r.reasonCode ? `, reason code ${r.reasonCode}` : ""}` },
      ...(r.returnRows ?? []),
      ...(r.reimbursementRows ?? []),
    ],
  };
}

export const r07ReplacementNotReturned: SupportedRule = {
  id: "R07",
  slug: "replacement-not-returned",
  title: "Replacement sent, original never returned",
  explanation:
    "Amazon shipped a free replacement to a customer. The original unit never came back, the customer was not charged for it, and Amazon has not reimbursed you after the return window.",
  supported: true,
  claimFamily: "customer-return",
  requires: ["replacements", "customer-returns", "reimbursements"],
  scopeDimensions: ["orderIds", "skus"],
  holdUntilWindowOpens: true,
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPost(ctx, rows.map((r) => ({ key: r.fingerprint, orderId: r.orderId!, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, _row, valuation) {
    return confidence(0.7, "A replacement whose original unit neither came back nor was paid for", [
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["replacements", "customer-returns", "reimbursements"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { replacementOrderId: string };
    return `${unitsText(row.units)} of ${row.sku} replaced on ${row.eventDate} (order ${f.replacementOrderId}); the original of order ${row.orderId} was never returned or reimbursed`;
  },
};

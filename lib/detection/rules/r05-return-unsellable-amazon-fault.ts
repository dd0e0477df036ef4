// R05 return-unsellable-amazon-fault (detection.md §4): the customer sent the unit back but Amazon or its
// carrier damaged it (customer-return detailed-disposition CARRIER_DAMAGED or DAMAGED), and no
// reimbursement followed. CUSTOMER_DAMAGED and DEFECTIVE returns are the seller's loss under Amazon's
// policy: never candidates, kept as explained non-findings so the seller sees why.
//
// Reimbursements for the order (reason CustomerReturn, CustomerServiceIssue, ReturnAdjustment or
// Damaged_Warehouse, same SKU or FNSKU) are allocated over the order's damaged returns in date order.
// A finding needs 30 days since the return date; its window is the customer-return one, anchored on the
// refund date (the order's first refund event for the SKU; the return date when there is none).
import { Prisma } from "../../generated/prisma/client";
import { common, confidence } from "../confidence";
import { inScope, reasonKey, queryRows } from "../sql";
import { totalOf, unitValuesPost } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { addDays } from "../windows";

const MATURITY_DAYS = 30;
const AMAZON_FAULT = ["CARRIER_DAMAGED", "DAMAGED"];
const SELLER_LOSS = ["CUSTOMER_DAMAGED", "DEFECTIVE"];
const REASONS = ["customerreturn", "customerserviceissue", "returnadjustment", "damagedwarehouse"];

interface Row {
  id: string;
  returnDate: string;
  orderId: string;
  sku: string | null;
  fnsku: string;
  asin: string | null;
  qty: number;
  disposition: string;
  returnReason: string | null;
  status: string | null;
  lpn: string;
  fc: string | null;
  refundDate: string | null;
  reimbursed: number;
  reimbursementIds: string | null;
  firstReimbursementId: string | null;
  open: number;
  ageDays: number;
  sourceReport: string;
  sourceLine: number;
  reimbursementRows: EvidenceRow[] | null;
  verdict: "open" | "not-amazon-fault" | "reimbursed" | "too-early";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    -- One row per returned unit: Amazon may list a license plate of an order again with another return
    -- date or disposition (a corrected row, a new natural key); the latest listing is the unit's return.
    rets AS (
      SELECT * FROM (
        SELECT DISTINCT ON (r."orderId", COALESCE(NULLIF(r."licensePlateNumber", ''), r.id::text))
          r.id, r."returnDate"::date AS return_date, r."orderId" AS order_id, NULLIF(r.sku, '') AS sku, r.fnsku, NULLIF(r.asin, '') AS asin,
          GREATEST(COALESCE(r.quantity, 1), 1)::int AS qty, upper(btrim(COALESCE(r."detailedDisposition", ''))) AS disposition, r.reason, r.status,
          r."licensePlateNumber" AS lpn, r."fulfillmentCenterId" AS fc, r."sourceReport", r."sourceLine"
        FROM "CustomerReturn" r
        WHERE r."sellerConnectionId" = ${s} AND r."orderId" <> ''
          AND ${inScope(ctx, { orderIds: Prisma.sql`r."orderId"`, fnskus: Prisma.sql`r.fnsku`, skus: Prisma.sql`r.sku` })}
        ORDER BY r."orderId", COALESCE(NULLIF(r."licensePlateNumber", ''), r.id::text), r."returnDate" DESC, r.id DESC
      ) latest
      WHERE latest.disposition = ANY(${[...AMAZON_FAULT, ...SELLER_LOSS]}::text[])
    ),
    fault AS (
      SELECT f.*, SUM(f.qty) OVER (PARTITION BY f.order_id, f.fnsku ORDER BY f.return_date, f.id ROWS UNBOUNDED PRECEDING) AS cum
      FROM rets f WHERE f.disposition = ANY(${AMAZON_FAULT}::text[])
    ),
    reimb AS (
      SELECT k.order_id, k.fnsku, sum(COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)))::int AS units,
        string_agg(DISTINCT r."reimbursementId", ', ') AS ids, (array_agg(r."reimbursementId" ORDER BY r."approvalDate"))[1] AS first_id,
        jsonb_agg(jsonb_build_object('table', 'Reimbursement', 'id', r.id::text, 'role', 'reimbursement', 'source', r."sourceReport", 'line', r."sourceLine",
          'date', to_char(r."approvalDate", 'YYYY-MM-DD'), 'referenceId', r."reimbursementId", 'amountMinor', r."amountTotal", 'note', r.reason) ORDER BY r."approvalDate") AS rows
      FROM (SELECT order_id, fnsku, max(sku) AS sku FROM fault GROUP BY order_id, fnsku) k
      JOIN "Reimbursement" r ON r."sellerConnectionId" = ${s} AND r."amazonOrderId" = k.order_id AND (r.fnsku = k.fnsku OR (k.sku IS NOT NULL AND r.sku = k.sku))
        AND ${reasonKey(Prisma.sql`r.reason`)} = ANY(${REASONS}::text[])
      GROUP BY k.order_id, k.fnsku
    ),
    refund AS (
      SELECT k.order_id, k.sku, min(e."postedDate")::date AS refund_date
      FROM (SELECT DISTINCT order_id, sku FROM rets) k
      JOIN "FinancialEvent" e ON e."sellerConnectionId" = ${s} AND e."eventType" = 'Refund' AND e."amazonOrderId" = k.order_id
        AND (k.sku IS NULL OR e."sellerSku" = k.sku OR EXISTS (
          SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemAdjustmentList') = 'array' THEN e.raw->'ShipmentItemAdjustmentList' ELSE '[]'::jsonb END) i(j)
          WHERE i.j->>'SellerSKU' = k.sku))
      GROUP BY k.order_id, k.sku
    ),
    judged AS (
      SELECT r.*, to_char(rf.refund_date, 'YYYY-MM-DD') AS refund_date,
        CASE WHEN f.id IS NULL THEN 0 ELSE LEAST(f.qty, GREATEST(0, COALESCE(rb.units, 0) - (f.cum - f.qty)))::int END AS reimbursed,
        rb.ids, rb.first_id, rb.rows AS reimbursement_rows, (${ctx.today}::date - r.return_date)::int AS age_days
      FROM rets r
      LEFT JOIN fault f ON f.id = r.id
      LEFT JOIN reimb rb ON rb.order_id = r.order_id AND rb.fnsku = r.fnsku AND f.id IS NOT NULL
      LEFT JOIN refund rf ON rf.order_id = r.order_id AND rf.sku IS NOT DISTINCT FROM r.sku
    )
    SELECT j.id::text AS id, to_char(j.return_date, 'YYYY-MM-DD') AS "returnDate", j.order_id AS "orderId", j.sku, j.fnsku, j.asin, j.qty, j.disposition,
      j.reason AS "returnReason", j.status, j.lpn, j.fc, j.refund_date AS "refundDate", j.reimbursed, j.ids AS "reimbursementIds", j.first_id AS "firstReimbursementId",
      (j.qty - j.reimbursed)::int AS open, j.age_days AS "ageDays", j."sourceReport", j."sourceLine", j.reimbursement_rows AS "reimbursementRows",
      CASE
        WHEN j.disposition = ANY(${SELLER_LOSS}::text[]) THEN 'not-amazon-fault'
        WHEN j.qty - j.reimbursed <= 0 THEN 'reimbursed'
        WHEN j.age_days < ${MATURITY_DAYS}::int THEN 'too-early'
        ELSE 'open'
      END AS verdict
    FROM judged j
    ORDER BY j.return_date, j.id`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "not-amazon-fault":
      return { code: "not-amazon-fault", reason: `Returned ${r.disposition}: damage by the customer or a defect is the seller's loss under Amazon's policy, not a claim` };
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon reimbursed it: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "too-early":
      return { code: "too-early", reason: `Returned ${r.ageDays} days ago: Amazon usually settles damaged returns within ${MATURITY_DAYS} days; looked at again on ${addDays(r.returnDate, MATURITY_DAYS)}`, recheckAt: addDays(r.returnDate, MATURITY_DAYS) };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.orderId}:${r.lpn || `${r.fnsku}:${r.returnDate}`}`,
    sku: r.sku,
    fnsku: r.fnsku || null,
    asin: r.asin,
    orderId: r.orderId,
    shipmentId: null,
    referenceId: r.lpn || null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.qty : r.open,
    eventDate: r.returnDate,
    anchorDate: r.refundDate ?? r.returnDate,
    marketplaceId: null,
    setAside,
    facts: {
      disposition: r.disposition,
      returnReason: r.returnReason,
      returnStatus: r.status,
      licensePlateNumber: r.lpn,
      fulfillmentCenter: r.fc,
      returned: r.qty,
      reimbursed: r.reimbursed,
      open: r.open,
      refundDate: r.refundDate,
      anchoredOn: r.refundDate ? "refund date" : "return date (no refund event found)",
      ageDays: r.ageDays,
    },
    evidence: [
      { table: "CustomerReturn", id: r.id, role: "return", source: r.sourceReport, line: r.sourceLine, date: r.returnDate, referenceId: r.lpn, quantity: r.qty, note: `${r.disposition}${r.returnReason ? `, ${r.returnReason}` : ""}` },
      ...(r.reimbursementRows ?? []),
    ],
  };
}

export const r05ReturnUnsellableAmazonFault: SupportedRule = {
  id: "R05",
  slug: "return-unsellable-amazon-fault",
  title: "Returned unit damaged by Amazon or its carrier, not reimbursed",
  explanation:
    "A customer returned your item and Amazon graded it damaged by its warehouse or carrier. That damage is Amazon's responsibility, and Amazon has not reimbursed you for it.",
  supported: true,
  claimFamily: "customer-return",
  requires: ["customer-returns", "reimbursements"],
  scopeDimensions: ["orderIds", "fnskus", "skus"],
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPost(ctx, rows.map((r) => ({ key: r.fingerprint, orderId: r.orderId!, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, _row, valuation) {
    return confidence(0.75, "A return Amazon graded carrier- or warehouse-damaged, with no reimbursement", [
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["customer-returns", "reimbursements"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { disposition: string };
    return `${row.units} returned unit${row.units === 1 ? "" : "s"} of ${row.sku ?? row.fnsku} on order ${row.orderId} graded ${f.disposition} on ${row.eventDate}, not reimbursed`;
  },
};

// R09 refund-exceeds-charge (detection.md §4): a customer was refunded more principal than the order
// line charged (a double refund, a refund on top of a concession, a wrong quantity).
//
// Per order line (AmazonOrderId + OrderItemId; SellerSKU where an item carries no OrderItemId), from
// Finances events only: charged = the Principal of the line's ShipmentEvent items (ItemChargeList),
// refunded = the Principal debited by all its RefundEvent items (ItemChargeAdjustmentList). Candidate
// when refunded > charged + 0.01. The refund that took the total over the charge anchors the window.
// Two refund adjustments of the same amount within 3 days mark a double refund (raises confidence);
// on their own they are no finding: split refunds of a multi-unit line are legitimate while they add up.
// Refunded units above shipped units are shown as a fact but claim nothing (the money is the principal).
// Set aside: a line refunded more than once whose refunds stay within the charge (`within-charge`), and
// one refunded more than once whose sale is not in the synced events (`no-charge-seen`: before the 18
// months, nothing to compare with). A line refunded once within its charge is a normal refund, not a
// candidate. Value: the excess principal minus the referral fee Amazon credited back on it (the refunds'
// credited Commission in proportion). Window: treated as a customer-return claim, from the refund.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { money } from "../format";
import { inScope, jsonCurrency, jsonMoneySum, queryRows } from "../sql";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule, Valuation } from "../types";

/** Amounts within this many minor units (0.01) are equal. */
const TOLERANCE_MINOR = 1;
/** Two identical refunds within this many days are a double refund. */
const DOUBLE_REFUND_DAYS = 3;

interface Row {
  orderId: string;
  itemKey: string;
  orderItemId: string | null;
  sku: string | null;
  currency: string | null;
  charged: number | null;
  shippedUnits: number | null;
  refunded: number;
  refundedUnits: number;
  refunds: number;
  commissionCredited: number;
  excess: number;
  overDate: string;
  firstRefundDate: string;
  doublePair: boolean;
  refundRows: EvidenceRow[];
  saleRows: EvidenceRow[] | null;
  verdict: "open" | "within-charge" | "no-charge-seen";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const itemKey = Prisma.sql`COALESCE(NULLIF(i.j->>'OrderItemId', ''), 'sku:' || COALESCE(i.j->>'SellerSKU', ''))`;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    refund_items AS (
      SELECT e.id, e."amazonOrderId" AS order_id, ${itemKey} AS item_key, NULLIF(i.j->>'OrderItemId', '') AS order_item_id, NULLIF(i.j->>'SellerSKU', '') AS sku,
        e."postedDate" AS posted, abs(COALESCE((i.j->>'QuantityShipped')::int, 0)) AS qty,
        -${jsonMoneySum(Prisma.sql`i.j->'ItemChargeAdjustmentList'`, "ChargeType", "ChargeAmount", ["Principal"])} AS principal,
        ${jsonMoneySum(Prisma.sql`i.j->'ItemFeeAdjustmentList'`, "FeeType", "FeeAmount", ["Commission"])} AS commission,
        ${jsonCurrency(Prisma.sql`i.j->'ItemChargeAdjustmentList'`, "ChargeAmount")} AS cur,
        e."sourceReport" AS src, e."sourceLine" AS line
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemAdjustmentList') = 'array' THEN e.raw->'ShipmentItemAdjustmentList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Refund' AND COALESCE(e."amazonOrderId", '') <> '' AND e."postedDate" IS NOT NULL
        -- Only the order's own events decide it (no cost, no other order): scoped by order id alone.
        AND ${inScope(ctx, { orderIds: Prisma.sql`e."amazonOrderId"` })}
    ),
    -- A refund whose amount the same line refunded again within 3 days (neighbours in posting order).
    refund_cum AS (
      SELECT r.*, SUM(r.principal) OVER (PARTITION BY r.order_id, r.item_key ORDER BY r.posted, r.id ROWS UNBOUNDED PRECEDING) AS cum,
        r.principal > 0 AND (
          r.posted - LAG(r.posted) OVER w <= ${DOUBLE_REFUND_DAYS}::int * interval '1 day'
          OR LEAD(r.posted) OVER w - r.posted <= ${DOUBLE_REFUND_DAYS}::int * interval '1 day'
        ) IS TRUE AS paired
      FROM refund_items r
      WINDOW w AS (PARTITION BY r.order_id, r.item_key, r.principal ORDER BY r.posted, r.id)
    ),
    sales AS (
      SELECT e."amazonOrderId" AS order_id, ${itemKey} AS item_key,
        sum(${jsonMoneySum(Prisma.sql`i.j->'ItemChargeList'`, "ChargeType", "ChargeAmount", ["Principal"])})::float8 AS charged,
        sum(abs(COALESCE((i.j->>'QuantityShipped')::int, 0)))::int AS units,
        jsonb_agg(jsonb_build_object('table', 'FinancialEvent', 'id', e.id::text, 'role', 'sale', 'source', e."sourceReport", 'line', e."sourceLine",
          'date', to_char(e."postedDate", 'YYYY-MM-DD'), 'referenceId', e."amazonOrderId", 'quantity', (i.j->>'QuantityShipped')::int,
          'amountMinor', ${jsonMoneySum(Prisma.sql`i.j->'ItemChargeList'`, "ChargeType", "ChargeAmount", ["Principal"])}, 'note', 'Principal charged') ORDER BY e."postedDate", e.id) AS rows
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemList') = 'array' THEN e.raw->'ShipmentItemList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Shipment' AND e."amazonOrderId" IN (SELECT DISTINCT order_id FROM refund_items)
      GROUP BY e."amazonOrderId", ${itemKey}
    ),
    lines AS (
      SELECT r.order_id, r.item_key, max(r.order_item_id) AS order_item_id, max(r.sku) AS sku, max(r.cur) AS cur,
        sum(r.principal)::float8 AS refunded, sum(r.qty)::int AS refunded_units, count(*)::int AS refunds, sum(r.commission)::float8 AS commission_credited,
        min(r.posted)::date AS first_refund, bool_or(r.paired) AS double_pair,
        jsonb_agg(jsonb_build_object('table', 'FinancialEvent', 'id', r.id::text, 'role', 'refund', 'source', r.src, 'line', r.line,
          'date', to_char(r.posted, 'YYYY-MM-DD'), 'referenceId', r.order_id, 'quantity', r.qty, 'amountMinor', -r.principal,
          'note', CASE WHEN r.paired THEN 'Principal refunded (the same amount refunded again within 3 days)' ELSE 'Principal refunded' END) ORDER BY r.posted, r.id) AS rows
      FROM refund_cum r
      GROUP BY r.order_id, r.item_key
    ),
    -- The refund that took the line's refunded total over its charge.
    over_charge AS (
      SELECT c.order_id, c.item_key, min(c.posted)::date AS d
      FROM refund_cum c JOIN sales sa ON sa.order_id = c.order_id AND sa.item_key = c.item_key
      WHERE c.cum > sa.charged + ${TOLERANCE_MINOR}
      GROUP BY c.order_id, c.item_key
    )
    SELECT l.order_id AS "orderId", l.item_key AS "itemKey", l.order_item_id AS "orderItemId", l.sku, l.cur AS currency,
      sa.charged, sa.units AS "shippedUnits", l.refunded, l.refunded_units AS "refundedUnits", l.refunds, l.commission_credited AS "commissionCredited",
      GREATEST(0, l.refunded - COALESCE(sa.charged, 0))::float8 AS excess,
      to_char(COALESCE(oc.d, l.first_refund), 'YYYY-MM-DD') AS "overDate",
      to_char(l.first_refund, 'YYYY-MM-DD') AS "firstRefundDate", l.double_pair AS "doublePair", l.rows AS "refundRows", sa.rows AS "saleRows",
      CASE
        WHEN sa.charged IS NULL THEN 'no-charge-seen'
        WHEN l.refunded > sa.charged + ${TOLERANCE_MINOR} THEN 'open'
        ELSE 'within-charge'
      END AS verdict
    FROM lines l
    LEFT JOIN sales sa ON sa.order_id = l.order_id AND sa.item_key = l.item_key
    LEFT JOIN over_charge oc ON oc.order_id = l.order_id AND oc.item_key = l.item_key
    WHERE (sa.charged IS NOT NULL AND l.refunded > sa.charged + ${TOLERANCE_MINOR}) OR l.refunds > 1
    ORDER BY l.order_id, l.item_key`);
  return rows.map((r) => toCandidate(r, ctx));
}

function setAsideOf(r: Row, currency: string): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "within-charge":
      return { code: "within-charge", reason: `${r.refunds} refunds of ${money(r.refunded, currency)} in all stay within the ${money(r.charged ?? 0, currency)} charged: split refunds` };
    case "no-charge-seen":
      return { code: "no-charge-seen", reason: `Refunded ${r.refunds} times, but the sale is not in the synced financial events (older than the data): nothing to compare with` };
  }
}

function toCandidate(r: Row, ctx: RuleContext): CandidateRow {
  const currency = r.currency ?? ctx.defaultCurrency;
  const setAside = setAsideOf(r, currency);
  return {
    fingerprint: `${r.orderId}:${r.orderItemId ?? r.itemKey}`,
    sku: r.sku,
    fnsku: null,
    asin: null,
    orderId: r.orderId,
    shipmentId: null,
    referenceId: r.orderItemId,
    reimbursementId: null,
    removalOrderId: null,
    units: Math.max(1, r.refundedUnits - (r.shippedUnits ?? 0)),
    eventDate: r.overDate,
    anchorDate: r.overDate,
    marketplaceId: null,
    setAside,
    facts: {
      currency,
      chargedPrincipalMinor: r.charged,
      refundedPrincipalMinor: r.refunded,
      excessPrincipalMinor: r.excess,
      commissionCreditedBackMinor: r.commissionCredited,
      shippedUnits: r.shippedUnits,
      refundedUnits: r.refundedUnits,
      refunds: r.refunds,
      doubleRefund: r.doublePair,
      firstRefundDate: r.firstRefundDate,
      refundOverChargeDate: r.overDate,
      arithmetic:
        r.charged === null
          ? `refunded ${r.refunded} (minor units) with no sale in the synced events`
          : `excess = refunded principal ${r.refunded} - charged principal ${r.charged} = ${r.excess} (minor units); units refunded ${r.refundedUnits} of ${r.shippedUnits} shipped`,
    },
    evidence: [...(r.saleRows ?? []), ...r.refundRows],
  };
}

function valueOf(row: CandidateRow): Valuation {
  const f = row.facts as { currency: string; excessPrincipalMinor: number; refundedPrincipalMinor: number; commissionCreditedBackMinor: number };
  const creditedShare = f.refundedPrincipalMinor > 0 ? Math.max(0, f.commissionCreditedBackMinor) * (f.excessPrincipalMinor / f.refundedPrincipalMinor) : 0;
  const total = Math.max(0, Math.round(f.excessPrincipalMinor - creditedShare));
  return {
    unitMinor: total,
    totalMinor: total,
    currency: f.currency,
    basis: "refund-excess",
    fallback: false,
    detail: {
      excessPrincipalMinor: f.excessPrincipalMinor,
      referralCreditedBackOnExcessMinor: Math.round(creditedShare),
      note: "the principal refunded above the charge, minus the referral fee Amazon credited back on it",
    },
  };
}

export const r09RefundExceedsCharge: SupportedRule = {
  id: "R09",
  slug: "refund-exceeds-charge",
  title: "Customer refunded more than they paid",
  explanation:
    "Amazon refunded a customer more for an order line than the customer was charged for it (a double refund, or a refund on top of a concession). The extra came out of your account.",
  supported: true,
  claimFamily: "customer-return",
  requires: ["financial-events"],
  scopeDimensions: ["orderIds"],
  candidates,
  async value(_ctx, rows) {
    return new Map(rows.map((r) => [r.fingerprint, valueOf(r)]));
  },
  confidence(ctx, row) {
    const f = row.facts as { doubleRefund: boolean; refundedUnits: number; shippedUnits: number | null };
    return confidence(0.7, "More principal refunded than the order line charged, per Amazon's own financial events", [
      f.doubleRefund && modifier("double-refund", 1.2, "The same amount was refunded twice within 3 days"),
      common.incompleteData(ctx, ["financial-events"]),
    ]);
  },
  summary(row, valuation) {
    const f = row.facts as { refundedPrincipalMinor: number; chargedPrincipalMinor: number; currency: string };
    return `Order ${row.orderId}${row.sku ? ` (${row.sku})` : ""}: refunded ${money(f.refundedPrincipalMinor, f.currency)} against ${money(f.chargedPrincipalMinor, f.currency)} charged, ${money(valuation.totalMinor, valuation.currency)} too much`;
  },
};

// R10 return-misapplied (detection.md §4): the refund and return records do not match the unit that
// physically came back.
//
// (a) Wrong item returned: a customer-return row booked to a refunded order line (order id + SKU) whose
//     product is not the one ordered: its ASIN differs from the All Orders ASIN of the line (else the
//     ledger's single ASIN for the SKU), or its FNSKU
//     is none of the FNSKUs the inventory ledger shows for the SKU. The customer was refunded in full
//     (the refunds' principal at least 90% of the sale's principal per unit x the units claimed) and sent
//     something else back: the ordered unit is gone. R04 counts that return row as a return (same order
//     and SKU), so the two never claim the same units. Value: units x unitValuePost(order, SKU).
//     Confidence 0.6 (a scan or catalogue mix-up is possible). Window: as R04 (customer-return, refund).
//     Set aside: a partial refund (`partial-refund`: a concession, not a full refund for the item).
// (b) Refunded units above returned units of a multi-unit line is R04's finding (R04 subtracts the
//     returns that exist from the refunded units per order and SKU): not repeated here.
// Not done: (c) "return credited to the wrong order" (a return whose order has no refund beside another
// order of the SKU refunded without one) would claim or cancel R04's units on a guess: the returns report
// documents no link from the unit to the order it came from. Restocks under another FNSKU or an
// Amazon.Found.<ASIN> MSKU are not matched to returns (the ledger's Reference ID relation is undocumented).
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { unitsText } from "../format";
import { inScope, jsonMoneySum, queryRows } from "../sql";
import { totalOf, unitValuesPost } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";

/** A refund per unit at or above this share of the sale's principal per unit is a full refund. */
const FULL_REFUND_SHARE = 0.9;

interface Row {
  orderId: string;
  sku: string;
  orderedAsin: string | null;
  skuFnskus: string | null;
  returnedAsin: string | null;
  returnedFnsku: string | null;
  mismatch: string;
  returned: number;
  refunded: number;
  refundDate: string;
  refundPerUnit: number | null;
  salePerUnit: number | null;
  units: number;
  returnRows: EvidenceRow[];
  refundRows: EvidenceRow[];
  verdict: "open" | "partial-refund";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    rets AS (
      SELECT r.id, r."orderId" AS order_id, r.sku, NULLIF(r.asin, '') AS asin, NULLIF(r.fnsku, '') AS fnsku, GREATEST(1, COALESCE(r.quantity, 1))::int AS qty,
        r."returnDate" AS d, r."licensePlateNumber" AS lpn, r."detailedDisposition" AS disp, r."sourceReport" AS src, r."sourceLine" AS line
      FROM "CustomerReturn" r
      WHERE r."sellerConnectionId" = ${s} AND r."orderId" <> '' AND COALESCE(r.sku, '') <> ''
        AND ${inScope(ctx, { orderIds: Prisma.sql`r."orderId"`, skus: Prisma.sql`r.sku`, fnskus: Prisma.sql`r.fnsku` })}
    ),
    ordered AS (
      SELECT o."amazonOrderId" AS order_id, o.sku, max(NULLIF(o.asin, '')) AS asin,
        (sum(o."itemPrice")::numeric / NULLIF(sum(o.quantity), 0))::float8 AS price_per_unit
      FROM "OrderItem" o
      WHERE o."sellerConnectionId" = ${s} AND o."amazonOrderId" IN (SELECT order_id FROM rets)
      GROUP BY o."amazonOrderId", o.sku
    ),
    sku_fnskus AS (
      SELECT l.msku AS sku, array_agg(DISTINCT l.fnsku) AS fnskus, max(NULLIF(l.asin, '')) AS asin, count(DISTINCT NULLIF(l.asin, ''))::int AS asins
      FROM "LedgerDetail" l
      WHERE l."sellerConnectionId" = ${s} AND l.msku IN (SELECT sku FROM rets) AND l.fnsku <> ''
      GROUP BY l.msku
    ),
    wrong AS (
      -- The ordered ASIN: All Orders' for the line, else the ledger's for the SKU when it has only one.
      SELECT r.*, COALESCE(o.asin, CASE WHEN sf.asins = 1 THEN sf.asin END) AS ordered_asin, sf.fnskus AS sku_fnskus,
        CASE
          WHEN COALESCE(o.asin, CASE WHEN sf.asins = 1 THEN sf.asin END) IS NOT NULL AND r.asin IS NOT NULL
            AND upper(r.asin) <> upper(COALESCE(o.asin, CASE WHEN sf.asins = 1 THEN sf.asin END)) THEN 'asin'
          WHEN sf.fnskus IS NOT NULL AND r.fnsku IS NOT NULL AND NOT (r.fnsku = ANY(sf.fnskus)) THEN 'fnsku'
        END AS mismatch
      FROM rets r
      LEFT JOIN ordered o ON o.order_id = r.order_id AND o.sku = r.sku
      LEFT JOIN sku_fnskus sf ON sf.sku = r.sku
    ),
    lines AS (
      SELECT w.order_id, w.sku, max(w.ordered_asin) AS ordered_asin, array_to_string(max(w.sku_fnskus), ', ') AS sku_fnskus,
        string_agg(DISTINCT w.asin, ', ') AS returned_asin, string_agg(DISTINCT w.fnsku, ', ') AS returned_fnsku, string_agg(DISTINCT w.mismatch, ', ') AS mismatch,
        sum(w.qty)::int AS returned,
        jsonb_agg(jsonb_build_object('table', 'CustomerReturn', 'id', w.id::text, 'role', 'return', 'source', w.src, 'line', w.line,
          'date', to_char(w.d, 'YYYY-MM-DD'), 'referenceId', w.lpn, 'quantity', w.qty,
          'note', 'returned ASIN ' || COALESCE(w.asin, '?') || ', FNSKU ' || COALESCE(w.fnsku, '?') || ', ' || COALESCE(w.disp, '')) ORDER BY w.d, w.id) AS rows
      FROM wrong w WHERE w.mismatch IS NOT NULL
      GROUP BY w.order_id, w.sku
    ),
    refund_items AS (
      SELECT e.id, e."amazonOrderId" AS order_id, i.j->>'SellerSKU' AS sku, abs(COALESCE((i.j->>'QuantityShipped')::int, 0)) AS qty, e."postedDate" AS posted,
        -${jsonMoneySum(Prisma.sql`i.j->'ItemChargeAdjustmentList'`, "ChargeType", "ChargeAmount", ["Principal"])} AS principal, e."sourceReport" AS src, e."sourceLine" AS line
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemAdjustmentList') = 'array' THEN e.raw->'ShipmentItemAdjustmentList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Refund' AND e."amazonOrderId" IN (SELECT order_id FROM lines) AND e."postedDate" IS NOT NULL
    ),
    refunds AS (
      SELECT f.order_id, f.sku, sum(f.qty)::int AS units, sum(f.principal)::float8 AS principal, min(f.posted)::date AS d,
        jsonb_agg(jsonb_build_object('table', 'FinancialEvent', 'id', f.id::text, 'role', 'refund', 'source', f.src, 'line', f.line,
          'date', to_char(f.posted, 'YYYY-MM-DD'), 'referenceId', f.order_id, 'quantity', f.qty, 'amountMinor', -f.principal) ORDER BY f.posted, f.id) AS rows
      FROM refund_items f GROUP BY f.order_id, f.sku HAVING sum(f.qty) > 0
    ),
    sales AS (
      SELECT e."amazonOrderId" AS order_id, i.j->>'SellerSKU' AS sku,
        (sum(${jsonMoneySum(Prisma.sql`i.j->'ItemChargeList'`, "ChargeType", "ChargeAmount", ["Principal"])}) / NULLIF(sum(abs(COALESCE((i.j->>'QuantityShipped')::int, 0))), 0))::float8 AS per_unit
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemList') = 'array' THEN e.raw->'ShipmentItemList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Shipment' AND e."amazonOrderId" IN (SELECT order_id FROM lines)
      GROUP BY e."amazonOrderId", i.j->>'SellerSKU'
    )
    SELECT l.order_id AS "orderId", l.sku, l.ordered_asin AS "orderedAsin", l.sku_fnskus AS "skuFnskus", l.returned_asin AS "returnedAsin",
      l.returned_fnsku AS "returnedFnsku", l.mismatch, l.returned, f.units AS refunded, to_char(f.d, 'YYYY-MM-DD') AS "refundDate",
      (f.principal / LEAST(l.returned, f.units))::float8 AS "refundPerUnit", COALESCE(sa.per_unit, o.price_per_unit) AS "salePerUnit",
      LEAST(l.returned, f.units)::int AS units, l.rows AS "returnRows", f.rows AS "refundRows",
      CASE
        WHEN COALESCE(sa.per_unit, o.price_per_unit) > 0 AND f.principal < ${FULL_REFUND_SHARE}::float8 * COALESCE(sa.per_unit, o.price_per_unit) * LEAST(l.returned, f.units) THEN 'partial-refund'
        ELSE 'open'
      END AS verdict
    FROM lines l
    JOIN refunds f ON f.order_id = l.order_id AND f.sku = l.sku
    LEFT JOIN sales sa ON sa.order_id = l.order_id AND sa.sku = l.sku
    LEFT JOIN ordered o ON o.order_id = l.order_id AND o.sku = l.sku
    ORDER BY l.order_id, l.sku`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  if (r.verdict === "open") return null;
  return { code: "partial-refund", reason: `The customer was refunded only part of the price (a concession): not a full refund for the item ordered` };
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  const returnedText = r.mismatch.includes("asin") ? `ASIN ${r.returnedAsin}` : `FNSKU ${r.returnedFnsku}`;
  const orderedText = r.mismatch.includes("asin") ? `ASIN ${r.orderedAsin}` : `FNSKU ${r.skuFnskus}`;
  return {
    fingerprint: `${r.orderId}:${r.sku}:wrong-item`,
    sku: r.sku,
    fnsku: r.returnedFnsku,
    asin: r.orderedAsin,
    orderId: r.orderId,
    shipmentId: null,
    referenceId: null,
    reimbursementId: null,
    removalOrderId: null,
    units: r.units,
    eventDate: r.refundDate,
    anchorDate: r.refundDate,
    marketplaceId: null,
    setAside,
    facts: {
      variant: "wrong-item",
      mismatch: r.mismatch,
      orderedAsin: r.orderedAsin,
      skuFnskusPerLedger: r.skuFnskus,
      returnedAsin: r.returnedAsin,
      returnedFnsku: r.returnedFnsku,
      returned: r.returned,
      refunded: r.refunded,
      refundPerUnitMinor: r.refundPerUnit,
      salePerUnitMinor: r.salePerUnit,
      arithmetic: `returned ${returnedText} against ordered ${orderedText}; units = min(returned ${r.returned}, refunded ${r.refunded}) = ${r.units}`,
    },
    evidence: [...r.refundRows, ...r.returnRows],
  };
}

export const r10ReturnMisapplied: SupportedRule = {
  id: "R10",
  slug: "return-misapplied",
  title: "Return credited to the wrong item or order",
  explanation:
    "A customer was refunded in full for your item, and the return Amazon booked against the order is a different product: your unit never came back, but Amazon counts the order as returned.",
  supported: true,
  claimFamily: "customer-return",
  requires: ["customer-returns", "financial-events", "all-orders"],
  scopeDimensions: ["orderIds", "skus", "fnskus"],
  holdUntilWindowOpens: true,
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPost(ctx, rows.map((r) => ({ key: r.fingerprint, orderId: r.orderId!, sku: r.sku, fnsku: null, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { salePerUnitMinor: number | null };
    return confidence(0.6, "The return booked to this refunded order is a different product than the one ordered", [
      !(f.salePerUnitMinor && f.salePerUnitMinor > 0) && modifier("price-unknown", 0.85, "No sale or order price to confirm the refund was in full"),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["customer-returns", "financial-events", "all-orders"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { mismatch: string; returnedAsin: string | null; returnedFnsku: string | null };
    return `${unitsText(row.units)} of ${row.sku} refunded on order ${row.orderId}, but the return booked to it is ${f.mismatch.includes("asin") ? `ASIN ${f.returnedAsin}` : `FNSKU ${f.returnedFnsku}`}`;
  },
};

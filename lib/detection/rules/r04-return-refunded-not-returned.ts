// R04 return-refunded-not-returned (detection.md §4): Amazon refunded a customer, the unit never came
// back, and the seller was not reimbursed.
//
// Per refunded order line (Finances RefundEvents: AmazonOrderId + SellerSKU, units from the adjustment
// items' QuantityShipped): returned = units of customer-return rows for the order and SKU (any
// disposition: a unit that came back, damaged or not, is R05's or nobody's; counted whenever it arrived,
// which is stricter than detection.md's refund + 60 d cut-off: a unit seen back is never claimed);
// reimbursed = units of reimbursements for the order with reason CustomerReturn, CustomerServiceIssue or
// ReturnAdjustment. Candidate when refunded - returned - reimbursed > 0. The window (customer-return:
// day 60 to 120 after the refund in the US, 45 to 105 in the EU) is also the wait: before it opens the
// line is set aside ("window opens in 12 days": the return may still arrive, Amazon may still pay).
// An order the All Orders report shows merchant-fulfilled is not Amazon's to pay. Returnless refunds
// carry no flag in this data: they are candidates like the rest (Amazon does not reimburse those).
// Refunded units count up to the units shipped to the customer (Finances shipment events, else the
// order's quantity): a second refund of one unit is money refunded twice, not a second unit that did
// not come back (R09 refund-exceeds-charge). A return of another SKU on the same order (one the order
// did not contain) is a wrong item sent back: the order's refunded unit is set aside for R10
// return-misapplied, never claimed here too.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { inScope, jsonMoneySum, reasonKey, queryRows } from "../sql";
import { totalOf, unitValuesPost } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";

export const POST_ORDER_REIMBURSEMENT_REASONS = ["customerreturn", "customerserviceissue", "returnadjustment"];

interface Row {
  orderId: string;
  sku: string;
  fnsku: string | null;
  asin: string | null;
  refunded: number;
  refundedEvents: number;
  wrongItem: number;
  wrongItemSkus: string | null;
  refundDate: string;
  refundPrincipal: number;
  salePrincipal: number | null;
  saleUnits: number | null;
  channel: string | null;
  orderedUnits: number | null;
  fbaShipment: boolean;
  returned: number;
  reimbursed: number;
  missing: number;
  reimbursementIds: string | null;
  firstReimbursementId: string | null;
  refundRows: EvidenceRow[];
  returnRows: EvidenceRow[] | null;
  reimbursementRows: EvidenceRow[] | null;
  verdict: "open" | "not-fba" | "wrong-item" | "returned" | "reimbursed" | "explained";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    -- Materialized: the refunds are a tenth of the events; read by the (seller, eventType) key, not the whole seller.
    refund_items AS MATERIALIZED (
      SELECT e.id, e."amazonOrderId" AS order_id, i.j->>'SellerSKU' AS sku, abs(COALESCE((i.j->>'QuantityShipped')::int, 0)) AS qty, e."postedDate" AS posted,
        ${jsonMoneySum(Prisma.sql`i.j->'ItemChargeAdjustmentList'`, "ChargeType", "ChargeAmount", ["Principal"])} AS principal,
        e."sourceReport" AS src, e."sourceLine" AS line
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemAdjustmentList') = 'array' THEN e.raw->'ShipmentItemAdjustmentList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Refund' AND COALESCE(e."amazonOrderId", '') <> '' AND e."postedDate" IS NOT NULL
        AND COALESCE(i.j->>'SellerSKU', '') <> ''
        AND ${inScope(ctx, { orderIds: Prisma.sql`e."amazonOrderId"`, skus: Prisma.sql`(i.j->>'SellerSKU')` })}
    ),
    refunds AS (
      SELECT order_id, sku, sum(qty)::int AS refunded, min(posted)::date AS refund_date, sum(principal)::float8 AS refund_principal,
        jsonb_agg(jsonb_build_object('table', 'FinancialEvent', 'id', id::text, 'role', 'refund', 'source', src, 'line', line,
          'date', to_char(posted, 'YYYY-MM-DD'), 'referenceId', order_id, 'quantity', qty, 'amountMinor', principal) ORDER BY posted, id) AS rows
      FROM refund_items GROUP BY order_id, sku HAVING sum(qty) > 0
    ),
    -- FNSKU and ASIN of each refunded SKU, looked up once per SKU (the returns report, else the ledger).
    sku_keys AS (
      SELECT k.sku,
        COALESCE((SELECT max(NULLIF(r.fnsku, '')) FROM "CustomerReturn" r WHERE r."sellerConnectionId" = ${s} AND r.sku = k.sku),
                 (SELECT max(NULLIF(l.fnsku, '')) FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.msku = k.sku)) AS fnsku,
        COALESCE((SELECT max(NULLIF(r.asin, '')) FROM "CustomerReturn" r WHERE r."sellerConnectionId" = ${s} AND r.sku = k.sku),
                 (SELECT max(NULLIF(l.asin, '')) FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.msku = k.sku)) AS asin
      FROM (SELECT DISTINCT sku FROM refunds) k
    ),
    -- Returns of another SKU on a refunded order: one neither refunded on the order nor in its order items
    -- (a wrong item sent back), per order.
    wrong_items AS (
      SELECT r."orderId" AS order_id, sum(COALESCE(r.quantity, 1))::int AS units, string_agg(DISTINCT r.sku, ', ') AS skus
      FROM "CustomerReturn" r
      WHERE r."sellerConnectionId" = ${s} AND COALESCE(r.sku, '') <> ''
        AND r."orderId" IN (SELECT order_id FROM refunds)
        AND NOT EXISTS (SELECT 1 FROM refunds x WHERE x.order_id = r."orderId" AND x.sku = r.sku)
        AND NOT EXISTS (SELECT 1 FROM "OrderItem" o WHERE o."sellerConnectionId" = ${s} AND o."amazonOrderId" = r."orderId" AND o.sku = r.sku)
      GROUP BY r."orderId"
    ),
    -- Post-order payouts of the refunded orders, by order and SKU, read once.
    post_reimb AS (
      SELECT r."amazonOrderId" AS order_id, r.sku,
        sum(COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)))::int AS units,
        string_agg(DISTINCT r."reimbursementId", ', ') AS ids, (array_agg(r."reimbursementId" ORDER BY r."approvalDate"))[1] AS first_id,
        jsonb_agg(jsonb_build_object('table', 'Reimbursement', 'id', r.id::text, 'role', 'reimbursement', 'source', r."sourceReport", 'line', r."sourceLine",
          'date', to_char(r."approvalDate", 'YYYY-MM-DD'), 'referenceId', r."reimbursementId", 'amountMinor', r."amountTotal",
          'quantity', COALESCE(r."quantityReimbursedTotal", 0), 'note', r.reason) ORDER BY r."approvalDate") AS rows
      FROM "Reimbursement" r
      WHERE r."sellerConnectionId" = ${s} AND r."amazonOrderId" IN (SELECT order_id FROM refunds)
        AND ${reasonKey(Prisma.sql`r.reason`)} = ANY(${POST_ORDER_REIMBURSEMENT_REASONS}::text[])
      GROUP BY r."amazonOrderId", r.sku
    ),
    judged AS (
      SELECT f.*,
        fk.fnsku, fk.asin,
        sale.principal AS sale_principal, sale.units AS sale_units,
        ord.channel, ord.units AS ordered_units,
        EXISTS (SELECT 1 FROM "CustomerShipment" cs WHERE cs."sellerConnectionId" = ${s} AND cs."amazonOrderId" = f.order_id) AS fba_shipment,
        COALESCE(ret.units, 0) AS returned, ret.rows AS return_rows,
        LEAST(f.refunded, COALESCE(NULLIF(sale.units, 0), NULLIF(ord.units, 0), f.refunded))::int AS refunded_capped,
        COALESCE(wrong.units, 0) AS wrong_item, wrong.skus AS wrong_item_skus,
        COALESCE(rb_sku.units, 0) + COALESCE(rb_any.units, 0) AS reimbursed,
        NULLIF(concat_ws(', ', rb_sku.ids, rb_any.ids), '') AS reimbursement_ids, COALESCE(rb_sku.first_id, rb_any.first_id) AS first_id,
        COALESCE(rb_sku.rows, '[]'::jsonb) || COALESCE(rb_any.rows, '[]'::jsonb) AS reimbursement_rows
      FROM refunds f
      LEFT JOIN sku_keys fk ON fk.sku = f.sku
      LEFT JOIN LATERAL (
        SELECT sum(${jsonMoneySum(Prisma.sql`i.j->'ItemChargeList'`, "ChargeType", "ChargeAmount", ["Principal"])})::float8 AS principal,
          sum(abs(COALESCE((i.j->>'QuantityShipped')::int, 0)))::int AS units
        FROM "FinancialEvent" e
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemList') = 'array' THEN e.raw->'ShipmentItemList' ELSE '[]'::jsonb END) AS i(j)
        WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Shipment' AND e."amazonOrderId" = f.order_id AND i.j->>'SellerSKU' = f.sku
      ) sale ON true
      LEFT JOIN LATERAL (
        SELECT max(o."fulfillmentChannel") AS channel, sum(o.quantity)::int AS units
        FROM "OrderItem" o WHERE o."sellerConnectionId" = ${s} AND o."amazonOrderId" = f.order_id AND o.sku = f.sku
      ) ord ON true
      LEFT JOIN LATERAL (
        SELECT sum(COALESCE(r.quantity, 1))::int AS units,
          jsonb_agg(jsonb_build_object('table', 'CustomerReturn', 'id', r.id::text, 'role', 'return', 'source', r."sourceReport", 'line', r."sourceLine",
            'date', to_char(r."returnDate", 'YYYY-MM-DD'), 'referenceId', r."licensePlateNumber", 'quantity', COALESCE(r.quantity, 1),
            'note', COALESCE(r."detailedDisposition", '') || ' ' || COALESCE(r.status, '')) ORDER BY r."returnDate") AS rows
        FROM "CustomerReturn" r
        WHERE r."sellerConnectionId" = ${s} AND r."orderId" = f.order_id AND (r.sku = f.sku OR COALESCE(r.sku, '') = '')
      ) ret ON true
      LEFT JOIN wrong_items wrong ON wrong.order_id = f.order_id
      LEFT JOIN post_reimb rb_sku ON rb_sku.order_id = f.order_id AND rb_sku.sku = f.sku
      LEFT JOIN post_reimb rb_any ON rb_any.order_id = f.order_id AND rb_any.sku = '' AND f.sku <> ''
    )
    SELECT j.order_id AS "orderId", j.sku, j.fnsku, j.asin, j.refunded_capped AS refunded, j.refunded AS "refundedEvents",
      j.wrong_item AS "wrongItem", j.wrong_item_skus AS "wrongItemSkus", to_char(j.refund_date, 'YYYY-MM-DD') AS "refundDate",
      j.refund_principal AS "refundPrincipal", j.sale_principal AS "salePrincipal", j.sale_units AS "saleUnits", j.channel, j.ordered_units AS "orderedUnits",
      j.fba_shipment AS "fbaShipment", j.returned, j.reimbursed, GREATEST(0, j.refunded_capped - j.returned - j.reimbursed - j.wrong_item)::int AS missing,
      j.reimbursement_ids AS "reimbursementIds", j.first_id AS "firstReimbursementId", j.rows AS "refundRows", j.return_rows AS "returnRows",
      j.reimbursement_rows AS "reimbursementRows",
      CASE
        WHEN lower(COALESCE(j.channel, '')) IN ('merchant', 'mfn') AND NOT j.fba_shipment THEN 'not-fba'
        WHEN j.refunded_capped - j.returned - j.reimbursed - j.wrong_item > 0 THEN 'open'
        WHEN j.wrong_item > 0 AND j.refunded_capped - j.returned - j.reimbursed > 0 THEN 'wrong-item'
        WHEN j.returned > 0 AND j.reimbursed = 0 THEN 'returned'
        WHEN j.reimbursed > 0 AND j.returned = 0 THEN 'reimbursed'
        ELSE 'explained'
      END AS verdict
    FROM judged j
    ORDER BY j.refund_date, j.order_id, j.sku`);
  return rows.map(toCandidate);
}

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "not-fba":
      return { code: "not-fba", reason: "A merchant-fulfilled order: the unit was never in Amazon's custody" };
    case "wrong-item":
      return {
        code: "wrong-item",
        reason: `A different item came back for this order (${units(r.wrongItem)} of ${r.wrongItemSkus}): a misapplied return (R10), not a missing one`,
      };
    case "returned":
      return { code: "returned", reason: `The customer returned ${r.returned >= r.refunded ? "it" : units(r.returned)} (customer returns report)` };
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon reimbursed it: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "explained":
      return { code: "explained", reason: `Covered: ${units(r.returned)} returned, ${units(r.reimbursed)} reimbursed (reimbursement ${r.reimbursementIds})`, reimbursementId: r.firstReimbursementId };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.orderId}:${r.sku}`,
    sku: r.sku,
    fnsku: r.fnsku,
    asin: r.asin,
    orderId: r.orderId,
    shipmentId: null,
    referenceId: null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.refunded : r.missing,
    eventDate: r.refundDate,
    anchorDate: r.refundDate,
    marketplaceId: null,
    setAside,
    facts: {
      refunded: r.refunded,
      refundedInEvents: r.refundedEvents,
      wrongItemReturned: r.wrongItem,
      returned: r.returned,
      reimbursed: r.reimbursed,
      missing: r.missing,
      refundDate: r.refundDate,
      refundPrincipalMinor: r.refundPrincipal,
      salePrincipalMinor: r.salePrincipal,
      saleUnits: r.saleUnits,
      fulfillmentChannel: r.channel,
      fbaShipmentSeen: r.fbaShipment,
      orderedUnits: r.orderedUnits,
      searched: { returns: { orderId: r.orderId, sku: r.sku }, reimbursements: { orderId: r.orderId, reasons: POST_ORDER_REIMBURSEMENT_REASONS } },
      arithmetic: `missing = refunded ${r.refunded}${r.refundedEvents > r.refunded ? ` (of ${r.refundedEvents} in refund events, capped at the units shipped)` : ""} - returned ${r.returned} - reimbursed ${r.reimbursed}${r.wrongItem > 0 ? ` - another item returned ${r.wrongItem}` : ""} = ${r.missing}`,
    },
    evidence: [...r.refundRows, ...(r.returnRows ?? []), ...(r.reimbursementRows ?? [])],
  };
}

export const r04ReturnRefundedNotReturned: SupportedRule = {
  id: "R04",
  slug: "return-refunded-not-returned",
  title: "Refunded to the customer, never returned, not reimbursed",
  explanation:
    "Amazon refunded a customer for your item, the item never came back to Amazon's warehouse, and Amazon neither charged the customer nor reimbursed you after the return window.",
  supported: true,
  claimFamily: "customer-return",
  requires: ["financial-events", "customer-returns", "reimbursements"],
  scopeDimensions: ["orderIds", "skus"],
  holdUntilWindowOpens: true,
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPost(ctx, rows.map((r) => ({ key: r.fingerprint, orderId: r.orderId!, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { returned: number; orderedUnits: number | null; refundPrincipalMinor: number; salePrincipalMinor: number | null; saleUnits: number | null; refunded: number; fulfillmentChannel: string | null; fbaShipmentSeen: boolean };
    const salePerUnit = f.salePrincipalMinor && f.saleUnits ? f.salePrincipalMinor / f.saleUnits : null;
    const refundPerUnit = -f.refundPrincipalMinor / Math.max(1, f.refunded);
    return confidence(0.8, "Refunded units with no return and no reimbursement after the return window", [
      f.returned > 0 && (f.orderedUnits ?? 0) > 1 && modifier("partial-return", 0.7, "Some units of this order line came back: which ones is ambiguous"),
      salePerUnit !== null && refundPerUnit < 0.5 * salePerUnit && modifier("partial-refund", 0.6, "The refund was under half the price: a concession, often not reimbursable"),
      !f.fulfillmentChannel && !f.fbaShipmentSeen && modifier("channel-unknown", 0.8, "No order or FBA shipment row confirms Amazon fulfilled it"),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["financial-events", "customer-returns", "reimbursements"]),
    ]);
  },
  summary(row) {
    return `${units(row.units)} of ${row.sku} on order ${row.orderId} refunded on ${row.eventDate}, not returned and not reimbursed`;
  },
};

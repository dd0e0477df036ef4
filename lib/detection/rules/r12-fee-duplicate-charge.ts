// R12 fee-duplicate-charge (detection.md §4): the same FBA fulfilment fee charged twice for one order
// line.
//
// (a) Per order line (AmazonOrderId + SellerSKU: the All Orders report has no order item id): the units
//     the Finances ShipmentEvents shipped (QuantityShipped, summed over every event of the line) above
//     the units ordered (All Orders quantity), with the per-unit FBA fulfilment fee
//     (FBAPerUnitFulfillmentFee, FBAWeightBasedFee) charged on them. Split shipments of a multi-unit line
//     are legitimate while their units add up: a line shipped in several events within its quantity is
//     set aside (`split-shipment`). When the events also paid the extra units' principal above the order's
//     item price, Amazon shipped (and sold) them: a second shipment, not a duplicate fee (`paid-as-sale`).
//     Value: fee per unit x units over the order. Anchor: the event that took the line over its quantity.
// Not done: (b) identical fee postings within 3 days are a duplicate only when the line's units exceed
// the order, which is (a) (without an All Orders row they look like a split shipment); (c) storage and
// inbound placement fees posted twice need the Finances ServiceFee events tied to a month or shipment,
// which they are not (the storage fee report is Amazon's estimate); (d) removal fees of cancelled units:
// the removal order report's removal-fee is not documented as charged per unit or credited back.
// Window: 90 days from the fee charge; the policy table has no family for duplicate fees, the FBA fee
// family (fee-dimensions: 90 d from the charge) is used.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { money, unitsText } from "../format";
import { inScope, jsonCurrency, jsonMoneySum, queryRows } from "../sql";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule, Valuation } from "../types";

const FBA_UNIT_FEES = ["FBAPerUnitFulfillmentFee", "FBAWeightBasedFee"];
const TOLERANCE_MINOR = 1;

interface Row {
  orderId: string;
  sku: string;
  currency: string | null;
  ordered: number;
  shipped: number;
  events: number;
  feeCharged: number;
  principalCharged: number;
  orderPrice: number | null;
  overDate: string;
  firstDate: string;
  saleRows: EvidenceRow[];
  orderRows: EvidenceRow[];
  verdict: "open" | "paid-as-sale" | "split-shipment" | "no-fee";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    -- Every shipped order line's units, without the money: most lines are one unit in one event.
    lite AS (
      SELECT e.id, e."amazonOrderId" AS order_id, i.j->>'SellerSKU' AS sku, abs(COALESCE((i.j->>'QuantityShipped')::int, 0)) AS qty
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemList') = 'array' THEN e.raw->'ShipmentItemList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Shipment' AND COALESCE(e."amazonOrderId", '') <> '' AND e."postedDate" IS NOT NULL
        AND COALESCE(i.j->>'SellerSKU', '') <> ''
        -- Only the order's own rows decide it: scoped by order id alone.
        AND ${inScope(ctx, { orderIds: Prisma.sql`e."amazonOrderId"` })}
    ),
    -- A line shipped as one unit in one event is within any order that has it (ordered > 0): only lines
    -- of several units or events can go over their order or be split, so only those are read further.
    multi AS (
      SELECT order_id, sku FROM lite GROUP BY order_id, sku HAVING sum(qty) > 1 OR count(DISTINCT id) > 1
    ),
    -- Those lines' items with their fees, principal and currency (their events read a second time).
    items AS (
      SELECT e.id, e."amazonOrderId" AS order_id, i.j->>'SellerSKU' AS sku, e."postedDate" AS posted, abs(COALESCE((i.j->>'QuantityShipped')::int, 0)) AS qty,
        -${jsonMoneySum(Prisma.sql`i.j->'ItemFeeList'`, "FeeType", "FeeAmount", FBA_UNIT_FEES)} AS fee,
        ${jsonMoneySum(Prisma.sql`i.j->'ItemChargeList'`, "ChargeType", "ChargeAmount", ["Principal"])} AS principal,
        COALESCE(${jsonCurrency(Prisma.sql`i.j->'ItemFeeList'`, "FeeAmount")}, ${jsonCurrency(Prisma.sql`i.j->'ItemChargeList'`, "ChargeAmount")}) AS cur,
        e."sourceReport" AS src, e."sourceLine" AS line
      FROM "FinancialEvent" e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemList') = 'array' THEN e.raw->'ShipmentItemList' ELSE '[]'::jsonb END) AS i(j)
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Shipment'
        AND e.id IN (SELECT l.id FROM lite l JOIN multi m ON m.order_id = l.order_id AND m.sku = l.sku)
        AND (e."amazonOrderId", i.j->>'SellerSKU') IN (SELECT order_id, sku FROM multi)
    ),
    ordered AS (
      SELECT o."amazonOrderId" AS order_id, o.sku, sum(COALESCE(o.quantity, 0))::int AS qty, sum(o."itemPrice")::float8 AS price,
        jsonb_agg(jsonb_build_object('table', 'OrderItem', 'id', o.id::text, 'role', 'order', 'source', o."sourceReport", 'line', o."sourceLine",
          'date', to_char(o."purchaseDate", 'YYYY-MM-DD'), 'referenceId', o."amazonOrderId", 'quantity', o.quantity, 'amountMinor', o."itemPrice",
          'note', 'ordered (All Orders)') ORDER BY o.id) AS rows
      FROM "OrderItem" o
      WHERE o."sellerConnectionId" = ${s} AND (o."amazonOrderId", o.sku) IN (SELECT order_id, sku FROM multi)
      GROUP BY o."amazonOrderId", o.sku
    ),
    cum AS (
      SELECT it.*, SUM(it.qty) OVER (PARTITION BY it.order_id, it.sku ORDER BY it.posted, it.id ROWS UNBOUNDED PRECEDING) AS cum
      FROM items it
    ),
    lines AS (
      SELECT c.order_id, c.sku, max(c.cur) AS cur, sum(c.qty)::int AS shipped, count(DISTINCT c.id)::int AS events,
        sum(c.fee)::float8 AS fee, sum(c.principal)::float8 AS principal, min(c.posted)::date AS first_date,
        min(c.posted) FILTER (WHERE c.cum > od.qty)::date AS over_date,
        max(od.qty) AS ordered, max(od.price) AS price,
        jsonb_agg(jsonb_build_object('table', 'FinancialEvent', 'id', c.id::text, 'role', 'shipment-charge', 'source', c.src, 'line', c.line,
          'date', to_char(c.posted, 'YYYY-MM-DD'), 'referenceId', c.order_id, 'quantity', c.qty, 'amountMinor', -c.fee,
          'note', 'FBA fulfilment fee charged; principal ' || c.principal) ORDER BY c.posted, c.id) AS rows
      FROM cum c JOIN ordered od ON od.order_id = c.order_id AND od.sku = c.sku
      GROUP BY c.order_id, c.sku
    )
    SELECT l.order_id AS "orderId", l.sku, l.cur AS currency, l.ordered, l.shipped, l.events, l.fee AS "feeCharged", l.principal AS "principalCharged",
      l.price AS "orderPrice", to_char(COALESCE(l.over_date, l.first_date), 'YYYY-MM-DD') AS "overDate", to_char(l.first_date, 'YYYY-MM-DD') AS "firstDate",
      l.rows AS "saleRows", od.rows AS "orderRows",
      CASE
        WHEN l.shipped <= l.ordered THEN 'split-shipment'
        WHEN l.fee <= 0 THEN 'no-fee'
        WHEN l.price > 0 AND l.principal > l.price + ${TOLERANCE_MINOR} THEN 'paid-as-sale'
        ELSE 'open'
      END AS verdict
    FROM lines l JOIN ordered od ON od.order_id = l.order_id AND od.sku = l.sku
    WHERE l.ordered > 0 AND (l.shipped > l.ordered OR l.events > 1)
    ORDER BY l.order_id, l.sku`);
  return rows.map((r) => toCandidate(r, ctx));
}

function setAsideOf(r: Row, currency: string): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "split-shipment":
      return { code: "split-shipment", reason: `Shipped in ${r.events} parts, ${unitsText(r.shipped)} of the ${r.ordered} ordered: each unit's fee charged once` };
    case "no-fee":
      return { code: "no-fee", reason: `${unitsText(r.shipped - r.ordered)} over the order, but no FBA fulfilment fee was charged on the line` };
    case "paid-as-sale":
      return {
        code: "paid-as-sale",
        reason: `The extra ${unitsText(r.shipped - r.ordered)} were also paid to you as a sale (principal ${money(r.principalCharged, currency)} against an order price of ${money(r.orderPrice ?? 0, currency)}): a second shipment, not a duplicate fee`,
      };
  }
}

function toCandidate(r: Row, ctx: RuleContext): CandidateRow {
  const currency = r.currency ?? ctx.defaultCurrency;
  const setAside = setAsideOf(r, currency);
  const excess = Math.max(0, r.shipped - r.ordered);
  return {
    fingerprint: `${r.orderId}:${r.sku}:FBAPerUnitFulfillmentFee`,
    sku: r.sku,
    fnsku: null,
    asin: null,
    orderId: r.orderId,
    shipmentId: null,
    referenceId: null,
    reimbursementId: null,
    removalOrderId: null,
    units: setAside ? r.shipped : excess,
    eventDate: r.overDate,
    anchorDate: r.overDate,
    marketplaceId: null,
    setAside,
    facts: {
      currency,
      ordered: r.ordered,
      shipped: r.shipped,
      unitsOverOrder: excess,
      shipmentEvents: r.events,
      fbaFeeChargedMinor: r.feeCharged,
      feePerUnitMinor: r.shipped > 0 ? Math.round(r.feeCharged / r.shipped) : null,
      principalChargedMinor: r.principalCharged,
      orderPriceMinor: r.orderPrice,
      feeTypes: FBA_UNIT_FEES,
      arithmetic: `duplicate = (shipped ${r.shipped} - ordered ${r.ordered}) x fee per unit ${r.shipped > 0 ? Math.round(r.feeCharged / r.shipped) : 0} (minor units)`,
    },
    evidence: [...r.orderRows, ...r.saleRows],
  };
}

function valueOf(row: CandidateRow): Valuation {
  const f = row.facts as { currency: string; feePerUnitMinor: number | null; fbaFeeChargedMinor: number; shipped: number; unitsOverOrder: number };
  const perUnit = f.feePerUnitMinor ?? 0;
  return {
    unitMinor: perUnit,
    totalMinor: perUnit * row.units,
    currency: f.currency,
    basis: "duplicate-fee",
    fallback: false,
    detail: { feeChargedMinor: f.fbaFeeChargedMinor, unitsCharged: f.shipped, unitsOverOrder: f.unitsOverOrder, note: "the FBA fulfilment fee per unit charged on units beyond the order's quantity" },
  };
}

export const r12FeeDuplicateCharge: SupportedRule = {
  id: "R12",
  slug: "fee-duplicate-charge",
  title: "The same fee charged twice",
  explanation:
    "Amazon charged its FBA fulfilment fee on more units of an order line than the customer ordered, without paying you for the extra units: the same fee charged twice.",
  supported: true,
  claimFamily: "fee-dimensions",
  requires: ["financial-events", "all-orders"],
  scopeDimensions: ["orderIds"],
  candidates,
  async value(_ctx, rows) {
    return new Map(rows.map((r) => [r.fingerprint, valueOf(r)]));
  },
  confidence(ctx, row) {
    const f = row.facts as { orderPriceMinor: number | null };
    return confidence(0.85, "FBA fees charged on more units than the order line has, per Amazon's own financial events and order report", [
      !(f.orderPriceMinor && f.orderPriceMinor > 0) && modifier("no-order-price", 0.85, "The order report gives no item price: a second sale of the extra units cannot be ruled out"),
      common.incompleteData(ctx, ["financial-events", "all-orders"]),
    ]);
  },
  summary(row, valuation) {
    const f = row.facts as { ordered: number; shipped: number };
    return `Order ${row.orderId} (${row.sku}): FBA fee charged on ${f.shipped} units, ${f.ordered} ordered, ${money(valuation.totalMinor, valuation.currency)} charged twice`;
  },
};

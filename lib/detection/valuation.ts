// Unit values (detection.md §3), set-based: one query per rule run values every candidate.
//
// unitValuePre (a loss before a customer order: FC lost/damaged, lost inbound, removals, disposals):
//   on/after the sourcing-cost date (2025-03-31): the seller's unit cost (SkuUnitCost) when given, else
//   the median amount-per-unit Amazon paid for Lost_Warehouse/Damaged_Warehouse on the FNSKU since 180 d
//   before the loss, else 40% of the average sale price; before it: average net proceeds per unit over
//   the prior 90 d (principal minus referral and FBA fees, from Finances shipment events), then the
//   same fallbacks.
// unitValuePost (a loss after a customer order: refund not returned, return damaged by Amazon): the
//   refund debited for the order line (principal + shipping, + tax where the seller collected it, i.e.
//   no tax withheld by Amazon) minus the referral fee credited back, per refunded unit; else the sale's
//   own figures (same arithmetic on the shipment event); else the order item's price less the fee
//   preview's referral fee; else unitValuePre.
// Every value is clamped to the single-item cap (USD 5,000 in older policy text [S18]; applied as 5,000
// in the currency's major unit) and says which basis it used; fallbacks lower confidence (x0.85).
import { Prisma } from "../generated/prisma/client";
import { jsonCurrency, jsonMoneySum, reasonKey, queryRows } from "./sql";
import type { RuleContext, Valuation } from "./types";
import { addDays } from "./windows";

/** Amazon values losses before a customer order at the seller's sourcing cost from this day [S12]. */
export const SOURCING_COST_FROM = "2025-03-31";
/** Single-item cap, in minor units of a two-decimal currency. */
export const UNIT_VALUE_CAP_MINOR = 500_000;
/** Fallback: this share of the average sale price when neither cost nor past payouts are known. */
export const SALE_PRICE_FALLBACK_SHARE = 0.4;

export interface UnitValue {
  unitMinor: number;
  currency: string;
  basis: string;
  fallback: boolean;
  detail: Record<string, unknown>;
}

export interface PreItem {
  key: string;
  sku: string | null;
  fnsku: string | null;
  /** The loss date, YYYY-MM-DD. */
  date: string;
}

export interface PostItem extends PreItem {
  orderId: string;
}

/** units x unit value. */
export function totalOf(unit: UnitValue, units: number): Valuation {
  return { unitMinor: unit.unitMinor, totalMinor: unit.unitMinor * units, currency: unit.currency, basis: unit.basis, fallback: unit.fallback, detail: { ...unit.detail, units } };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function capped(unitMinor: number): { unitMinor: number; capped: boolean } {
  const rounded = Math.max(0, Math.round(unitMinor));
  return rounded > UNIT_VALUE_CAP_MINOR ? { unitMinor: UNIT_VALUE_CAP_MINOR, capped: true } : { unitMinor: rounded, capped: false };
}

export interface PreRow {
  key: string;
  cost: number | null;
  costCurrency: string | null;
  costInvoice: boolean | null;
  med: number | null;
  medCurrency: string | null;
  medN: number | null;
  net: number | null;
  netCurrency: string | null;
  netUnits: number | null;
  price: number | null;
  priceCurrency: string | null;
  priceSource: string | null;
}

const CHARGE_TYPES = ["Principal", "ShippingCharge"];
const TAX_TYPES = ["Tax", "ShippingTax"];
const SALE_FEES = ["Commission", "FBAPerUnitFulfillmentFee", "FBAWeightBasedFee", "FBAPerOrderFulfillmentFee"];

/**
 * Each candidate's sums (amt, n) over the 180 days up to its loss day, from a per-key, per-day CTE
 * (`k`, `day`, `amt`, `n`): a range window evaluated at the candidate's own row, which adds nothing
 * (its amounts are 0). `key` is the candidate's column that matches `k` (null or '' matches nothing).
 */
function priorDaysSums(dayTable: "o_day" | "cs_day", key: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
      SELECT w.key, w.amt, w.n FROM (
        SELECT x.key, sum(x.amt) OVER f AS amt, sum(x.n) OVER f AS n
        FROM (
          SELECT k, day, amt, n, NULL::text AS key FROM ${Prisma.raw(dayTable)} WHERE day IS NOT NULL
          UNION ALL
          SELECT ${key}, r.d, 0, 0, r.key FROM req r WHERE COALESCE(${key}, '') <> ''
        ) x
        WINDOW f AS (PARTITION BY x.k ORDER BY x.day RANGE BETWEEN INTERVAL '180 days' PRECEDING AND CURRENT ROW)
      ) w WHERE w.key IS NOT NULL`;
}

/** unitValuePre for every item, in one query. Items without any basis are valued 0 ("unvalued"). */
export async function unitValuesPre(ctx: RuleContext, items: readonly PreItem[]): Promise<Map<string, UnitValue>> {
  const out = new Map<string, UnitValue>();
  if (items.length === 0) return out;
  const s = ctx.sellerConnectionId;
  // Net proceeds value only losses before the sourcing-cost date: the SKUs and days those need.
  const netItems = items.filter((i) => i.sku && i.date < SOURCING_COST_FROM);
  const netSkus = [...new Set(netItems.map((i) => i.sku!))];
  const netDays = netItems.map((i) => i.date).sort();
  const netFrom = netDays.length > 0 ? addDays(netDays[0]!, -90) : SOURCING_COST_FROM;
  const netTo = netDays.length > 0 ? addDays(netDays[netDays.length - 1]!, 1) : SOURCING_COST_FROM;
  const skus = [...new Set(items.flatMap((i) => (i.sku ? [i.sku] : [])))];
  const fnskus = [...new Set(items.flatMap((i) => (i.fnsku ? [i.fnsku] : [])))];
  const rows = await queryRows<PreRow>(ctx, Prisma.sql`
    WITH req AS (
      SELECT * FROM unnest(${items.map((i) => i.key)}::text[], ${items.map((i) => i.sku)}::text[], ${items.map((i) => i.fnsku)}::text[], ${items.map((i) => i.date)}::date[]) AS r(key, sku, fnsku, d)
    ),
    -- Net proceeds per SKU and UTC day, read once for all candidates valued on them (losses before the
    -- sourcing-cost date): events whose items all carry the SKU (the typed column, indexed), and those
    -- with mixed items. Summed per candidate over its 90 days below.
    daily AS MATERIALIZED (
      SELECT i.j->>'SellerSKU' AS sku, (e."postedDate" AT TIME ZONE 'UTC')::date AS day, sum(it.net) AS net, sum(it.qty) AS qty, max(it.cur) AS cur
      FROM (
        SELECT x.raw, x."postedDate" FROM "FinancialEvent" x
        WHERE cardinality(${netSkus}::text[]) > 0 AND x."sellerConnectionId" = ${s} AND x."eventType" = 'Shipment' AND x."sellerSku" = ANY(${netSkus}::text[])
          AND x."postedDate" >= ${`${netFrom}T00:00:00Z`}::timestamptz AND x."postedDate" < ${`${netTo}T00:00:00Z`}::timestamptz
        UNION ALL
        SELECT x.raw, x."postedDate" FROM "FinancialEvent" x
        WHERE cardinality(${netSkus}::text[]) > 0 AND x."sellerConnectionId" = ${s} AND x."eventType" = 'Shipment' AND x."sellerSku" IS NULL
          AND x."postedDate" >= ${`${netFrom}T00:00:00Z`}::timestamptz AND x."postedDate" < ${`${netTo}T00:00:00Z`}::timestamptz
      ) e
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->'ShipmentItemList') = 'array' THEN e.raw->'ShipmentItemList' ELSE '[]'::jsonb END) AS i(j)
      CROSS JOIN LATERAL (
        SELECT NULLIF((i.j->>'QuantityShipped')::int, 0) AS qty,
          ${jsonMoneySum(Prisma.sql`i.j->'ItemChargeList'`, "ChargeType", "ChargeAmount", ["Principal"])}
            + ${jsonMoneySum(Prisma.sql`i.j->'ItemFeeList'`, "FeeType", "FeeAmount", SALE_FEES)} AS net,
          ${jsonCurrency(Prisma.sql`i.j->'ItemChargeList'`, "ChargeAmount")} AS cur
      ) it
      WHERE i.j->>'SellerSKU' = ANY(${netSkus}::text[]) AND it.qty > 0
      GROUP BY 1, 2
    ),
    np AS (
      SELECT r.key, round(sum(d.net) / NULLIF(sum(d.qty), 0))::float8 AS v, max(d.cur) AS cur, sum(d.qty)::int AS n
      FROM req r JOIN daily d ON d.sku = r.sku AND d.day >= r.d - 90 AND d.day <= r.d
      WHERE r.d < ${SOURCING_COST_FROM}::date
      GROUP BY r.key
    ),
    -- Sale prices (the 40% fallback), read once per SKU and UTC day (orders) or FNSKU and day (customer
    -- shipments); each candidate's 180-day sums from priorDaysSums. Currency: the SKU's (FNSKU's) own.
    o_day AS MATERIALIZED (
      SELECT o.sku AS k, (o."purchaseDate" AT TIME ZONE 'UTC')::date AS day, sum(o."itemPrice")::numeric AS amt, sum(o.quantity)::numeric AS n, max(o.currency) AS cur
      FROM "OrderItem" o
      WHERE o."sellerConnectionId" = ${s} AND o.sku = ANY(${skus}::text[]) AND o."itemPrice" > 0 AND o.quantity > 0
      GROUP BY 1, 2
    ),
    o_sku AS (SELECT k, sum(amt) AS amt, sum(n) AS n, max(cur) AS cur FROM o_day GROUP BY k),
    o_win AS (${priorDaysSums("o_day", Prisma.sql`r.sku`)}),
    cs_day AS MATERIALIZED (
      SELECT cs.fnsku AS k, (cs."shipmentDate" AT TIME ZONE 'UTC')::date AS day, sum(cs."itemPricePerUnit")::numeric AS amt, count(*)::numeric AS n, max(cs.currency) AS cur
      FROM "CustomerShipment" cs
      WHERE cs."sellerConnectionId" = ${s} AND cs.fnsku = ANY(${fnskus}::text[]) AND cs."itemPricePerUnit" > 0
      GROUP BY 1, 2
    ),
    cs_fnsku AS (SELECT k, max(cur) AS cur FROM cs_day GROUP BY k),
    cs_win AS (${priorDaysSums("cs_day", Prisma.sql`r.fnsku`)}),
    -- The latest fee preview's price per SKU.
    fee_price AS (
      SELECT DISTINCT ON (f.sku) f.sku, COALESCE(f."salesPrice", f."yourPrice")::numeric AS v, f.currency
      FROM "FeePreview" f WHERE f."sellerConnectionId" = ${s} AND f.sku = ANY(${skus}::text[])
      ORDER BY f.sku, f."snapshotDate" DESC
    )
    SELECT r.key,
      c."unitCostMinor"::float8 AS cost, c.currency AS "costCurrency", c."hasInvoice" AS "costInvoice",
      med.v AS med, med.cur AS "medCurrency", med.n AS "medN",
      np.v AS net, np.cur AS "netCurrency", np.n AS "netUnits",
      pr.v AS price, pr.cur AS "priceCurrency", pr.src AS "priceSource"
    FROM req r
    LEFT JOIN "SkuUnitCost" c ON c."sellerConnectionId" = ${s} AND c.sku = r.sku
    LEFT JOIN LATERAL (
      SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY x."amountPerUnit"))::float8 AS v, max(x."currencyUnit") AS cur, count(*)::int AS n
      FROM "Reimbursement" x
      WHERE x."sellerConnectionId" = ${s} AND x.fnsku = r.fnsku AND r.fnsku <> ''
        AND ${reasonKey(Prisma.sql`x.reason`)} IN ('lostwarehouse', 'damagedwarehouse')
        AND x."amountPerUnit" > 0 AND x."approvalDate" >= (r.d - 180)
    ) med ON med.n > 0
    LEFT JOIN np ON np.key = r.key AND np.n > 0
    LEFT JOIN o_win ow ON ow.key = r.key
    LEFT JOIN o_sku os ON os.k = r.sku
    LEFT JOIN cs_win cw ON cw.key = r.key
    LEFT JOIN cs_fnsku cf ON cf.k = r.fnsku
    LEFT JOIN fee_price fp ON fp.sku = r.sku
    LEFT JOIN LATERAL (
      SELECT p.v::float8 AS v, p.cur, p.src FROM (VALUES
        (ow.amt / NULLIF(ow.n, 0), os.cur, 'orders, 180 days before the loss', 1),
        (cw.amt / NULLIF(cw.n, 0), cf.cur, 'customer shipments, 180 days before the loss', 2),
        (os.amt / NULLIF(os.n, 0), os.cur, 'orders', 3),
        (fp.v, fp.currency, 'fee preview price', 4)
      ) p(v, cur, src, pri) WHERE p.v > 0 ORDER BY p.pri LIMIT 1
    ) pr ON true`);
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const row of rows) {
    out.set(row.key, choosePre(ctx, byKey.get(row.key)!, row));
  }
  return out;
}

/** The basis chosen from the figures the query found (exported for its unit test). */
export function choosePre(ctx: Pick<RuleContext, "defaultCurrency">, item: PreItem, row: PreRow): UnitValue {
  const sourcingCostRegime = item.date >= SOURCING_COST_FROM;
  const cost = num(row.cost);
  const med = num(row.med);
  const net = num(row.net);
  const price = num(row.price);
  const common = { lossDate: item.date, sourcingCostRegime, sourcingCostFrom: SOURCING_COST_FROM };
  const make = (unit: number, currency: string | null, basis: string, fallback: boolean, detail: Record<string, unknown>): UnitValue => {
    const c = capped(unit);
    return { unitMinor: c.unitMinor, currency: currency ?? ctx.defaultCurrency, basis, fallback, detail: { ...common, ...detail, ...(c.capped ? { cappedAt: UNIT_VALUE_CAP_MINOR } : {}) } };
  };
  if (sourcingCostRegime && cost !== null && cost > 0) {
    return make(cost, row.costCurrency, "seller-cost", false, { sellerUnitCostMinor: cost, hasInvoice: Boolean(row.costInvoice) });
  }
  if (!sourcingCostRegime && net !== null && net > 0) {
    return make(net, row.netCurrency, "net-proceeds", false, { netProceedsPerUnitMinor: net, unitsSoldPrior90Days: row.netUnits });
  }
  if (med !== null && med > 0) {
    return make(med, row.medCurrency, "reimbursement-median", true, { medianAmountPerUnitMinor: med, reimbursementsConsidered: row.medN, note: "median amount-per-unit Amazon paid for lost/damaged units of this FNSKU" });
  }
  if (price !== null && price > 0) {
    return make(price * SALE_PRICE_FALLBACK_SHARE, row.priceCurrency, "sale-price-40pct", true, { averageSalePriceMinor: Math.round(price), share: SALE_PRICE_FALLBACK_SHARE, priceSource: row.priceSource });
  }
  return { unitMinor: 0, currency: ctx.defaultCurrency, basis: "unvalued", fallback: true, detail: { ...common, note: "no cost, payout or price data for this SKU" } };
}

interface PostRow {
  key: string;
  refundUnits: number | null;
  refundCharges: number | null;
  refundCommission: number | null;
  refundCurrency: string | null;
  saleUnits: number | null;
  saleCharges: number | null;
  saleCommission: number | null;
  saleCurrency: string | null;
  orderPrice: number | null;
  orderCurrency: string | null;
  referralFee: number | null;
}

/** Finances item arithmetic shared by refunds and sales: charges (+ seller-collected tax) and commission. */
function itemEconomics(list: "ShipmentItemAdjustmentList" | "ShipmentItemList", charges: "ItemChargeAdjustmentList" | "ItemChargeList", fees: "ItemFeeAdjustmentList" | "ItemFeeList"): Prisma.Sql {
  const l = Prisma.raw(`'${list}'`);
  const c = Prisma.raw(`'${charges}'`);
  const f = Prisma.raw(`'${fees}'`);
  return Prisma.sql`
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.raw->${l}) = 'array' THEN e.raw->${l} ELSE '[]'::jsonb END) AS i(j)
      CROSS JOIN LATERAL (
        SELECT abs(NULLIF((i.j->>'QuantityShipped')::int, 0)) AS qty,
          ${jsonMoneySum(Prisma.sql`i.j->${c}`, "ChargeType", "ChargeAmount", CHARGE_TYPES)}
            + CASE WHEN jsonb_typeof(i.j->'ItemTaxWithheldList') = 'array' AND jsonb_array_length(i.j->'ItemTaxWithheldList') > 0 THEN 0
                   ELSE ${jsonMoneySum(Prisma.sql`i.j->${c}`, "ChargeType", "ChargeAmount", TAX_TYPES)} END AS charges,
          ${jsonMoneySum(Prisma.sql`i.j->${f}`, "FeeType", "FeeAmount", ["Commission"])} AS commission,
          ${jsonCurrency(Prisma.sql`i.j->${c}`, "ChargeAmount")} AS cur
      ) it`;
}

/** unitValuePost for every item, in one query; items with no order economics fall back to unitValuePre. */
export async function unitValuesPost(ctx: RuleContext, items: readonly PostItem[]): Promise<Map<string, UnitValue>> {
  const out = new Map<string, UnitValue>();
  if (items.length === 0) return out;
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<PostRow>(ctx, Prisma.sql`
    WITH req AS (
      SELECT * FROM unnest(${items.map((i) => i.key)}::text[], ${items.map((i) => i.orderId)}::text[], ${items.map((i) => i.sku)}::text[]) AS r(key, order_id, sku)
    )
    SELECT r.key,
      rf.units AS "refundUnits", rf.charges AS "refundCharges", rf.commission AS "refundCommission", rf.cur AS "refundCurrency",
      sh.units AS "saleUnits", sh.charges AS "saleCharges", sh.commission AS "saleCommission", sh.cur AS "saleCurrency",
      oi.v AS "orderPrice", oi.cur AS "orderCurrency", fp.v AS "referralFee"
    FROM req r
    LEFT JOIN LATERAL (
      SELECT sum(it.qty)::int AS units, sum(it.charges)::float8 AS charges, sum(it.commission)::float8 AS commission, max(it.cur) AS cur
      FROM "FinancialEvent" e ${itemEconomics("ShipmentItemAdjustmentList", "ItemChargeAdjustmentList", "ItemFeeAdjustmentList")}
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Refund' AND e."amazonOrderId" = r.order_id AND i.j->>'SellerSKU' = r.sku
    ) rf ON true
    LEFT JOIN LATERAL (
      SELECT sum(it.qty)::int AS units, sum(it.charges)::float8 AS charges, sum(it.commission)::float8 AS commission, max(it.cur) AS cur
      FROM "FinancialEvent" e ${itemEconomics("ShipmentItemList", "ItemChargeList", "ItemFeeList")}
      WHERE e."sellerConnectionId" = ${s} AND e."eventType" = 'Shipment' AND e."amazonOrderId" = r.order_id AND i.j->>'SellerSKU' = r.sku
    ) sh ON true
    LEFT JOIN LATERAL (
      SELECT (sum(o."itemPrice")::numeric / NULLIF(sum(o.quantity), 0))::float8 AS v, max(o.currency) AS cur
      FROM "OrderItem" o
      WHERE o."sellerConnectionId" = ${s} AND o."amazonOrderId" = r.order_id AND o.sku = r.sku AND o."itemPrice" > 0 AND o.quantity > 0
    ) oi ON true
    LEFT JOIN LATERAL (
      SELECT f."estimatedReferralFeePerUnit"::float8 AS v FROM "FeePreview" f
      WHERE f."sellerConnectionId" = ${s} AND f.sku = r.sku ORDER BY f."snapshotDate" DESC LIMIT 1
    ) fp ON true`);
  const needPre: PreItem[] = [];
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const row of rows) {
    const item = byKey.get(row.key)!;
    const refundUnits = num(row.refundUnits);
    const saleUnits = num(row.saleUnits);
    const detailBase = {
      orderId: item.orderId,
      refundUnits,
      refundChargesMinor: num(row.refundCharges),
      refundCommissionCreditedMinor: num(row.refundCommission),
      saleUnits,
      saleChargesMinor: num(row.saleCharges),
      saleCommissionMinor: num(row.saleCommission),
    };
    if (refundUnits && refundUnits > 0) {
      // A refund debits the charges (negative) and credits the referral fee back (positive).
      const unit = (-(num(row.refundCharges) ?? 0) - (num(row.refundCommission) ?? 0)) / refundUnits;
      if (unit > 0) {
        const c = capped(unit);
        out.set(row.key, { unitMinor: c.unitMinor, currency: row.refundCurrency ?? ctx.defaultCurrency, basis: "sale-price-minus-fees", fallback: false, detail: { ...detailBase, from: "refund event" } });
        continue;
      }
    }
    if (saleUnits && saleUnits > 0) {
      const unit = ((num(row.saleCharges) ?? 0) + (num(row.saleCommission) ?? 0)) / saleUnits;
      if (unit > 0) {
        const c = capped(unit);
        out.set(row.key, { unitMinor: c.unitMinor, currency: row.saleCurrency ?? ctx.defaultCurrency, basis: "sale-price-minus-fees", fallback: false, detail: { ...detailBase, from: "shipment event" } });
        continue;
      }
    }
    const price = num(row.orderPrice);
    if (price !== null && price > 0) {
      const referral = num(row.referralFee) ?? 0;
      const c = capped(price - referral);
      out.set(row.key, {
        unitMinor: c.unitMinor,
        currency: row.orderCurrency ?? ctx.defaultCurrency,
        basis: referral > 0 ? "order-price-minus-referral" : "order-price",
        fallback: true,
        detail: { ...detailBase, orderItemPriceMinor: Math.round(price), estimatedReferralFeeMinor: referral || null },
      });
      continue;
    }
    needPre.push(item);
  }
  if (needPre.length > 0) {
    const pre = await unitValuesPre(ctx, needPre);
    for (const [key, value] of pre) out.set(key, { ...value, fallback: true, detail: { ...value.detail, note: "no refund, sale or order price for this order line: valued as a loss before an order" } });
  }
  return out;
}

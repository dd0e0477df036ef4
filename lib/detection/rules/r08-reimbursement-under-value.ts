// R08 reimbursement-under-value (detection.md §4): Amazon paid, but less money than owed.
//
// (a) Paid for fewer units than lost is not checked here: R01-R04 already leave the unpaid remainder
//     as their own finding (no double count).
// (b) After an order: a CustomerReturn / CustomerServiceIssue payout for an order whose amount-total is
//     under 90% of the cash units x unitValuePost (refund minus referral fee for the order line);
//     the shortfall is expected - paid. Confidence 0.6 (Amazon's fee deductions vary).
// (c) Before an order: a Lost_Warehouse / Damaged_Warehouse / Lost_Inbound / Damaged_Inbound payout
//     approved on or after the sourcing-cost date (2025-03-31) whose amount-per-unit is under 95% of the
//     seller's unit cost; the shortfall is (cost - paid) x cash units. Confidence 0.75 when the seller
//     holds an invoice for the cost, 0.4 without. No cost entered: set aside ("enter your unit cost").
// A payout already reversed in full is not re-evaluated. Window: re-evaluation within 60 days of the
// approval date [S15]. The payouts are read set-based; the expected values come from valuation.ts's
// set-based queries; the rule compares the two per payout.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence } from "../confidence";
import { money } from "../format";
import { inScope, reasonKey, queryRows } from "../sql";
import { SOURCING_COST_FROM, unitValuesPost } from "../valuation";
import type { CandidateRow, RuleContext, SupportedRule, Valuation } from "../types";

const PRE_ORDER = ["lostwarehouse", "damagedwarehouse", "lostinbound", "damagedinbound"];
const POST_ORDER = ["customerreturn", "customerserviceissue"];

interface Row {
  id: string;
  reimbursementId: string;
  approval: string;
  reasonKey: string;
  reason: string | null;
  sku: string;
  fnsku: string;
  asin: string | null;
  orderId: string | null;
  amountPerUnit: number | null;
  amountTotal: number;
  cash: number;
  currency: string | null;
  cost: number | null;
  costCurrency: string | null;
  hasInvoice: boolean | null;
  reversed: number;
  sourceReport: string;
  sourceLine: number;
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH pay AS (
      SELECT r.id, r."reimbursementId", r."approvalDate"::date AS approval, ${reasonKey(Prisma.sql`r.reason`)} AS reason_key, r.reason, r.sku, r.fnsku,
        NULLIF(r.asin, '') AS asin, NULLIF(r."amazonOrderId", '') AS order_id, r."amountPerUnit"::float8 AS apu, r."amountTotal"::float8 AS total,
        COALESCE(r."quantityReimbursedCash", 0)::int AS cash, r."currencyUnit" AS currency, r."sourceReport", r."sourceLine"
      FROM "Reimbursement" r
      WHERE r."sellerConnectionId" = ${s} AND r."approvalDate" IS NOT NULL AND COALESCE(r."amountTotal", 0) > 0 AND COALESCE(r."quantityReimbursedCash", 0) > 0
        AND ${reasonKey(Prisma.sql`r.reason`)} = ANY(${[...PRE_ORDER, ...POST_ORDER]}::text[])
        AND ${inScope(ctx, { reimbursementIds: Prisma.sql`r."reimbursementId"`, skus: Prisma.sql`r.sku`, fnskus: Prisma.sql`r.fnsku`, orderIds: Prisma.sql`r."amazonOrderId"` })}
    ),
    reversed AS (
      SELECT v."originalReimbursementId" AS original_id, sum(abs(v."amountTotal")) AS amount
      FROM "Reimbursement" v
      WHERE v."sellerConnectionId" = ${s} AND COALESCE(v."originalReimbursementId", '') <> '' AND COALESCE(v."amountTotal", 0) < 0
      GROUP BY v."originalReimbursementId"
    )
    SELECT p.id::text AS id, p."reimbursementId", to_char(p.approval, 'YYYY-MM-DD') AS approval, p.reason_key AS "reasonKey", p.reason, p.sku, p.fnsku, p.asin,
      p.order_id AS "orderId", p.apu AS "amountPerUnit", p.total AS "amountTotal", p.cash, p.currency,
      c."unitCostMinor"::float8 AS cost, c.currency AS "costCurrency", c."hasInvoice",
      COALESCE(rv.amount, 0)::float8 AS reversed,
      p."sourceReport", p."sourceLine"
    FROM pay p
    LEFT JOIN "SkuUnitCost" c ON c."sellerConnectionId" = ${s} AND c.sku = p.sku
    LEFT JOIN reversed rv ON rv.original_id = p."reimbursementId"
    WHERE (p.reason_key = ANY(${PRE_ORDER}::text[]) AND p.approval >= ${SOURCING_COST_FROM}::date) OR (p.reason_key = ANY(${POST_ORDER}::text[]) AND p.order_id IS NOT NULL)
    ORDER BY p.approval, p.id`);
  const post = await unitValuesPost(
    ctx,
    rows.filter((r) => POST_ORDER.includes(r.reasonKey)).map((r) => ({ key: r.id, orderId: r.orderId!, sku: r.sku || null, fnsku: r.fnsku || null, date: r.approval })),
  );
  const out: CandidateRow[] = [];
  for (const r of rows) {
    if (r.reversed >= r.amountTotal) continue;
    const paidPerUnit = r.amountPerUnit ?? r.amountTotal / r.cash;
    const base = {
      fingerprint: `${r.reimbursementId}:${r.fnsku || r.sku}`,
      sku: r.sku || null,
      fnsku: r.fnsku || null,
      asin: r.asin,
      orderId: r.orderId,
      shipmentId: null,
      referenceId: null,
      reimbursementId: r.reimbursementId,
      removalOrderId: null,
      eventDate: r.approval,
      anchorDate: r.approval,
      marketplaceId: null,
      evidence: [{ table: "Reimbursement", id: r.id, role: "reimbursement", source: r.sourceReport, line: r.sourceLine, date: r.approval, referenceId: r.reimbursementId, quantity: r.cash, amountMinor: r.amountTotal, note: r.reason }],
    };
    if (PRE_ORDER.includes(r.reasonKey)) {
      if (r.cost === null || r.cost <= 0) {
        out.push({
          ...base,
          units: r.cash,
          setAside: { code: "no-unit-cost", reason: `No unit cost entered for ${r.sku || r.fnsku}: enter it to check this payout of ${money(Math.round(paidPerUnit), r.currency)} a unit against it` },
          facts: { check: "c", paidPerUnitMinor: paidPerUnit, reason: r.reason },
        });
        continue;
      }
      if (paidPerUnit >= 0.95 * r.cost) continue;
      const shortPerUnit = Math.round(r.cost - paidPerUnit);
      out.push({
        ...base,
        units: r.cash,
        setAside: null,
        facts: {
          check: "c",
          reason: r.reason,
          paidPerUnitMinor: paidPerUnit,
          sellerUnitCostMinor: r.cost,
          hasInvoice: Boolean(r.hasInvoice),
          cashUnits: r.cash,
          shortPerUnitMinor: shortPerUnit,
          currency: r.currency,
          arithmetic: `(cost ${r.cost} - paid ${paidPerUnit}) x ${r.cash} cash units = ${shortPerUnit * r.cash}`,
        },
      });
      continue;
    }
    const value = post.get(r.id);
    if (!value || value.unitMinor <= 0) continue;
    const expected = value.unitMinor * r.cash;
    const paid = r.amountTotal - r.reversed;
    if (paid >= 0.9 * expected) continue;
    out.push({
      ...base,
      units: r.cash,
      setAside: null,
      facts: {
        check: "b",
        reason: r.reason,
        paidMinor: paid,
        expectedMinor: expected,
        expectedPerUnitMinor: value.unitMinor,
        expectedBasis: value.basis,
        expectedDetail: value.detail,
        cashUnits: r.cash,
        shortMinor: expected - paid,
        currency: value.currency,
        arithmetic: `expected ${value.unitMinor} x ${r.cash} = ${expected}, paid ${paid}: short ${expected - paid}`,
      },
    });
  }
  return out;
}

export const r08ReimbursementUnderValue: SupportedRule = {
  id: "R08",
  slug: "reimbursement-under-value",
  title: "Reimbursed for less than the item is worth",
  explanation:
    "Amazon reimbursed you, but for less than it owes: below your unit cost for items lost or damaged before a sale, or below the sale price minus fees for a refunded order. You can ask Amazon to re-evaluate within 60 days of the payout.",
  supported: true,
  claimFamily: "reimbursement-revaluation",
  requires: ["reimbursements"],
  scopeDimensions: ["reimbursementIds", "skus", "fnskus", "orderIds"],
  candidates,
  async value(_ctx, rows) {
    return new Map(
      rows.map((r): [string, Valuation] => {
        const f = r.facts as { check: "b" | "c"; shortPerUnitMinor?: number; shortMinor?: number; cashUnits: number; currency: string | null; expectedBasis?: string };
        const total = f.check === "c" ? f.shortPerUnitMinor! * f.cashUnits : f.shortMinor!;
        return [
          r.fingerprint,
          {
            unitMinor: Math.round(total / Math.max(1, f.cashUnits)),
            totalMinor: total,
            currency: f.currency ?? "USD",
            basis: f.check === "c" ? "seller-cost-shortfall" : "sale-price-minus-fees-shortfall",
            fallback: f.check === "b" && f.expectedBasis !== "sale-price-minus-fees",
            detail: r.facts,
          },
        ];
      }),
    );
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { check: "b" | "c"; hasInvoice?: boolean };
    if (f.check === "c") {
      return f.hasInvoice
        ? confidence(0.75, "Paid below the unit cost you entered, with an invoice to show it", [common.incompleteData(ctx, ["reimbursements"])])
        : confidence(0.4, "Paid below the unit cost you entered; no invoice on file (Amazon asks for one)", [common.incompleteData(ctx, ["reimbursements"])]);
    }
    return confidence(0.6, "Paid below the refunded price minus fees (Amazon's fee deductions vary)", [common.fallbackValue(valuation), common.incompleteData(ctx, ["reimbursements", "financial-events"])]);
  },
  summary(row, valuation) {
    const f = row.facts as { check: "b" | "c" };
    return f.check === "c"
      ? `Reimbursement ${row.reimbursementId} paid ${row.units} unit${row.units === 1 ? "" : "s"} of ${row.sku ?? row.fnsku} below your unit cost: ${money(valuation.totalMinor, valuation.currency)} short`
      : `Reimbursement ${row.reimbursementId} for order ${row.orderId} paid ${money(valuation.totalMinor, valuation.currency)} less than the refund minus fees`;
  },
};

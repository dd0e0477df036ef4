// R06 return-not-restocked (detection.md §4): the customer returns report says a unit came back
// sellable and went back into inventory, but the inventory ledger shows no CustomerReturns row that put
// it back into sellable stock.
//
// Candidates: customer-return rows graded SELLABLE whose status is "Unit returned to inventory" (or
// blank, in older files: lower confidence). Offsets, per FNSKU, allocated FIFO in the database (sql.ts
// fifoCtes) so one ledger row never restocks two returns: ledger CustomerReturns rows (Quantity > 0,
// disposition SELLABLE) dated up to 2 days before the return or any time after it (detection.md's
// tolerance is -2..+14 days; a unit restocked later than that was still restocked, so a late row counts
// too: the rule claims only units the ledger never put back), then Lost_Warehouse payouts for the FNSKU
// approved up to 7 days before the return or after it (Amazon paid the unit as lost). Ledger rows are
// not matched to returns by Reference ID (the relation is not documented). A return waits 14 days (the
// ledger's tolerance) before it is a finding. Value: the unit was back in Amazon's custody, a loss before
// a customer order (unitValuePre). Window: FC operations (fc-lost), from the return date.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { unitsText } from "../format";
import { dayNumber, eventKey, fifoCtes, inScope, reasonKey, queryRows } from "../sql";
import { totalOf, unitValuesPre } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { addDays } from "../windows";

/** Days after the return before a missing ledger row is a finding (the ledger's +14 d tolerance). */
const MATURITY_DAYS = 14;
/** A ledger restock row may predate the return by this much (detection.md: -2 d). */
const LEDGER_EARLY_DAYS = 2;
/** A Lost_Warehouse payout may predate the return by this much (as allocateFIFO's reimbursements). */
const PAYOUT_EARLY_DAYS = 7;

interface Row {
  id: string;
  returnDate: string;
  orderId: string;
  sku: string | null;
  fnsku: string;
  asin: string | null;
  lpn: string;
  status: string | null;
  fc: string | null;
  units: number;
  sourceReport: string;
  sourceLine: number;
  rn: number;
  restocked: number;
  reimbursed: number;
  open: number;
  ageDays: number;
  firstReimbursementId: string | null;
  reimbursementIds: string | null;
  restockDates: string | null;
  offsets: EvidenceRow[] | null;
  verdict: "open" | "too-early" | "restocked" | "reimbursed" | "explained";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    -- Whole FNSKU groups: FIFO needs every return of a FNSKU the incremental scope touches.
    keys AS (
      SELECT DISTINCT r.fnsku FROM "CustomerReturn" r
      WHERE r."sellerConnectionId" = ${s} AND r.fnsku <> ''
        AND ${inScope(ctx, { fnskus: Prisma.sql`r.fnsku`, skus: Prisma.sql`r.sku`, orderIds: Prisma.sql`r."orderId"` })}
    ),
    ret AS (
      SELECT r.id, r."returnDate"::date AS d, r."orderId" AS order_id, NULLIF(r.sku, '') AS sku, r.fnsku, NULLIF(r.asin, '') AS asin,
        r."licensePlateNumber" AS lpn, r.status, r."fulfillmentCenterId" AS fc, GREATEST(1, COALESCE(r.quantity, 1))::int AS units,
        r."sourceReport", r."sourceLine",
        ROW_NUMBER() OVER (PARTITION BY r.fnsku, r."licensePlateNumber", r."orderId" ORDER BY r."returnDate", r.id)::int AS rn
      FROM "CustomerReturn" r
      WHERE r."sellerConnectionId" = ${s} AND r.fnsku IN (SELECT fnsku FROM keys)
        AND upper(btrim(COALESCE(r."detailedDisposition", ''))) = 'SELLABLE'
        AND (lower(COALESCE(r.status, '')) LIKE '%returned to inventory%' OR btrim(COALESCE(r.status, '')) = '')
    ),
    off_src AS (
      SELECT 'ledger:' || l.id AS off_id, 'restocked' AS kind, l.fnsku, l.date AS d, l.quantity::int AS units, ${LEDGER_EARLY_DAYS}::int AS early,
        'LedgerDetail' AS tbl, l.id::text AS row_id, l."referenceId" AS ref, NULL::text AS reimbursement_id, l."sourceReport" AS src, l."sourceLine" AS line, 0 AS pri
      FROM "LedgerDetail" l
      WHERE l."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`l."eventType"`)} = 'customerreturns' AND l.quantity > 0
        AND upper(btrim(l.disposition)) = 'SELLABLE' AND l.fnsku IN (SELECT fnsku FROM keys)
      UNION ALL
      SELECT 'reimbursement:' || r.id, 'reimbursed', r.fnsku, r."approvalDate"::date, COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0))::int,
        ${PAYOUT_EARLY_DAYS}::int, 'Reimbursement', r.id::text, r."caseId", r."reimbursementId", r."sourceReport", r."sourceLine", 1
      FROM "Reimbursement" r
      WHERE r."sellerConnectionId" = ${s} AND ${reasonKey(Prisma.sql`r.reason`)} = 'lostwarehouse' AND r."approvalDate" IS NOT NULL
        AND r.fnsku IN (SELECT fnsku FROM keys)
        AND COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)) > 0
    ),
    losses AS (SELECT r.id::text AS loss_id, r.fnsku AS grp, ${dayNumber(Prisma.sql`r.d`)} AS ord, lpad(r.id::text, 20, '0') AS tb, r.units FROM ret r),
    -- On the same day a restock row is spent before a payout (pri in the tie-break): a unit put back was not lost.
    offsets AS (
      SELECT off_id, fnsku AS grp, ${dayNumber(Prisma.sql`d`)} AS ord, pri::text || off_id AS tb, units, ${dayNumber(Prisma.sql`d`)} + early AS covers_until FROM off_src
    ),
    ${fifoCtes("p1", "losses", "offsets")},
    alloc_detail AS (
      SELECT a.loss_id,
        COALESCE(sum(a.units) FILTER (WHERE o.kind = 'restocked'), 0)::int AS restocked,
        COALESCE(sum(a.units) FILTER (WHERE o.kind = 'reimbursed'), 0)::int AS reimbursed,
        (array_agg(o.reimbursement_id ORDER BY o.d, o.off_id) FILTER (WHERE o.kind = 'reimbursed'))[1] AS first_reimbursement_id,
        string_agg(DISTINCT o.reimbursement_id, ', ') FILTER (WHERE o.kind = 'reimbursed') AS reimbursement_ids,
        string_agg(DISTINCT to_char(o.d, 'YYYY-MM-DD'), ', ') FILTER (WHERE o.kind = 'restocked') AS restock_dates,
        jsonb_agg(jsonb_build_object('table', o.tbl, 'id', o.row_id, 'role', CASE WHEN o.kind = 'restocked' THEN 'restock' ELSE 'reimbursement' END,
          'source', o.src, 'line', o.line, 'date', to_char(o.d, 'YYYY-MM-DD'), 'referenceId', COALESCE(o.reimbursement_id, o.ref), 'quantity', a.units,
          'note', CASE WHEN o.kind = 'restocked' THEN 'ledger CustomerReturns row (SELLABLE)' ELSE 'Lost_Warehouse reimbursement ' || o.reimbursement_id END
        ) ORDER BY o.d, o.off_id) AS offsets
      FROM p1_alloc a JOIN off_src o ON o.off_id = a.off_id
      WHERE a.units > 0
      GROUP BY a.loss_id
    )
    SELECT r.id::text AS id, to_char(r.d, 'YYYY-MM-DD') AS "returnDate", r.order_id AS "orderId", r.sku, r.fnsku, r.asin, r.lpn, r.status, r.fc, r.units,
      r."sourceReport", r."sourceLine", r.rn,
      COALESCE(ad.restocked, 0) AS restocked, COALESCE(ad.reimbursed, 0) AS reimbursed,
      GREATEST(0, r.units - COALESCE(ad.restocked, 0) - COALESCE(ad.reimbursed, 0))::int AS open,
      (${ctx.today}::date - r.d)::int AS "ageDays",
      ad.first_reimbursement_id AS "firstReimbursementId", ad.reimbursement_ids AS "reimbursementIds", ad.restock_dates AS "restockDates", ad.offsets,
      CASE
        WHEN r.units - COALESCE(ad.restocked, 0) - COALESCE(ad.reimbursed, 0) > 0 THEN
          CASE WHEN ${ctx.today}::date - r.d < ${MATURITY_DAYS}::int THEN 'too-early' ELSE 'open' END
        WHEN COALESCE(ad.reimbursed, 0) = 0 THEN 'restocked'
        WHEN COALESCE(ad.restocked, 0) = 0 THEN 'reimbursed'
        ELSE 'explained'
      END AS verdict
    FROM ret r
    LEFT JOIN alloc_detail ad ON ad.loss_id = r.id::text
    ORDER BY r.fnsku, r.d, r.id`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "too-early": {
      const recheck = addDays(r.returnDate, MATURITY_DAYS);
      return { code: "too-early", reason: `Returned ${r.ageDays} days ago: the ledger may still show it restocked; looked at again on ${recheck}`, recheckAt: recheck };
    }
    case "restocked":
      return { code: "restocked", reason: `Back in sellable stock: ledger CustomerReturns row on ${r.restockDates}` };
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon paid it as lost: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "explained":
      return {
        code: "explained",
        reason: `Covered: ${unitsText(r.restocked)} restocked (ledger ${r.restockDates}), ${unitsText(r.reimbursed)} paid (reimbursement ${r.reimbursementIds})`,
        reimbursementId: r.firstReimbursementId,
      };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  const key = r.lpn || r.orderId || r.id;
  return {
    fingerprint: `${r.fnsku}:${key}${r.rn > 1 ? `:${r.rn}` : ""}`,
    sku: r.sku,
    fnsku: r.fnsku,
    asin: r.asin,
    orderId: r.orderId || null,
    shipmentId: null,
    referenceId: r.lpn || null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.units : r.open,
    eventDate: r.returnDate,
    anchorDate: r.returnDate,
    marketplaceId: null,
    setAside,
    facts: {
      returned: r.units,
      restocked: r.restocked,
      reimbursed: r.reimbursed,
      missing: r.open,
      returnDate: r.returnDate,
      returnStatus: r.status,
      ageDays: r.ageDays,
      searched: {
        ledger: { fnsku: r.fnsku, eventType: "CustomerReturns", disposition: "SELLABLE", from: addDays(r.returnDate, -LEDGER_EARLY_DAYS) },
        reimbursements: { fnsku: r.fnsku, reason: "Lost_Warehouse", from: addDays(r.returnDate, -PAYOUT_EARLY_DAYS) },
      },
      arithmetic: `missing = returned sellable ${r.units} - restocked per ledger ${r.restocked} - paid as lost ${r.reimbursed} = ${r.open}`,
    },
    evidence: [
      { table: "CustomerReturn", id: r.id, role: "return", source: r.sourceReport, line: r.sourceLine, date: r.returnDate, referenceId: r.lpn || r.orderId, quantity: r.units, note: `SELLABLE, ${r.status ?? "no status"}${r.fc ? ` at ${r.fc}` : ""}` },
      ...(r.offsets ?? []),
    ],
  };
}

export const r06ReturnNotRestocked: SupportedRule = {
  id: "R06",
  slug: "return-not-restocked",
  title: "Returned to inventory but never restocked",
  explanation:
    "Amazon's returns report says the customer's unit came back sellable and went back into your inventory, but your inventory ledger never shows it added to sellable stock, and Amazon did not pay for it as lost.",
  supported: true,
  claimFamily: "fc-lost",
  requires: ["customer-returns", "ledger-detail", "reimbursements"],
  scopeDimensions: ["fnskus", "skus", "orderIds"],
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { returnStatus: string | null; ageDays: number };
    return confidence(0.65, "A sellable return the ledger never put back into stock", [
      !f.returnStatus?.trim() && modifier("status-unknown", 0.85, "The returns report gives no status: the unit may not have gone back to inventory"),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["customer-returns", "ledger-detail", "reimbursements"]),
    ]);
  },
  summary(row) {
    return `${unitsText(row.units)} of ${row.fnsku} returned sellable on ${row.eventDate}${row.orderId ? ` (order ${row.orderId})` : ""}, never restocked per the ledger`;
  },
};

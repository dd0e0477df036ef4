// R17 whse-transfer-loss (detection.md §4): units left one Amazon fulfillment center in a warehouse
// transfer and never arrived at another.
//
// Per FNSKU, the running sum of the inventory ledger's WhseTransfers quantities (out of one FC is
// negative, into another positive) is the number of units in transit between Amazon's warehouses. The
// units that have stayed in transit for more than 45 days are the smallest shortfall the balance showed
// at any time in the last 45 days (a unit still missing today that was missing 45 days ago, oldest
// first). Covered: units Amazon found (ledger F/N adjustments) or recorded as misplaced (M/5: R01 claims
// those) since the current negative stretch began, and Lost_Warehouse payouts for the FNSKU approved from
// 7 days before it. A shortfall younger than 45 days is set aside until it ages. The ledger summary's "In
// Transit Between Warehouses" of the latest period is shown beside it. Value: a loss before a customer
// order (unitValuePre). Confidence 0.5 (review, not ready to file: transfers can sit long and the policy
// is silent). Window: FC operations from the day the shortfall aged past 45 days (conservative).
// Not done: a transfer in of a sibling FNSKU of the same ASIN is not offered against the shortfall.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence } from "../confidence";
import { unitsText } from "../format";
import { marketplaceForCountry } from "../marketplaces";
import { codeKey, eventKey, inScope, reasonKey, queryRows } from "../sql";
import { totalOf, unitValuesPre } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { addDays } from "../windows";

/** Days a transfer may stay in transit before its units count as lost (detection.md R17). */
export const TRANSIT_DAYS = 45;
/** A Lost_Warehouse payout may predate the stretch by this much. */
const PAYOUT_EARLY_DAYS = 7;

interface Row {
  fnsku: string;
  sku: string | null;
  asin: string | null;
  country: string | null;
  balanceNow: number;
  inTransit: number;
  aged: number;
  start: string;
  found: number;
  recordedLost: number;
  reimbursed: number;
  open: number;
  reimbursementIds: string | null;
  firstReimbursementId: string | null;
  summaryInTransit: number | null;
  summaryDate: string | null;
  transferRows: EvidenceRow[];
  offsetRows: EvidenceRow[] | null;
  verdict: "open" | "too-early" | "found" | "recorded-lost" | "reimbursed" | "explained";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const today = Prisma.sql`${ctx.today}::date`;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    keys AS (
      SELECT DISTINCT l.fnsku FROM "LedgerDetail" l
      WHERE l."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`l."eventType"`)} = 'whsetransfers' AND l.fnsku <> ''
        AND ${inScope(ctx, { fnskus: Prisma.sql`l.fnsku`, skus: Prisma.sql`l.msku` })}
    ),
    moves AS (
      SELECT l.fnsku, l.date, sum(l.quantity)::int AS qty
      FROM "LedgerDetail" l
      WHERE l."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`l."eventType"`)} = 'whsetransfers' AND l.fnsku IN (SELECT fnsku FROM keys) AND l.date <= ${today}
      GROUP BY l.fnsku, l.date
    ),
    bal AS (
      SELECT m.*, SUM(m.qty) OVER (PARTITION BY m.fnsku ORDER BY m.date ROWS UNBOUNDED PRECEDING)::int AS bal FROM moves m
    ),
    -- The last day the balance was not negative: the current negative stretch starts after it.
    bal2 AS (
      SELECT b.*, max(CASE WHEN b.bal >= 0 THEN b.date END) OVER (PARTITION BY b.fnsku) AS last_nonneg FROM bal b
    ),
    per AS (
      SELECT b.fnsku,
        (array_agg(b.bal ORDER BY b.date DESC))[1] AS bal_now,
        COALESCE((array_agg(b.bal ORDER BY b.date DESC) FILTER (WHERE b.date <= ${today} - ${TRANSIT_DAYS}::int))[1], 0) AS bal_then,
        max(b.bal) FILTER (WHERE b.date > ${today} - ${TRANSIT_DAYS}::int) AS max_recent,
        min(b.date) FILTER (WHERE b.date > COALESCE(b.last_nonneg, DATE '1900-01-01')) AS start
      FROM bal2 b GROUP BY b.fnsku
    ),
    -- Units short today that were already short 45 days ago and at every change since.
    short AS (
      SELECT p.fnsku, p.bal_now, p.start, GREATEST(0, -GREATEST(p.bal_then, COALESCE(p.max_recent, p.bal_then)))::int AS aged
      FROM per p WHERE p.bal_now < 0
    ),
    ident AS (
      SELECT l.fnsku, max(NULLIF(l.msku, '')) AS sku, max(NULLIF(l.asin, '')) AS asin, max(NULLIF(l.country, '')) AS country
      FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.fnsku IN (SELECT fnsku FROM short) GROUP BY l.fnsku
    ),
    off_src AS (
      SELECT sh.fnsku, CASE WHEN l.quantity > 0 THEN 'found' ELSE 'recorded-lost' END AS kind, abs(l.quantity)::int AS units, l.date AS d,
        'LedgerDetail' AS tbl, l.id::text AS row_id, l."referenceId" AS ref, ${codeKey(Prisma.sql`l.reason`)} AS code, NULL::text AS reimbursement_id, l."sourceReport" AS src, l."sourceLine" AS line
      FROM short sh JOIN "LedgerDetail" l ON l."sellerConnectionId" = ${s} AND l.fnsku = sh.fnsku AND l.date >= sh.start
      WHERE ${eventKey(Prisma.sql`l."eventType"`)} = 'adjustments'
        AND ((${codeKey(Prisma.sql`l.reason`)} IN ('F', 'N') AND l.quantity > 0) OR (${codeKey(Prisma.sql`l.reason`)} IN ('M', '5') AND l.quantity < 0))
      UNION ALL
      SELECT sh.fnsku, 'reimbursed', COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0))::int, r."approvalDate"::date,
        'Reimbursement', r.id::text, r."caseId", r.reason, r."reimbursementId", r."sourceReport", r."sourceLine"
      FROM short sh JOIN "Reimbursement" r ON r."sellerConnectionId" = ${s} AND r.fnsku = sh.fnsku AND r."approvalDate"::date >= sh.start - ${PAYOUT_EARLY_DAYS}::int
      WHERE ${reasonKey(Prisma.sql`r.reason`)} = 'lostwarehouse'
    ),
    offs AS (
      SELECT o.fnsku,
        COALESCE(sum(o.units) FILTER (WHERE o.kind = 'found'), 0)::int AS found,
        COALESCE(sum(o.units) FILTER (WHERE o.kind = 'recorded-lost'), 0)::int AS recorded_lost,
        COALESCE(sum(o.units) FILTER (WHERE o.kind = 'reimbursed'), 0)::int AS reimbursed,
        string_agg(DISTINCT o.reimbursement_id, ', ') FILTER (WHERE o.kind = 'reimbursed') AS reimbursement_ids,
        (array_agg(o.reimbursement_id ORDER BY o.d) FILTER (WHERE o.kind = 'reimbursed'))[1] AS first_reimbursement_id,
        jsonb_agg(jsonb_build_object('table', o.tbl, 'id', o.row_id, 'role', o.kind, 'source', o.src, 'line', o.line, 'date', to_char(o.d, 'YYYY-MM-DD'),
          'referenceId', COALESCE(o.reimbursement_id, o.ref), 'quantity', o.units,
          'note', CASE WHEN o.kind = 'reimbursed' THEN 'Lost_Warehouse reimbursement ' || o.reimbursement_id ELSE 'ledger ' || o.code || ' adjustment' END) ORDER BY o.d) AS rows
      FROM off_src o GROUP BY o.fnsku
    ),
    transfers AS (
      SELECT sh.fnsku, jsonb_agg(jsonb_build_object('table', 'LedgerDetail', 'id', l.id::text, 'role', CASE WHEN l.quantity < 0 THEN 'transfer-out' ELSE 'transfer-in' END,
          'source', l."sourceReport", 'line', l."sourceLine", 'date', to_char(l.date, 'YYYY-MM-DD'), 'referenceId', l."referenceId", 'quantity', l.quantity,
          'note', 'WhseTransfers at ' || l."fulfillmentCenter") ORDER BY l.date, l.id) AS rows
      FROM short sh JOIN "LedgerDetail" l ON l."sellerConnectionId" = ${s} AND l.fnsku = sh.fnsku AND l.date >= sh.start AND l.date <= ${today}
      WHERE ${eventKey(Prisma.sql`l."eventType"`)} = 'whsetransfers'
      GROUP BY sh.fnsku
    ),
    summary AS (
      SELECT DISTINCT ON (m.fnsku) m.fnsku, m.date, m."inTransitBetweenWarehouses" AS in_transit
      FROM "LedgerSummary" m WHERE m."sellerConnectionId" = ${s} AND m.fnsku IN (SELECT fnsku FROM short) AND m."inTransitBetweenWarehouses" IS NOT NULL
      ORDER BY m.fnsku, m.date DESC
    )
    SELECT sh.fnsku, i.sku, i.asin, i.country, sh.bal_now AS "balanceNow", (-sh.bal_now)::int AS "inTransit", sh.aged, to_char(sh.start, 'YYYY-MM-DD') AS start,
      COALESCE(o.found, 0) AS found, COALESCE(o.recorded_lost, 0) AS "recordedLost", COALESCE(o.reimbursed, 0) AS reimbursed,
      GREATEST(0, sh.aged - COALESCE(o.found, 0) - COALESCE(o.recorded_lost, 0) - COALESCE(o.reimbursed, 0))::int AS open,
      o.reimbursement_ids AS "reimbursementIds", o.first_reimbursement_id AS "firstReimbursementId",
      sm.in_transit AS "summaryInTransit", to_char(sm.date, 'YYYY-MM-DD') AS "summaryDate", t.rows AS "transferRows", o.rows AS "offsetRows",
      CASE
        WHEN sh.aged = 0 THEN 'too-early'
        WHEN sh.aged - COALESCE(o.found, 0) - COALESCE(o.recorded_lost, 0) - COALESCE(o.reimbursed, 0) > 0 THEN 'open'
        WHEN COALESCE(o.recorded_lost, 0) = 0 AND COALESCE(o.reimbursed, 0) = 0 THEN 'found'
        WHEN COALESCE(o.found, 0) = 0 AND COALESCE(o.reimbursed, 0) = 0 THEN 'recorded-lost'
        WHEN COALESCE(o.found, 0) = 0 AND COALESCE(o.recorded_lost, 0) = 0 THEN 'reimbursed'
        ELSE 'explained'
      END AS verdict
    FROM short sh
    LEFT JOIN ident i ON i.fnsku = sh.fnsku
    LEFT JOIN offs o ON o.fnsku = sh.fnsku
    LEFT JOIN transfers t ON t.fnsku = sh.fnsku
    LEFT JOIN summary sm ON sm.fnsku = sh.fnsku
    ORDER BY sh.fnsku`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "too-early": {
      const recheck = addDays(r.start, TRANSIT_DAYS + 1);
      return { code: "too-early", reason: `${unitsText(r.inTransit)} in transit between Amazon warehouses since ${r.start}, under ${TRANSIT_DAYS} days; looked at again on ${recheck}`, recheckAt: recheck };
    }
    case "found":
      return { code: "found", reason: `Amazon found ${unitsText(r.found)} of this FNSKU since the transfer (ledger found adjustments)` };
    case "recorded-lost":
      return { code: "recorded-lost", reason: `Amazon recorded ${unitsText(r.recordedLost)} as misplaced since the transfer: a lost-in-warehouse case (R01), not this one` };
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon paid them as lost: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "explained":
      return {
        code: "explained",
        reason: `Covered: ${unitsText(r.found)} found, ${unitsText(r.recordedLost)} recorded misplaced, ${unitsText(r.reimbursed)} paid${r.reimbursementIds ? ` (reimbursement ${r.reimbursementIds})` : ""}`,
        reimbursementId: r.firstReimbursementId,
      };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.fnsku}:${r.start}`,
    sku: r.sku,
    fnsku: r.fnsku,
    asin: r.asin,
    orderId: null,
    shipmentId: null,
    referenceId: null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.inTransit : r.open,
    eventDate: r.start,
    anchorDate: addDays(r.start, TRANSIT_DAYS),
    marketplaceId: marketplaceForCountry(r.country),
    setAside,
    facts: {
      transferBalance: r.balanceNow,
      inTransit: r.inTransit,
      inTransitOver45Days: r.aged,
      since: r.start,
      found: r.found,
      recordedMisplaced: r.recordedLost,
      reimbursed: r.reimbursed,
      open: r.open,
      ledgerSummaryInTransit: r.summaryInTransit,
      ledgerSummaryDate: r.summaryDate,
      arithmetic: `in transit over ${TRANSIT_DAYS} days ${r.aged} (of ${r.inTransit} now) - found ${r.found} - recorded misplaced ${r.recordedLost} - reimbursed ${r.reimbursed} = ${r.open}`,
    },
    evidence: [...(r.transferRows ?? []), ...(r.offsetRows ?? [])],
  };
}

export const r17WhseTransferLoss: SupportedRule = {
  id: "R17",
  slug: "whse-transfer-loss",
  title: "Lost between two Amazon warehouses",
  explanation:
    "Amazon moved units of yours from one fulfillment center to another. More than 45 days later the ledger still shows them left and never arrived, and Amazon has neither found them nor paid for them.",
  supported: true,
  claimFamily: "fc-lost",
  requires: ["ledger-detail", "reimbursements"],
  scopeDimensions: ["fnskus", "skus"],
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, _row, valuation) {
    return confidence(0.5, `Units in transit between Amazon warehouses for more than ${TRANSIT_DAYS} days, not found or paid; Amazon's policy gives no transfer window`, [
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["ledger-detail", "reimbursements"]),
    ]);
  },
  summary(row) {
    return `${unitsText(row.units)} of ${row.fnsku} left an Amazon warehouse in a transfer from ${row.eventDate} on and never arrived`;
  },
};

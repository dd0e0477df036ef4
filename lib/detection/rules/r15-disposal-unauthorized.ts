// R15 disposal-unauthorized (detection.md §4): Amazon disposed of (or donated) units the seller did not
// ask it to.
//
// Disposals: ledger Adjustments, reason D (disposed) or G (donated), Quantity < 0. Authorisations:
// removal orders of type Disposal (or Liquidations) for the FNSKU with disposed-quantity > 0, each
// covering disposals of the FNSKU dated from one day before its request date on, allocated in the
// database so one order's units never cover two disposals (latest order to latest disposal). What no
// order covers is a candidate after 3 days (the removal order report catches up). Sellable units carry
// the base confidence 0.7; unsellable ones 0.5: Amazon may have disposed of them under the seller's
// automated unfulfillable-inventory setting, which this data does not show (nor recalls or hazmat
// disposals). Window: FC operations, ledger date + 60 days.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { unitsText } from "../format";
import { marketplaceForCountry } from "../marketplaces";
import { codeKey, dayNumber, eventKey, fifoCtes, inScope, queryRows } from "../sql";
import { totalOf, unitValuesPre } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { addDays } from "../windows";

const MATURITY_DAYS = 3;

interface Row {
  id: string;
  date: string;
  fnsku: string;
  asin: string | null;
  msku: string | null;
  ref: string;
  fc: string;
  reason: string;
  disposition: string;
  units: number;
  covered: number;
  open: number;
  orderIds: string | null;
  country: string | null;
  ageDays: number;
  rn: number;
  sourceReport: string;
  sourceLine: number;
  orderRows: EvidenceRow[] | null;
  verdict: "open" | "authorized" | "too-early";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    disp AS (
      SELECT l.id, l.date, l.fnsku, NULLIF(l.asin, '') AS asin, NULLIF(l.msku, '') AS msku, l."referenceId" AS ref, l."fulfillmentCenter" AS fc,
        ${codeKey(Prisma.sql`l.reason`)} AS reason, upper(l.disposition) AS disposition, (-l.quantity)::int AS units, l.country, l."sourceReport", l."sourceLine",
        ROW_NUMBER() OVER (PARTITION BY l.fnsku, l."referenceId", l.date ORDER BY l."fulfillmentCenter", l.reason, l.quantity, l.occurrence, l.id)::int AS rn
      FROM "LedgerDetail" l
      WHERE l."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`l."eventType"`)} = 'adjustments' AND ${codeKey(Prisma.sql`l.reason`)} IN ('D', 'G')
        AND l.quantity < 0 AND l.fnsku <> '' AND ${inScope(ctx, { fnskus: Prisma.sql`l.fnsku` })}
    ),
    auth AS (
      SELECT r.id, r."orderId" AS order_id, r.fnsku, COALESCE(r."requestDate", r."lastUpdatedDate")::date AS request_date, COALESCE(r."disposedQuantity", 0)::int AS units,
        r."orderType" AS order_type, r."sourceReport", r."sourceLine"
      FROM "RemovalOrder" r
      WHERE r."sellerConnectionId" = ${s} AND lower(btrim(COALESCE(r."orderType", ''))) IN ('disposal', 'liquidation', 'liquidations')
        AND COALESCE(r."disposedQuantity", 0) > 0 AND r.fnsku IN (SELECT fnsku FROM disp) AND COALESCE(r."requestDate", r."lastUpdatedDate") IS NOT NULL
    ),
    -- Time reversed: an order covers disposals dated from its request day - 1 on.
    losses AS (SELECT d.id::text AS loss_id, d.fnsku AS grp, -${dayNumber(Prisma.sql`d.date`)} AS ord, lpad(d.id::text, 20, '0') AS tb, d.units FROM disp d),
    offsets AS (SELECT a.id::text AS off_id, a.fnsku AS grp, -${dayNumber(Prisma.sql`a.request_date`)} AS ord, lpad(a.id::text, 20, '0') AS tb, a.units, 1 - ${dayNumber(Prisma.sql`a.request_date`)} AS covers_until FROM auth a),
    ${fifoCtes("da", "losses", "offsets")},
    cover AS (
      SELECT x.loss_id, sum(x.units)::int AS units, string_agg(DISTINCT a.order_id, ', ') AS order_ids,
        jsonb_agg(jsonb_build_object('table', 'RemovalOrder', 'id', a.id::text, 'role', 'disposal-order', 'source', a."sourceReport", 'line', a."sourceLine",
          'date', to_char(a.request_date, 'YYYY-MM-DD'), 'referenceId', a.order_id, 'quantity', x.units, 'note', a.order_type) ORDER BY a.request_date) AS rows
      FROM da_alloc x JOIN auth a ON a.id::text = x.off_id WHERE x.units > 0 GROUP BY x.loss_id
    )
    SELECT d.id::text AS id, to_char(d.date, 'YYYY-MM-DD') AS date, d.fnsku, d.asin, d.msku, d.ref, d.fc, d.reason, d.disposition, d.units,
      COALESCE(c.units, 0) AS covered, (d.units - COALESCE(c.units, 0))::int AS open, c.order_ids AS "orderIds", d.country,
      (${ctx.today}::date - d.date)::int AS "ageDays", d.rn, d."sourceReport", d."sourceLine", c.rows AS "orderRows",
      CASE
        WHEN d.units - COALESCE(c.units, 0) <= 0 THEN 'authorized'
        WHEN ${ctx.today}::date - d.date < ${MATURITY_DAYS}::int THEN 'too-early'
        ELSE 'open'
      END AS verdict
    FROM disp d LEFT JOIN cover c ON c.loss_id = d.id::text
    ORDER BY d.date, d.id`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "authorized":
      return { code: "authorized", reason: `Disposed under your removal order ${r.orderIds}` };
    case "too-early":
      return { code: "too-early", reason: `Disposed ${r.ageDays} days ago: the removal order report may not show the order yet; looked at again on ${addDays(r.date, MATURITY_DAYS)}`, recheckAt: addDays(r.date, MATURITY_DAYS) };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.fnsku}:${r.ref}:${r.date}${r.rn > 1 ? `:${r.rn}` : ""}`,
    sku: r.msku,
    fnsku: r.fnsku,
    asin: r.asin,
    orderId: null,
    shipmentId: null,
    referenceId: r.ref || null,
    reimbursementId: null,
    removalOrderId: null,
    units: setAside ? r.units : r.open,
    eventDate: r.date,
    anchorDate: r.date,
    marketplaceId: marketplaceForCountry(r.country),
    setAside,
    facts: { reasonCode: r.reason, disposition: r.disposition, fulfillmentCenter: r.fc, disposed: r.units, coveredByOrders: r.covered, open: r.open, ageDays: r.ageDays, searched: { removalOrders: { fnsku: r.fnsku, types: ["Disposal", "Liquidations"], requestedBy: addDays(r.date, 1) } } },
    evidence: [
      { table: "LedgerDetail", id: r.id, role: "disposal", source: r.sourceReport, line: r.sourceLine, date: r.date, referenceId: r.ref, quantity: -r.units, note: `reason ${r.reason}, ${r.disposition} at ${r.fc}` },
      ...(r.orderRows ?? []),
    ],
  };
}

export const r15DisposalUnauthorized: SupportedRule = {
  id: "R15",
  slug: "disposal-unauthorized",
  title: "Units Amazon disposed of without your removal order",
  explanation: "Amazon's inventory ledger shows units it disposed of or donated, and none of your disposal orders covers them.",
  supported: true,
  claimFamily: "fc-lost",
  requires: ["ledger-detail", "removal-orders"],
  scopeDimensions: ["fnskus"],
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { disposition: string };
    return confidence(0.7, "Disposed units no disposal order of yours covers", [
      f.disposition !== "SELLABLE" &&
        modifier("automated-setting", 0.5 / 0.7, `The units were ${f.disposition || "not sellable"}: Amazon may have disposed of them under an automated unfulfillable-inventory setting`),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["ledger-detail", "removal-orders"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { reasonCode: string; fulfillmentCenter: string };
    return `${unitsText(row.units)} of ${row.fnsku} ${f.reasonCode === "G" ? "donated" : "disposed of"} at ${f.fulfillmentCenter || "Amazon"} on ${row.eventDate} without a removal order of yours`;
  },
};

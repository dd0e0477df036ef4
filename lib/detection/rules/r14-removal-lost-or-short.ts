// R14 removal-lost-or-short (detection.md §4): units of a removal (return-to-seller) order that
// Amazon's own reports cannot account for.
//
// (a) unaccounted: a Completed removal order line (order-type Return) whose requested - cancelled -
//     disposed - shipped - in-process > 0: units that left no trace;
// (b) shipped but not in the shipment detail: the order's shipped-quantity for a FNSKU above the sum
//     of the removal shipment detail's shipped-quantity for (order id, FNSKU): units marked shipped with
//     no shipment (only when the removal-shipments report is in).
// Reimbursements whose amazon-order-id is the removal order id, for the FNSKU, cover (a) then (b).
// A finding waits 7 days after the order's last update (the reports catch up). Window: removal lost in
// transit, 15-75 days after the removal shipment was created (first shipment date, else the order's last
// update): before day 15 a finding is `waiting`.
// Not done: (c) lost in transit and (d) short or damaged on receipt need delivery evidence this data
// lacks (carrier tracking, the seller's receipt count and photos): a shipped removal with no delivery
// information is not evidence of a loss.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence } from "../confidence";
import { unitsText } from "../format";
import { inScope, queryRows } from "../sql";
import { totalOf, unitValuesPre } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { addDays } from "../windows";

const MATURITY_DAYS = 7;

interface Row {
  id: string;
  orderId: string;
  fnsku: string;
  sku: string | null;
  disposition: string;
  variant: "unaccounted" | "not-in-shipments";
  status: string | null;
  requested: number;
  cancelled: number;
  disposed: number;
  shipped: number;
  inProcess: number;
  shipmentShipped: number | null;
  missing: number;
  reimbursed: number;
  reimbursementIds: string | null;
  firstReimbursementId: string | null;
  open: number;
  anchor: string;
  lastUpdated: string;
  ageDays: number;
  sourceReport: string;
  sourceLine: number;
  shipmentRows: EvidenceRow[] | null;
  verdict: "open" | "reimbursed" | "too-early";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const haveShipments = ctx.sources.has("removal-shipments");
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH
    ro AS (
      SELECT r.id, r."orderId" AS order_id, r.fnsku, NULLIF(r.sku, '') AS sku, r.disposition, r."orderStatus" AS status,
        COALESCE(r."requestedQuantity", 0)::int AS requested, COALESCE(r."cancelledQuantity", 0)::int AS cancelled, COALESCE(r."disposedQuantity", 0)::int AS disposed,
        COALESCE(r."shippedQuantity", 0)::int AS shipped, COALESCE(r."inProcessQuantity", 0)::int AS in_process,
        COALESCE(r."lastUpdatedDate", r."requestDate", r."syncedAt")::date AS last_updated, r."sourceReport", r."sourceLine"
      FROM "RemovalOrder" r
      WHERE r."sellerConnectionId" = ${s} AND lower(btrim(COALESCE(r."orderType", ''))) IN ('return', 'returns') AND r.fnsku <> ''
        AND ${inScope(ctx, { removalOrderIds: Prisma.sql`r."orderId"`, fnskus: Prisma.sql`r.fnsku`, skus: Prisma.sql`r.sku` })}
    ),
    rs AS (
      SELECT x."orderId" AS order_id, x.fnsku, sum(COALESCE(x."shippedQuantity", 0))::int AS shipped, min(x."shipmentDate")::date AS first_ship,
        jsonb_agg(jsonb_build_object('table', 'RemovalShipment', 'id', x.id::text, 'role', 'removal-shipment', 'source', x."sourceReport", 'line', x."sourceLine",
          'date', to_char(x."shipmentDate", 'YYYY-MM-DD'), 'referenceId', x."trackingNumber", 'quantity', x."shippedQuantity", 'note', COALESCE(x.carrier, '')) ORDER BY x."shipmentDate") AS rows
      FROM "RemovalShipment" x
      WHERE x."sellerConnectionId" = ${s} AND x."orderId" IN (SELECT order_id FROM ro)
      GROUP BY x."orderId", x.fnsku
    ),
    per_fnsku AS (
      SELECT order_id, fnsku, sum(shipped)::int AS shipped, min(id) AS first_id FROM ro GROUP BY order_id, fnsku
    ),
    variants AS (
      SELECT r.id, r.order_id, r.fnsku, r.sku, r.disposition, 'unaccounted' AS variant, 1 AS pri, r.status, r.requested, r.cancelled, r.disposed, r.shipped, r.in_process,
        NULL::int AS shipment_shipped, (r.requested - r.cancelled - r.disposed - r.shipped - r.in_process)::int AS missing, r.last_updated, r."sourceReport", r."sourceLine"
      FROM ro r
      WHERE lower(COALESCE(r.status, '')) = 'completed' AND r.requested - r.cancelled - r.disposed - r.shipped - r.in_process > 0
      UNION ALL
      SELECT r.id, r.order_id, r.fnsku, r.sku, '' AS disposition, 'not-in-shipments', 2, r.status, r.requested, r.cancelled, r.disposed, p.shipped, r.in_process,
        COALESCE(x.shipped, 0), (p.shipped - COALESCE(x.shipped, 0))::int, r.last_updated, r."sourceReport", r."sourceLine"
      FROM per_fnsku p
      JOIN ro r ON r.id = p.first_id
      LEFT JOIN rs x ON x.order_id = p.order_id AND x.fnsku = p.fnsku
      WHERE ${haveShipments}::boolean AND p.shipped > COALESCE(x.shipped, 0)
    ),
    cum AS (
      SELECT v.*, SUM(v.missing) OVER (PARTITION BY v.order_id, v.fnsku ORDER BY v.pri, v.id ROWS UNBOUNDED PRECEDING) AS cum FROM variants v
    ),
    reimb AS (
      SELECT k.order_id, k.fnsku, sum(COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)))::int AS units,
        string_agg(DISTINCT r."reimbursementId", ', ') AS ids, (array_agg(r."reimbursementId" ORDER BY r."approvalDate"))[1] AS first_id
      FROM (SELECT DISTINCT order_id, fnsku FROM variants) k
      JOIN "Reimbursement" r ON r."sellerConnectionId" = ${s} AND r."amazonOrderId" = k.order_id AND r.fnsku = k.fnsku
      GROUP BY k.order_id, k.fnsku
    )
    SELECT c.id::text AS id, c.order_id AS "orderId", c.fnsku, c.sku, c.disposition, c.variant, c.status, c.requested, c.cancelled, c.disposed, c.shipped,
      c.in_process AS "inProcess", c.shipment_shipped AS "shipmentShipped", c.missing,
      LEAST(c.missing, GREATEST(0, COALESCE(rb.units, 0) - (c.cum - c.missing)))::int AS reimbursed, rb.ids AS "reimbursementIds", rb.first_id AS "firstReimbursementId",
      (c.missing - LEAST(c.missing, GREATEST(0, COALESCE(rb.units, 0) - (c.cum - c.missing))))::int AS open,
      to_char(COALESCE(x.first_ship, c.last_updated), 'YYYY-MM-DD') AS anchor, to_char(c.last_updated, 'YYYY-MM-DD') AS "lastUpdated",
      (${ctx.today}::date - c.last_updated)::int AS "ageDays", c."sourceReport", c."sourceLine", x.rows AS "shipmentRows",
      CASE
        WHEN c.missing - LEAST(c.missing, GREATEST(0, COALESCE(rb.units, 0) - (c.cum - c.missing))) <= 0 THEN 'reimbursed'
        WHEN ${ctx.today}::date - c.last_updated < ${MATURITY_DAYS}::int THEN 'too-early'
        ELSE 'open'
      END AS verdict
    FROM cum c
    LEFT JOIN reimb rb ON rb.order_id = c.order_id AND rb.fnsku = c.fnsku
    LEFT JOIN rs x ON x.order_id = c.order_id AND x.fnsku = c.fnsku
    ORDER BY c.order_id, c.fnsku, c.pri`);
  return rows.map(toCandidate);
}

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon reimbursed the missing units: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "too-early":
      return { code: "too-early", reason: `The removal order changed ${r.ageDays} days ago: its reports may still catch up; looked at again on ${addDays(r.lastUpdated, MATURITY_DAYS)}`, recheckAt: addDays(r.lastUpdated, MATURITY_DAYS) };
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.orderId}:${r.fnsku}:${r.variant === "unaccounted" ? `unaccounted:${r.disposition}` : "not-in-shipments"}`,
    sku: r.sku,
    fnsku: r.fnsku,
    asin: null,
    orderId: null,
    shipmentId: null,
    referenceId: null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: r.orderId,
    units: setAside ? r.missing : r.open,
    eventDate: r.lastUpdated,
    anchorDate: r.anchor,
    marketplaceId: null,
    setAside,
    facts: {
      variant: r.variant,
      orderStatus: r.status,
      requested: r.requested,
      cancelled: r.cancelled,
      disposed: r.disposed,
      shipped: r.shipped,
      inProcess: r.inProcess,
      shippedPerShipmentDetail: r.shipmentShipped,
      missing: r.missing,
      reimbursed: r.reimbursed,
      open: r.open,
      arithmetic:
        r.variant === "unaccounted"
          ? `requested ${r.requested} - cancelled ${r.cancelled} - disposed ${r.disposed} - shipped ${r.shipped} - in process ${r.inProcess} = ${r.missing}; reimbursed ${r.reimbursed}`
          : `order shipped ${r.shipped} - shipment detail shipped ${r.shipmentShipped} = ${r.missing}; reimbursed ${r.reimbursed}`,
    },
    evidence: [
      { table: "RemovalOrder", id: r.id, role: "removal-order", source: r.sourceReport, line: r.sourceLine, date: r.lastUpdated, referenceId: r.orderId, quantity: r.requested, note: `status ${r.status ?? "?"}` },
      ...(r.shipmentRows ?? []),
    ],
  };
}

export const r14RemovalLostOrShort: SupportedRule = {
  id: "R14",
  slug: "removal-lost-or-short",
  title: "Removal order units Amazon cannot account for",
  explanation:
    "You asked Amazon to send units back to you. Amazon's removal reports show units of the order that were neither cancelled, disposed of, shipped nor still in process, or units marked shipped that no removal shipment carried.",
  supported: true,
  claimFamily: "removal-lost",
  requires: ["removal-orders", "reimbursements"],
  scopeDimensions: ["removalOrderIds", "fnskus", "skus"],
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, _row, valuation) {
    return confidence(0.8, "Amazon's own removal reports leave these units unaccounted for", [
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["removal-orders", "removal-shipments", "reimbursements"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { variant: string };
    return f.variant === "unaccounted"
      ? `${unitsText(row.units)} of ${row.fnsku} on removal order ${row.removalOrderId} neither cancelled, disposed, shipped nor in process`
      : `${unitsText(row.units)} of ${row.fnsku} on removal order ${row.removalOrderId} marked shipped but in no removal shipment`;
  },
};

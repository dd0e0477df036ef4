// R03 inbound-shortage (detection.md §4): fewer units were received than the seller shipped to Amazon.
//
// Per inbound shipment line (Inbound v0 items: QuantityShipped, QuantityReceived): received = the larger
// of QuantityReceived and the ledger Receipts whose Reference ID is the shipment id, for the FNSKU;
// short = shipped - received. Only a shipment Amazon closed counts (CLOSED, or CANCELLED after units
// were received); a shipment still receiving is set aside. Subtracted, in this order, each allocated so
// one surplus never explains two shortages: overage on a sibling FNSKU of the same ASIN in the same
// shipment (mislabel, substitution); overage of the same FNSKU received under another shipment at the
// same FC within 30 days (units received to the wrong shipment); Lost_Inbound / Damaged_Inbound
// reimbursements of the FNSKU approved from 7 days before the line's first receipt to 60 days after it
// (FIFO by date within that window: Amazon's reconciliation pays a shortage within 16-30 days of the
// receipt, up to 60 [S9]; a payout with no case id months later is for a newer shipment's shortage,
// and spending it on the oldest open line left the newer one flagged and the old one hidden). The v0 API carries no dates: the line's first ledger receipt stands for delivery (the
// window's anchor) and its last receipt, or the day we first stored the shipment closed, for the close;
// a finding needs 30 days after that (Amazon's reconciliation takes 16-30 days, up to 60 [S9]).
// Not done: matching reimbursements by case id (no cases filed through us yet), the settlement's
// MISSING_FROM_INBOUND lines. The seller's uploads count: no proof of delivery or invoice x0.6, an
// invoice alone x0.8, proof of delivery for the shipment none.
import { Prisma } from "../../generated/prisma/client";
import { common, confidence, modifier } from "../confidence";
import { marketplaceForCountry } from "../marketplaces";
import { dayNumber, eventKey, inScope, reasonKey, queryRows, windowedFifoCtes } from "../sql";
import { totalOf, unitValuesPre } from "../valuation";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason, SupportedRule } from "../types";
import { addDays } from "../windows";

const MATURITY_DAYS = 30;
const CROSS_SHIPMENT_DAYS = 30;
/** A Lost_Inbound payout without a case id settles a shortage received up to this many days before it (Amazon's reconciliation). */
const RECONCILIATION_PAYS_WITHIN_DAYS = 60;

interface Row {
  id: string;
  shipmentId: string;
  sku: string;
  fnsku: string | null;
  asin: string | null;
  status: string;
  fc: string | null;
  shipped: number;
  receivedApi: number;
  receivedLedger: number;
  received: number;
  inCase: number;
  short: number;
  sibling: number;
  siblingFnskus: string | null;
  cross: number;
  crossShipments: string | null;
  reimbursed: number;
  reimbursementIds: string | null;
  firstReimbursementId: string | null;
  open: number;
  anchor: string;
  closeSeen: string;
  ageDays: number;
  country: string | null;
  sourceReport: string;
  sourceLine: number;
  shipmentRow: string;
  receiptRows: EvidenceRow[] | null;
  reimbursementRows: EvidenceRow[] | null;
  documentKinds: string[];
  verdict: "open" | "too-early" | "not-closed" | "cancelled" | "received-per-ledger" | "found-sibling" | "received-elsewhere" | "reimbursed" | "explained";
}

async function candidates(ctx: RuleContext): Promise<CandidateRow[]> {
  const s = ctx.sellerConnectionId;
  const rows = await queryRows<Row>(ctx, Prisma.sql`
    WITH RECURSIVE
    all_items AS (
      SELECT i.id, i."shipmentId" AS shipment_id, i."sellerSku" AS sku,
        COALESCE(NULLIF(i.fnsku, ''), (SELECT max(x.fnsku) FROM "LedgerDetail" x WHERE x."sellerConnectionId" = ${s} AND x.msku = i."sellerSku" AND x.fnsku <> '')) AS fnsku,
        COALESCE(i."quantityShipped", 0)::int AS shipped, COALESCE(i."quantityReceived", 0)::int AS received_api, COALESCE(i."quantityInCase", 0)::int AS in_case,
        upper(COALESCE(sh."shipmentStatus", '')) AS status, sh."destinationFulfillmentCenterId" AS fc, sh."syncedAt"::date AS shipment_synced, sh.id::text AS shipment_row,
        i."sourceReport", i."sourceLine"
      FROM "InboundShipmentItem" i
      JOIN "InboundShipment" sh ON sh."sellerConnectionId" = i."sellerConnectionId" AND sh."shipmentId" = i."shipmentId"
      WHERE i."sellerConnectionId" = ${s} AND COALESCE(i."quantityShipped", 0) > 0
        AND upper(COALESCE(sh."shipmentStatus", '')) NOT IN ('DELETED', 'ERROR', 'WORKING', 'READY_TO_SHIP')
    ),
    -- Incremental: the touched lines, then every shipment that holds one of their FNSKUs (so the
    -- sibling, cross-shipment and reimbursement allocations see the same groups as a full run).
    seed AS (
      SELECT * FROM all_items a
      WHERE ${inScope(ctx, { shipmentIds: Prisma.sql`a.shipment_id`, fnskus: Prisma.sql`a.fnsku`, skus: Prisma.sql`a.sku` })}
    ),
    items AS (
      SELECT * FROM all_items a
      WHERE a.shipment_id IN (SELECT shipment_id FROM seed)
         OR a.shipment_id IN (SELECT b.shipment_id FROM all_items b WHERE b.fnsku IN (SELECT fnsku FROM seed))
    ),
    fa AS (
      SELECT x.fnsku, max(x.asin) AS asin FROM "LedgerDetail" x
      WHERE x."sellerConnectionId" = ${s} AND x.fnsku IN (SELECT fnsku FROM items) AND COALESCE(x.asin, '') <> '' GROUP BY x.fnsku
    ),
    receipts AS (
      SELECT r."referenceId" AS shipment_id, r.fnsku, sum(r.quantity)::int AS qty, min(r.date) AS first_date, max(r.date) AS last_date, max(r.country) AS country,
        jsonb_agg(jsonb_build_object('table', 'LedgerDetail', 'id', r.id::text, 'role', 'receipt', 'source', r."sourceReport", 'line', r."sourceLine",
          'date', to_char(r.date, 'YYYY-MM-DD'), 'referenceId', r."referenceId", 'quantity', r.quantity) ORDER BY r.date, r.id) AS rows
      FROM "LedgerDetail" r
      WHERE r."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`r."eventType"`)} = 'receipts' AND r."referenceId" IN (SELECT shipment_id FROM items)
      GROUP BY r."referenceId", r.fnsku
    ),
    ship_dates AS (SELECT shipment_id, min(first_date) AS first_receipt, max(last_date) AS last_receipt FROM receipts GROUP BY shipment_id),
    line AS (
      SELECT it.*, fa.asin, COALESCE(rc.qty, 0) AS received_ledger, GREATEST(it.received_api, COALESCE(rc.qty, 0)) AS received,
        it.shipped - GREATEST(it.received_api, COALESCE(rc.qty, 0)) AS diff,
        COALESCE(rc.first_date, sd.first_receipt, it.shipment_synced) AS anchor,
        LEAST(COALESCE(sd.last_receipt, it.shipment_synced), it.shipment_synced) AS close_seen,
        rc.country, rc.rows AS receipt_rows,
        (it.status = 'CLOSED' OR (it.status = 'CANCELLED' AND GREATEST(it.received_api, COALESCE(rc.qty, 0)) > 0)) AS closed
      FROM items it
      LEFT JOIN fa ON fa.fnsku = it.fnsku
      LEFT JOIN receipts rc ON rc.shipment_id = it.shipment_id AND rc.fnsku = it.fnsku
      LEFT JOIN ship_dates sd ON sd.shipment_id = it.shipment_id
    ),
    -- Overage per shipment and ASIN, and per short line the overage of the same FNSKU at the same FC
    -- in other shipments within the cross-shipment days (hash joins, not a scan per line).
    sib_over AS (
      SELECT o.shipment_id, o.asin, sum(-o.diff)::int AS units, string_agg(DISTINCT o.fnsku, ', ') AS fnskus
      FROM line o WHERE o.diff < 0 AND o.asin IS NOT NULL GROUP BY o.shipment_id, o.asin
    ),
    sib AS (
      SELECT l.*,
        CASE WHEN l.diff > 0 AND l.asin IS NOT NULL THEN LEAST(l.diff, GREATEST(0, COALESCE(so.units, 0)
          - COALESCE(SUM(GREATEST(l.diff, 0)) OVER (PARTITION BY l.shipment_id, l.asin ORDER BY l.fnsku, l.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))
        ELSE 0 END::int AS sibling,
        so.fnskus AS sibling_fnskus
      FROM line l LEFT JOIN sib_over so ON so.shipment_id = l.shipment_id AND so.asin = l.asin
    ),
    cross_over AS (
      SELECT l.id, sum(-o.diff)::int AS units, string_agg(DISTINCT o.shipment_id, ', ') AS shipments
      FROM line l
      JOIN line o ON o.fnsku = l.fnsku AND o.shipment_id <> l.shipment_id AND o.fc IS NOT DISTINCT FROM l.fc AND o.diff < 0
        AND o.anchor BETWEEN l.anchor - ${CROSS_SHIPMENT_DAYS}::int AND l.anchor + ${CROSS_SHIPMENT_DAYS}::int
      WHERE l.diff > 0
      GROUP BY l.id
    ),
    xs AS (
      SELECT b.*,
        CASE WHEN b.diff - b.sibling > 0 THEN LEAST(b.diff - b.sibling, GREATEST(0, COALESCE(co.units, 0)
          - COALESCE(SUM(GREATEST(b.diff - b.sibling, 0)) OVER (PARTITION BY b.fnsku, b.fc ORDER BY b.anchor, b.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))
        ELSE 0 END::int AS cross_alloc,
        co.shipments AS cross_shipments
      FROM sib b LEFT JOIN cross_over co ON co.id = b.id
    ),
    losses AS (
      SELECT x.id::text AS loss_id, x.fnsku AS grp, ${dayNumber(Prisma.sql`x.anchor`)} AS ord, lpad(x.id::text, 20, '0') AS tb, (x.diff - x.sibling - x.cross_alloc)::int AS units
      FROM xs x WHERE x.diff - x.sibling - x.cross_alloc > 0 AND x.fnsku IS NOT NULL
    ),
    off_src AS (
      SELECT 'reimbursement:' || r.id AS off_id, r.fnsku, r."approvalDate"::date AS date, r."reimbursementId" AS reimbursement_id, r.reason, r.id::text AS row_id,
        r."sourceReport" AS src, r."sourceLine" AS line,
        COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0))::int AS units
      FROM "Reimbursement" r
      WHERE r."sellerConnectionId" = ${s} AND ${reasonKey(Prisma.sql`r.reason`)} IN ('lostinbound', 'damagedinbound') AND r."approvalDate" IS NOT NULL
        AND r.fnsku IN (SELECT fnsku FROM items)
        AND COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)) > 0
    ),
    offsets AS (
      SELECT off_id, fnsku AS grp, ${dayNumber(Prisma.sql`date`)} AS ord, off_id AS tb, units,
        ${dayNumber(Prisma.sql`date`)} - ${RECONCILIATION_PAYS_WITHIN_DAYS}::int AS covers_from, ${dayNumber(Prisma.sql`date`)} + 7 AS covers_until
      FROM off_src
    ),
    ${windowedFifoCtes("ri", "losses", "offsets")},
    reimb AS (
      SELECT a.loss_id, sum(a.units)::int AS units, string_agg(DISTINCT o.reimbursement_id, ', ') AS ids,
        (array_agg(o.reimbursement_id ORDER BY o.date, o.off_id))[1] AS first_id,
        jsonb_agg(jsonb_build_object('table', 'Reimbursement', 'id', o.row_id, 'role', 'reimbursement', 'source', o.src, 'line', o.line,
          'date', to_char(o.date, 'YYYY-MM-DD'), 'referenceId', o.reimbursement_id, 'quantity', a.units, 'note', 'reimbursement ' || o.reimbursement_id || ' (' || o.reason || ')') ORDER BY o.date) AS rows
      FROM ri_alloc a JOIN off_src o ON o.off_id = a.off_id WHERE a.units > 0 GROUP BY a.loss_id
    ),
    judged AS (
      SELECT x.*, COALESCE(rb.units, 0) AS reimbursed, rb.ids AS reimbursement_ids, rb.first_id, rb.rows AS reimbursement_rows,
        GREATEST(0, x.diff - x.sibling - x.cross_alloc - COALESCE(rb.units, 0))::int AS open,
        (${ctx.today}::date - x.close_seen)::int AS age_days
      FROM xs x LEFT JOIN reimb rb ON rb.loss_id = x.id::text
      WHERE x.shipped > x.received_api OR x.diff > 0
    )
    SELECT j.id::text AS id, j.shipment_id AS "shipmentId", j.sku, j.fnsku, j.asin, j.status, j.fc, j.shipped, j.received_api AS "receivedApi",
      j.received_ledger AS "receivedLedger", j.received, j.in_case AS "inCase", GREATEST(j.diff, 0)::int AS short, j.sibling, j.sibling_fnskus AS "siblingFnskus",
      j.cross_alloc AS cross, j.cross_shipments AS "crossShipments", j.reimbursed, j.reimbursement_ids AS "reimbursementIds", j.first_id AS "firstReimbursementId",
      j.open, to_char(j.anchor, 'YYYY-MM-DD') AS anchor, to_char(j.close_seen, 'YYYY-MM-DD') AS "closeSeen", j.age_days AS "ageDays", j.country,
      j."sourceReport", j."sourceLine", j.shipment_row AS "shipmentRow", j.receipt_rows AS "receiptRows", j.reimbursement_rows AS "reimbursementRows",
      -- What the seller uploaded for the claim (lib/documents): documents of the shipment, and invoices of the SKU.
      ARRAY(
        SELECT DISTINCT d.kind FROM "SellerDocument" d
        WHERE d."sellerConnectionId" = ${s} AND (d."shipmentId" = j.shipment_id OR (d.kind = 'invoice' AND d.sku = j.sku))
        ORDER BY d.kind
      ) AS "documentKinds",
      CASE
        WHEN j.diff <= 0 THEN 'received-per-ledger'
        WHEN NOT j.closed AND j.status = 'CANCELLED' THEN 'cancelled'
        WHEN NOT j.closed THEN 'not-closed'
        WHEN j.open > 0 AND j.age_days < ${MATURITY_DAYS}::int THEN 'too-early'
        WHEN j.open > 0 THEN 'open'
        WHEN j.sibling > 0 AND j.cross_alloc = 0 AND j.reimbursed = 0 THEN 'found-sibling'
        WHEN j.cross_alloc > 0 AND j.sibling = 0 AND j.reimbursed = 0 THEN 'received-elsewhere'
        WHEN j.reimbursed > 0 AND j.sibling = 0 AND j.cross_alloc = 0 THEN 'reimbursed'
        ELSE 'explained'
      END AS verdict
    FROM judged j
    ORDER BY j.shipment_id, j.sku`);
  return rows.map(toCandidate);
}

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

function setAsideOf(r: Row): SetAsideReason | null {
  switch (r.verdict) {
    case "open":
      return null;
    case "received-per-ledger":
      return { code: "received-per-ledger", reason: `The ledger shows all ${r.shipped} units received (Receipts ${r.receivedLedger}; the inbound API says ${r.receivedApi})` };
    case "not-closed":
      return { code: "not-closed", reason: `Shipment ${r.shipmentId} is ${r.status || "not closed"}: Amazon has not finished receiving it (${r.received} of ${r.shipped} so far)` };
    case "cancelled":
      return { code: "cancelled", reason: `Shipment ${r.shipmentId} was cancelled before Amazon received anything: no units in Amazon's custody` };
    case "too-early":
      return {
        code: "too-early",
        reason: `Amazon reconciles inbound shipments for 16-30 days after receiving (up to 60): looked at again on ${addDays(r.closeSeen, MATURITY_DAYS)}`,
        recheckAt: addDays(r.closeSeen, MATURITY_DAYS),
      };
    case "found-sibling":
      return { code: "found-sibling", reason: `Received as sibling FNSKU ${r.siblingFnskus} of the same ASIN in this shipment (${units(r.sibling)} over there)` };
    case "received-elsewhere":
      return { code: "received-elsewhere", reason: `Received under shipment ${r.crossShipments} at the same fulfillment center (${units(r.cross)} over there)` };
    case "reimbursed":
      return { code: "reimbursed", reason: `Amazon reimbursed the shortage: reimbursement ${r.reimbursementIds}`, reimbursementId: r.firstReimbursementId };
    case "explained": {
      const parts = [
        r.sibling > 0 && `${units(r.sibling)} received as sibling FNSKU ${r.siblingFnskus}`,
        r.cross > 0 && `${units(r.cross)} received under shipment ${r.crossShipments}`,
        r.reimbursed > 0 && `${units(r.reimbursed)} reimbursed (reimbursement ${r.reimbursementIds})`,
      ].filter(Boolean);
      return { code: "explained", reason: `Covered: ${parts.join(", ")}`, reimbursementId: r.firstReimbursementId };
    }
  }
}

function toCandidate(r: Row): CandidateRow {
  const setAside = setAsideOf(r);
  return {
    fingerprint: `${r.shipmentId}:${r.fnsku ?? r.sku}`,
    sku: r.sku,
    fnsku: r.fnsku,
    asin: r.asin,
    orderId: null,
    shipmentId: r.shipmentId,
    referenceId: null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.short : r.open,
    eventDate: r.anchor,
    anchorDate: r.anchor,
    marketplaceId: marketplaceForCountry(r.country),
    setAside,
    facts: {
      shipmentStatus: r.status,
      destinationFc: r.fc,
      shipped: r.shipped,
      receivedInboundApi: r.receivedApi,
      receivedLedger: r.receivedLedger,
      received: r.received,
      short: r.short,
      quantityInCase: r.inCase,
      siblingOverage: r.sibling,
      siblingFnskus: r.siblingFnskus,
      receivedUnderOtherShipments: r.cross,
      otherShipments: r.crossShipments,
      reimbursed: r.reimbursed,
      open: r.open,
      deliveredAbout: r.anchor,
      closedAbout: r.closeSeen,
      ageDays: r.ageDays,
      documentsUploaded: r.documentKinds,
      arithmetic: `open = shipped ${r.shipped} - max(received ${r.receivedApi}, ledger receipts ${r.receivedLedger}) - sibling ${r.sibling} - other shipments ${r.cross} - reimbursed ${r.reimbursed} = ${r.open}`,
    },
    evidence: [
      { table: "InboundShipmentItem", id: r.id, role: "shipment-line", source: r.sourceReport, line: r.sourceLine, date: null, referenceId: r.shipmentId, quantity: r.shipped, note: `shipped ${r.shipped}, received ${r.receivedApi}` },
      { table: "InboundShipment", id: r.shipmentRow, role: "shipment", source: null, line: null, date: null, referenceId: r.shipmentId, note: `status ${r.status} at ${r.fc ?? "?"}` },
      ...(r.receiptRows ?? []),
      ...(r.reimbursementRows ?? []),
    ],
  };
}

export const r03InboundShortage: SupportedRule = {
  id: "R03",
  slug: "inbound-shortage",
  title: "Units you shipped to Amazon that it never received",
  explanation:
    "You shipped more units to an Amazon fulfillment center than it received, and Amazon closed the shipment without finding them under another product or shipment and without reimbursing you.",
  supported: true,
  claimFamily: "inbound-shortage",
  requires: ["inbound-shipments", "ledger-detail", "reimbursements"],
  scopeDimensions: ["shipmentIds", "fnskus", "skus"],
  candidates,
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { shipped: number; quantityInCase: number; open: number; documentsUploaded?: string[] };
    const wholeCase = f.quantityInCase > 0 && f.open % f.quantityInCase === 0;
    // Amazon asks for proof of delivery (or a bill of lading) and, for the value, an invoice.
    const documents = new Set(f.documentsUploaded ?? []);
    const proof = documents.has("proof-of-delivery");
    const invoice = documents.has("invoice");
    return confidence(0.8, "Shipped units Amazon did not receive, after a closed shipment's reconciliation", [
      wholeCase && modifier("whole-case", 1.1, `The shortage is ${f.open / f.quantityInCase} whole case(s) of ${f.quantityInCase}: a box is usually truly lost`),
      !proof && !invoice && modifier("no-proof-uploaded", 0.6, "No proof of delivery, bill of lading or invoice uploaded yet: Amazon asks for them"),
      !proof && invoice && modifier("no-proof-of-delivery", 0.8, "An invoice is uploaded, but no proof of delivery or bill of lading for the shipment yet: Amazon asks for it"),
      f.open <= 2 && f.open <= f.shipped * 0.01 && modifier("count-noise", 0.7, `Only ${f.open} of ${f.shipped} units: within counting noise`),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["inbound-shipments", "ledger-detail", "reimbursements"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { shipped: number; received: number; destinationFc: string | null };
    return `${units(row.units)} of ${row.sku}${row.fnsku ? ` (${row.fnsku})` : ""} missing from shipment ${row.shipmentId}: shipped ${f.shipped}, received ${f.received} at ${f.destinationFc ?? "Amazon"}`;
  },
};

// The query R01 (lost) and R02 (damaged) share: ledger adjustments that took units away, the offsets
// that may explain them (found units on the same FNSKU, then on a sibling FNSKU of the same ASIN;
// reimbursements of the matching reason), allocated FIFO in the database (sql.ts fifoCtes), Amazon's
// own Unreconciled Quantity as the upper bound, the ledger summary as a guard, and a verdict per loss.
import { Prisma } from "../../generated/prisma/client";
import { marketplaceForCountry } from "../marketplaces";
import { codeKey, dayNumber, eventKey, fifoCtes, inScope, reasonKey, queryRows } from "../sql";
import type { CandidateRow, EvidenceRow, RuleContext, SetAsideReason } from "../types";
import { addDays } from "../windows";

export interface FcLossOptions {
  /** Ledger reason codes of the loss rows (Quantity < 0). */
  lossReasons: readonly string[];
  /** Reimbursement reasons that pay them (as reasonKey: "lostwarehouse"). */
  reimbursementReasons: readonly string[];
  /** Ledger codes of found units (Quantity > 0) on the same FNSKU. */
  foundReasons: readonly string[];
  /** Also count P rows into SELLABLE (a damage "disposition corrected" back). */
  correctedBackToSellable: boolean;
  /** Offer found units of other FNSKUs of the same ASIN (item substitution, Amazon.Found.<ASIN>). */
  siblingPass: boolean;
  /** Days after the ledger date before an open loss is a finding (Amazon's own payout delay). */
  maturityDays: number;
  /** Days an offset may predate the loss it covers. */
  offsetToleranceDays: number;
  /**
   * Set aside a loss when the ledger summary's Found covers its Lost for the FNSKU since (detection.md
   * R01's guard). Only for lost units: the summary's Lost and Found columns say nothing of damage, so
   * a damaged row would always meet "found 0 >= lost 0".
   */
  summaryGuard: boolean;
}

interface FcLossRow {
  id: string;
  date: string;
  fnsku: string;
  asin: string | null;
  msku: string | null;
  ref: string;
  fc: string;
  reason: string;
  disposition: string;
  lost: number;
  rec: number | null;
  unrec: number | null;
  country: string | null;
  sourceReport: string;
  sourceLine: number;
  rn: number;
  foundSame: number;
  foundSibling: number;
  corrected: number;
  reimbursed: number;
  afterOffsets: number;
  open: number;
  ageDays: number;
  summaryLost: number | null;
  summaryFound: number | null;
  siblingFoundRows: number;
  pairedP: string | null;
  firstReimbursementId: string | null;
  firstReimbursementDay: number | null;
  reimbursementIds: string | null;
  siblingFnskus: string | null;
  firstFoundDate: string | null;
  offsets: EvidenceRow[] | null;
  verdict: "open" | "too-early" | "summary-found" | "reimbursed" | "found" | "found-sibling" | "corrected" | "explained" | "reconciled-by-amazon";
}

export async function fcLossCandidates(ctx: RuleContext, o: FcLossOptions): Promise<CandidateRow[]> {
  const rows = await queryRows<FcLossRow>(ctx, fcLossQuery(ctx, o));
  return rows.map((r) => toCandidate(r, o));
}

/** The query itself (exported so a plan can be inspected with EXPLAIN). */
export function fcLossQuery(ctx: RuleContext, o: FcLossOptions): Prisma.Sql {
  const s = ctx.sellerConnectionId;
  const today = Prisma.sql`${ctx.today}::date`;
  return Prisma.sql`
    WITH
    loss_src AS (
      SELECT l.id, l.date, l.fnsku, COALESCE(NULLIF(l.asin, ''), fa.asin) AS asin, NULLIF(l.msku, '') AS msku, l."referenceId" AS ref,
        l."fulfillmentCenter" AS fc, ${codeKey(Prisma.sql`l.reason`)} AS reason, l.disposition, (-l.quantity)::int AS lost,
        l."reconciledQuantity" AS rec, l."unreconciledQuantity" AS unrec, l.country, l."sourceReport", l."sourceLine",
        ROW_NUMBER() OVER (PARTITION BY l.fnsku, l."referenceId", l.date ORDER BY l."fulfillmentCenter", l.reason, l.quantity, l.occurrence, l.id)::int AS rn
      FROM "LedgerDetail" l
      LEFT JOIN LATERAL (
        SELECT max(x.asin) AS asin FROM "LedgerDetail" x WHERE x."sellerConnectionId" = ${s} AND x.fnsku = l.fnsku AND COALESCE(x.asin, '') <> ''
      ) fa ON NULLIF(l.asin, '') IS NULL
      WHERE l."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`l."eventType"`)} = 'adjustments'
        AND ${codeKey(Prisma.sql`l.reason`)} = ANY(${[...o.lossReasons]}::text[]) AND l.quantity < 0 AND l.fnsku <> ''
        AND ${inScope(ctx, { fnskus: Prisma.sql`l.fnsku` })}
    ),
    loss_keys AS (SELECT DISTINCT fnsku, asin FROM loss_src),
    off_src AS (
      SELECT 'ledger:' || f.id AS off_id,
        CASE WHEN ${codeKey(Prisma.sql`f.reason`)} = 'P' THEN 'corrected' ELSE 'found' END AS kind,
        f.fnsku, COALESCE(NULLIF(f.asin, ''), (SELECT max(k.asin) FROM loss_keys k WHERE k.fnsku = f.fnsku)) AS asin,
        f.date, f.quantity::int AS units, 'LedgerDetail' AS tbl, f.id::text AS row_id, f."referenceId" AS ref, ${codeKey(Prisma.sql`f.reason`)} AS code,
        NULL::text AS reimbursement_id, f."sourceReport" AS src, f."sourceLine" AS line
      FROM "LedgerDetail" f
      WHERE f."sellerConnectionId" = ${s} AND ${eventKey(Prisma.sql`f."eventType"`)} = 'adjustments' AND f.quantity > 0
        AND (
          ${codeKey(Prisma.sql`f.reason`)} = ANY(${[...o.foundReasons]}::text[])
          OR (${o.correctedBackToSellable}::boolean AND ${codeKey(Prisma.sql`f.reason`)} = 'P' AND upper(f.disposition) = 'SELLABLE')
        )
        AND (f.fnsku IN (SELECT fnsku FROM loss_keys) OR (${o.siblingPass}::boolean AND f.asin IN (SELECT asin FROM loss_keys WHERE asin IS NOT NULL)))
        -- An N row that is the replacement unit of an inventory reimbursement is that reimbursement, not a find.
        AND NOT (${codeKey(Prisma.sql`f.reason`)} = 'N' AND EXISTS (
          SELECT 1 FROM "Reimbursement" r
          WHERE r."sellerConnectionId" = ${s} AND r.fnsku = f.fnsku AND COALESCE(r."quantityReimbursedInventory", 0) > 0
            AND r."approvalDate"::date BETWEEN f.date - 10 AND f.date + 10))
      UNION ALL
      SELECT 'reimbursement:' || r.id, 'reimbursement', r.fnsku, COALESCE(NULLIF(r.asin, ''), (SELECT max(k.asin) FROM loss_keys k WHERE k.fnsku = r.fnsku)),
        r."approvalDate"::date, COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0))::int,
        'Reimbursement', r.id::text, r."caseId", r.reason, r."reimbursementId", r."sourceReport", r."sourceLine"
      FROM "Reimbursement" r
      WHERE r."sellerConnectionId" = ${s} AND ${reasonKey(Prisma.sql`r.reason`)} = ANY(${[...o.reimbursementReasons]}::text[])
        AND r."approvalDate" IS NOT NULL AND r.fnsku IN (SELECT fnsku FROM loss_keys)
        AND COALESCE(r."quantityReimbursedTotal", COALESCE(r."quantityReimbursedCash", 0) + COALESCE(r."quantityReimbursedInventory", 0)) > 0
    ),
    losses AS (SELECT s.id::text AS loss_id, s.fnsku AS grp, ${dayNumber(Prisma.sql`s.date`)} AS ord, lpad(s.id::text, 20, '0') AS tb, s.lost AS units FROM loss_src s),
    offsets AS (
      SELECT off_id, fnsku AS grp, ${dayNumber(Prisma.sql`date`)} AS ord, off_id AS tb, units, ${dayNumber(Prisma.sql`date`)} + ${o.offsetToleranceDays}::int AS covers_until
      FROM off_src
    ),
    ${fifoCtes("p1", "losses", "offsets")},
    rem1 AS (
      SELECT l.loss_id, l.units - COALESCE((SELECT sum(a.units) FROM p1_alloc a WHERE a.loss_id = l.loss_id), 0) AS rem FROM p1_l l
    ),
    losses2 AS (
      SELECT s.id::text AS loss_id, s.asin AS grp, ${dayNumber(Prisma.sql`s.date`)} AS ord, lpad(s.id::text, 20, '0') AS tb, r.rem::int AS units
      FROM loss_src s JOIN rem1 r ON r.loss_id = s.id::text WHERE r.rem > 0 AND s.asin IS NOT NULL AND ${o.siblingPass}::boolean
    ),
    offsets2 AS (
      SELECT f.off_id, os.asin AS grp, f.ord, f.tb, (f.units - f.used)::int AS units, f.covers_until
      FROM p1_f f JOIN off_src os ON os.off_id = f.off_id
      WHERE os.kind = 'found' AND os.asin IS NOT NULL AND f.units - f.used > 0 AND ${o.siblingPass}::boolean
    ),
    ${fifoCtes("p2", "losses2", "offsets2")},
    alloc AS (
      SELECT loss_id, off_id, units, 1 AS pass FROM p1_alloc WHERE units > 0
      UNION ALL SELECT loss_id, off_id, units, 2 FROM p2_alloc WHERE units > 0
    ),
    alloc_detail AS (
      SELECT a.loss_id,
        COALESCE(sum(a.units) FILTER (WHERE o.kind = 'found' AND a.pass = 1), 0)::int AS found_same,
        COALESCE(sum(a.units) FILTER (WHERE o.kind = 'found' AND a.pass = 2), 0)::int AS found_sibling,
        COALESCE(sum(a.units) FILTER (WHERE o.kind = 'corrected'), 0)::int AS corrected,
        COALESCE(sum(a.units) FILTER (WHERE o.kind = 'reimbursement'), 0)::int AS reimbursed,
        (array_agg(o.reimbursement_id ORDER BY o.date, o.off_id) FILTER (WHERE o.kind = 'reimbursement'))[1] AS first_reimbursement_id,
        min(o.date) FILTER (WHERE o.kind = 'reimbursement') AS first_reimbursement_date,
        min(o.date) FILTER (WHERE o.kind IN ('found', 'corrected')) AS first_found_date,
        string_agg(DISTINCT o.reimbursement_id, ', ') FILTER (WHERE o.kind = 'reimbursement') AS reimbursement_ids,
        string_agg(DISTINCT o.fnsku, ', ') FILTER (WHERE a.pass = 2) AS sibling_fnskus,
        jsonb_agg(jsonb_build_object(
          'table', o.tbl, 'id', o.row_id,
          'role', CASE WHEN o.kind = 'reimbursement' THEN 'reimbursement' WHEN a.pass = 2 THEN 'found-sibling' WHEN o.kind = 'corrected' THEN 'disposition-corrected' ELSE 'found' END,
          'source', o.src, 'line', o.line, 'date', to_char(o.date, 'YYYY-MM-DD'), 'referenceId', COALESCE(o.reimbursement_id, o.ref), 'quantity', a.units,
          'note', CASE WHEN o.kind = 'reimbursement' THEN 'reimbursement ' || o.reimbursement_id || ' (' || o.code || ')' ELSE 'ledger ' || o.code || ' row on ' || o.fnsku END
        ) ORDER BY o.date, o.off_id) AS offsets
      FROM alloc a JOIN off_src o ON o.off_id = a.off_id
      GROUP BY a.loss_id
    ),
    guard AS (
      SELECT s.id, sum(abs(COALESCE(m.lost, 0)))::int AS lost, sum(abs(COALESCE(m.found, 0)))::int AS found
      FROM loss_src s JOIN "LedgerSummary" m ON m."sellerConnectionId" = ${s} AND m.fnsku = s.fnsku AND m.date >= date_trunc('month', s.date)::date
      GROUP BY s.id
    ),
    judged AS (
      SELECT s.*,
        COALESCE(ad.found_same, 0) AS found_same, COALESCE(ad.found_sibling, 0) AS found_sibling, COALESCE(ad.corrected, 0) AS corrected,
        COALESCE(ad.reimbursed, 0) AS reimbursed,
        GREATEST(0, s.lost - COALESCE(ad.found_same, 0) - COALESCE(ad.found_sibling, 0) - COALESCE(ad.corrected, 0) - COALESCE(ad.reimbursed, 0))::int AS after_offsets,
        (${today} - s.date)::int AS age_days,
        g.lost AS summary_lost, g.found AS summary_found,
        ad.first_reimbursement_id, (ad.first_reimbursement_date - s.date)::int AS first_reimbursement_day, ad.reimbursement_ids,
        ad.sibling_fnskus, to_char(ad.first_found_date, 'YYYY-MM-DD') AS first_found_date, ad.offsets,
        (SELECT count(*)::int FROM "LedgerDetail" f
          WHERE f."sellerConnectionId" = ${s} AND f.asin = s.asin AND f.fnsku <> s.fnsku AND ${codeKey(Prisma.sql`f.reason`)} = 'F' AND f.quantity > 0 AND f.date >= s.date) AS sibling_found_rows,
        (SELECT p.id::text FROM "LedgerDetail" p
          WHERE p."sellerConnectionId" = ${s} AND p.fnsku = s.fnsku AND p.date = s.date AND p."fulfillmentCenter" = s.fc
            AND ${codeKey(Prisma.sql`p.reason`)} = 'P' AND p.quantity > 0 AND upper(p.disposition) <> 'SELLABLE' LIMIT 1) AS paired_p
      FROM loss_src s
      LEFT JOIN alloc_detail ad ON ad.loss_id = s.id::text
      LEFT JOIN guard g ON g.id = s.id
    )
    SELECT j.id::text AS id, to_char(j.date, 'YYYY-MM-DD') AS date, j.fnsku, j.asin, j.msku, j.ref, j.fc, j.reason, j.disposition, j.lost, j.rec, j.unrec,
      j.country, j."sourceReport", j."sourceLine", j.rn,
      j.found_same AS "foundSame", j.found_sibling AS "foundSibling", j.corrected, j.reimbursed, j.after_offsets AS "afterOffsets",
      LEAST(j.after_offsets, GREATEST(0, COALESCE(j.unrec, j.lost)))::int AS open,
      j.age_days AS "ageDays", j.summary_lost AS "summaryLost", j.summary_found AS "summaryFound", j.sibling_found_rows AS "siblingFoundRows",
      j.paired_p AS "pairedP", j.first_reimbursement_id AS "firstReimbursementId", j.first_reimbursement_day AS "firstReimbursementDay",
      j.reimbursement_ids AS "reimbursementIds", j.sibling_fnskus AS "siblingFnskus", j.first_found_date AS "firstFoundDate", j.offsets,
      CASE
        WHEN LEAST(j.after_offsets, GREATEST(0, COALESCE(j.unrec, j.lost))) > 0 THEN
          CASE
            WHEN ${o.summaryGuard}::boolean AND j.summary_lost IS NOT NULL AND j.summary_found >= j.summary_lost THEN 'summary-found'
            WHEN j.age_days < ${o.maturityDays}::int THEN 'too-early'
            ELSE 'open'
          END
        WHEN j.found_same + j.found_sibling + j.corrected + j.reimbursed = 0 THEN 'reconciled-by-amazon'
        WHEN j.reimbursed > 0 AND j.found_same + j.found_sibling + j.corrected = 0 THEN 'reimbursed'
        WHEN j.found_sibling > 0 AND j.found_same + j.corrected + j.reimbursed = 0 THEN 'found-sibling'
        WHEN j.found_same > 0 AND j.found_sibling + j.corrected + j.reimbursed = 0 THEN 'found'
        WHEN j.corrected > 0 AND j.found_same + j.found_sibling + j.reimbursed = 0 THEN 'corrected'
        ELSE 'explained'
      END AS verdict
    FROM judged j
    ORDER BY j.date, j.id`;
}

function fingerprintOf(r: FcLossRow): string {
  return `${r.fnsku}:${r.ref}:${r.date}${r.rn > 1 ? `:${r.rn}` : ""}`;
}

function setAsideOf(r: FcLossRow, o: FcLossOptions): SetAsideReason | null {
  const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;
  switch (r.verdict) {
    case "open":
      return null;
    case "too-early":
      return {
        code: "too-early",
        reason: `Only ${r.ageDays} days old: Amazon pays or finds most such units within ${o.maturityDays} days on its own; looked at again on ${addDays(r.date, o.maturityDays)}`,
        recheckAt: addDays(r.date, o.maturityDays),
      };
    case "summary-found":
      return {
        code: "found-elsewhere",
        reason: `The ledger summary shows as many units found as lost for ${r.fnsku} since ${r.date.slice(0, 7)} (lost ${r.summaryLost}, found ${r.summaryFound}): the loss was likely cancelled by a find on another row`,
      };
    case "reimbursed":
      return {
        code: "reimbursed",
        reason: `Amazon reimbursed ${r.lost === r.reimbursed ? "it" : units(r.reimbursed)} on day ${r.firstReimbursementDay ?? 0}: reimbursement ${r.reimbursementIds}`,
        reimbursementId: r.firstReimbursementId,
      };
    case "found":
      return { code: "found", reason: `Found again on the same FNSKU (${units(r.foundSame)}, first on ${r.firstFoundDate})` };
    case "found-sibling":
      return { code: "found-sibling", reason: `Found on sibling FNSKU ${r.siblingFnskus} of the same ASIN ${r.asin} (${units(r.foundSibling)}, first on ${r.firstFoundDate})` };
    case "corrected":
      return { code: "disposition-corrected", reason: `The damage was reversed: ${units(r.corrected)} moved back to sellable (first on ${r.firstFoundDate})` };
    case "explained": {
      const parts = [
        r.foundSame > 0 && `${units(r.foundSame)} found`,
        r.foundSibling > 0 && `${units(r.foundSibling)} found on sibling FNSKU ${r.siblingFnskus}`,
        r.corrected > 0 && `${units(r.corrected)} moved back to sellable`,
        r.reimbursed > 0 && `${units(r.reimbursed)} reimbursed (reimbursement ${r.reimbursementIds})`,
      ].filter(Boolean);
      return { code: "explained", reason: `Covered: ${parts.join(", ")}`, reimbursementId: r.firstReimbursementId };
    }
    case "reconciled-by-amazon":
      return {
        code: "reconciled-by-amazon",
        reason: `Amazon's ledger shows all ${units(r.lost)} reconciled (reconciled ${r.rec ?? 0}, unreconciled ${r.unrec ?? 0}), though no find or reimbursement of ours matches it`,
      };
  }
}

function toCandidate(r: FcLossRow, o: FcLossOptions): CandidateRow {
  const setAside = setAsideOf(r, o);
  const evidence: EvidenceRow[] = [
    {
      table: "LedgerDetail",
      id: r.id,
      role: "loss",
      source: r.sourceReport,
      line: r.sourceLine,
      date: r.date,
      referenceId: r.ref,
      quantity: -r.lost,
      note: `Adjustment reason ${r.reason} at ${r.fc || "?"} (${r.disposition || "?"}), reconciled ${r.rec ?? "-"}, unreconciled ${r.unrec ?? "-"}`,
    },
    ...(r.offsets ?? []),
  ];
  if (r.pairedP) evidence.push({ table: "LedgerDetail", id: r.pairedP, role: "paired-p-row", source: null, line: null, date: r.date, note: "P row into the damaged disposition" });
  return {
    fingerprint: fingerprintOf(r),
    sku: r.msku,
    fnsku: r.fnsku,
    asin: r.asin,
    orderId: null,
    shipmentId: null,
    referenceId: r.ref || null,
    reimbursementId: setAside?.reimbursementId ?? null,
    removalOrderId: null,
    units: setAside ? r.lost : r.open,
    eventDate: r.date,
    anchorDate: r.date,
    marketplaceId: marketplaceForCountry(r.country),
    setAside,
    facts: {
      reasonCode: r.reason,
      fulfillmentCenter: r.fc,
      lost: r.lost,
      foundSameFnsku: r.foundSame,
      foundSiblingFnsku: r.foundSibling,
      correctedToSellable: r.corrected,
      reimbursed: r.reimbursed,
      openAfterOffsets: r.afterOffsets,
      reconciledQuantity: r.rec,
      unreconciledQuantity: r.unrec,
      open: r.open,
      ageDays: r.ageDays,
      ledgerSummary: r.summaryLost === null ? null : { lost: r.summaryLost, found: r.summaryFound },
      siblingFoundRowsSinceLoss: r.siblingFoundRows,
      pairedPRow: r.pairedP !== null,
      searched: {
        reimbursements: { fnsku: r.fnsku, reasons: o.reimbursementReasons, approvedFrom: addDays(r.date, -o.offsetToleranceDays) },
        found: { fnsku: r.fnsku, siblingsOfAsin: o.siblingPass ? r.asin : null, codes: o.foundReasons },
      },
      arithmetic: `open = min(unreconciled ${r.unrec ?? "n/a"}, lost ${r.lost} - found ${r.foundSame + r.foundSibling} - corrected ${r.corrected} - reimbursed ${r.reimbursed}) = ${r.open}`,
    },
    evidence,
  };
}

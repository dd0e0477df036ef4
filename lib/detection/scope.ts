// What a detection run may read and what an incremental run rechecks.
//
// Sources: a source is in when the sync pulled it for the seller (DataSourceState.lastPulledAt) or its
// table holds rows of the seller; a rule runs only when every source it requires is in (a missing
// reimbursements report would make every loss look unpaid). A source whose last pull was degraded or
// failed lowers the confidence of the rules that read it.
//
// Scope: the keys rows synced since `since` touched (FNSKUs, SKUs, order ids, inbound shipment ids,
// removal order ids, reimbursement ids), widened so a rule sees what those rows can change: a FNSKU's
// SKUs and the other FNSKUs of its ASIN (found units land on siblings), a SKU whose unit cost changed;
// plus the keys of set-asides due for a recheck (too early until today) and of findings young enough
// that their confidence moves with age. A rule keeps a candidate when any of its identifiers is in scope.
import { Prisma } from "../generated/prisma/client";
import type { Db } from "../db";
import { SYNC_PLAN } from "../sync/plan";
import type { Scope } from "./types";

export interface SourceAvailability {
  sources: Set<string>;
  degraded: Set<string>;
}

export async function availableSources(db: Db, sellerConnectionId: string): Promise<SourceAvailability> {
  const states = await db.dataSourceState.findMany({ where: { sellerConnectionId }, select: { source: true, lastPulledAt: true, health: true } });
  const sources = new Set<string>();
  const degraded = new Set<string>();
  for (const state of states) {
    if (state.lastPulledAt) sources.add(state.source);
    if (state.health === "degraded" || state.health === "error") degraded.add(state.source);
  }
  const tables = [...new Map(SYNC_PLAN.map((e) => [e.source, e.table])).entries()].filter(([source]) => !sources.has(source));
  if (tables.length > 0) {
    const checks = tables.map(
      ([source, table]) => Prisma.sql`SELECT ${source}::text AS source WHERE EXISTS (SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE "sellerConnectionId" = ${sellerConnectionId})`,
    );
    const present = await db.$queryRaw<{ source: string }[]>`${Prisma.join(checks, " UNION ALL ")}`;
    for (const row of present) sources.add(row.source);
  }
  return { sources, degraded };
}

interface ScopeRow {
  fnskus: string[];
  skus: string[];
  orderIds: string[];
  shipmentIds: string[];
  removalOrderIds: string[];
  reimbursementIds: string[];
}

/** The keys an incremental run rechecks (see the file's header). `today` is YYYY-MM-DD. */
export async function touchedScope(db: Db, sellerConnectionId: string, since: Date, today: string): Promise<Scope> {
  const s = sellerConnectionId;
  const at = Prisma.sql`${since.toISOString()}::timestamptz`;
  const day = Prisma.sql`${today}::date`;
  const fresh = (table: string) => Prisma.sql`${Prisma.raw(`"${table}"`)} t WHERE t."sellerConnectionId" = ${s} AND t."syncedAt" >= ${at}`;
  const [row] = await db.$queryRaw<ScopeRow[]>`
    WITH
    due AS (
      SELECT a.sku, a.fnsku, a."orderId", a."shipmentId", a."removalOrderId", a."reimbursementId"
      FROM "DetectionSetAside" a WHERE a."sellerConnectionId" = ${s} AND a."recheckAt" <= ${day}
      UNION ALL
      SELECT d.sku, d.fnsku, d."orderId", d."shipmentId", d."removalOrderId", d."reimbursementId"
      FROM "Detection" d WHERE d."sellerConnectionId" = ${s} AND d."eventDate" >= (${day} - 31) AND d.status IN ('pending', 'reviewed')
    ),
    t_fnsku AS (
      SELECT t.fnsku AS k FROM ${fresh("LedgerDetail")}
      UNION SELECT t.fnsku FROM ${fresh("Reimbursement")}
      UNION SELECT t.fnsku FROM ${fresh("CustomerReturn")}
      UNION SELECT t.fnsku FROM ${fresh("RemovalOrder")}
      UNION SELECT t.fnsku FROM ${fresh("RemovalShipment")}
      UNION SELECT t.fnsku FROM ${fresh("InboundShipmentItem")}
      UNION SELECT t.fnsku FROM ${fresh("FinancialEvent")}
      UNION SELECT t.fnsku FROM ${fresh("LedgerSummary")}
      UNION SELECT t.fnsku FROM ${fresh("CustomerShipment")}
      UNION SELECT fnsku FROM due
    ),
    t_sku AS (
      SELECT t.sku AS k FROM ${fresh("Reimbursement")}
      UNION SELECT t.sku FROM ${fresh("CustomerReturn")}
      UNION SELECT t."sellerSku" FROM ${fresh("FinancialEvent")}
      UNION SELECT i.j->>'SellerSKU' FROM "FinancialEvent" t
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(COALESCE(t.raw->'ShipmentItemList', t.raw->'ShipmentItemAdjustmentList')) = 'array' THEN COALESCE(t.raw->'ShipmentItemList', t.raw->'ShipmentItemAdjustmentList') ELSE '[]'::jsonb END) AS i(j)
        WHERE t."sellerConnectionId" = ${s} AND t."syncedAt" >= ${at}
      UNION SELECT t.sku FROM ${fresh("OrderItem")}
      UNION SELECT t."sellerSku" FROM ${fresh("InboundShipmentItem")}
      UNION SELECT t.sku FROM ${fresh("RemovalOrder")}
      UNION SELECT t.sku FROM ${fresh("RemovalShipment")}
      UNION SELECT t.msku FROM ${fresh("LedgerDetail")}
      UNION SELECT t.sku FROM ${fresh("FeePreview")}
      UNION SELECT t.sku FROM ${fresh("ReplacementShipment")}
      UNION SELECT t.sku FROM ${fresh("CustomerShipment")}
      UNION SELECT c.sku FROM "SkuUnitCost" c WHERE c."sellerConnectionId" = ${s} AND c."updatedAt" >= ${at}
      UNION SELECT sku FROM due
    ),
    f1 AS (
      SELECT k FROM t_fnsku
      UNION SELECT l.fnsku FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.msku IN (SELECT k FROM t_sku)
      UNION SELECT r.fnsku FROM "Reimbursement" r WHERE r."sellerConnectionId" = ${s} AND r.sku IN (SELECT k FROM t_sku)
      UNION SELECT i.fnsku FROM "InboundShipmentItem" i WHERE i."sellerConnectionId" = ${s} AND i."sellerSku" IN (SELECT k FROM t_sku)
    ),
    asins AS (
      SELECT l.asin FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.fnsku IN (SELECT k FROM f1) AND COALESCE(l.asin, '') <> ''
      UNION SELECT r.asin FROM "Reimbursement" r WHERE r."sellerConnectionId" = ${s} AND r.fnsku IN (SELECT k FROM f1) AND COALESCE(r.asin, '') <> ''
    ),
    f2 AS (
      SELECT k FROM f1
      UNION SELECT l.fnsku FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.asin IN (SELECT asin FROM asins)
    ),
    s2 AS (
      SELECT k FROM t_sku
      UNION SELECT l.msku FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.fnsku IN (SELECT k FROM f2)
    ),
    t_order AS (
      SELECT t."orderId" AS k FROM ${fresh("CustomerReturn")}
      UNION SELECT t."amazonOrderId" FROM ${fresh("Reimbursement")}
      UNION SELECT t."amazonOrderId" FROM ${fresh("FinancialEvent")}
      UNION SELECT t."amazonOrderId" FROM ${fresh("OrderItem")}
      UNION SELECT t."amazonOrderId" FROM ${fresh("CustomerShipment")}
      UNION SELECT t."replacementAmazonOrderId" FROM ${fresh("ReplacementShipment")}
      UNION SELECT t."originalAmazonOrderId" FROM ${fresh("ReplacementShipment")}
      UNION SELECT "orderId" FROM due
    ),
    t_shipment AS (
      SELECT t."shipmentId" AS k FROM ${fresh("InboundShipment")}
      UNION SELECT t."shipmentId" FROM ${fresh("InboundShipmentItem")}
      UNION SELECT t."referenceId" FROM ${fresh("LedgerDetail")} AND lower(t."eventType") = 'receipts'
      UNION SELECT "shipmentId" FROM due
    ),
    t_removal AS (
      SELECT t."orderId" AS k FROM ${fresh("RemovalOrder")}
      UNION SELECT t."orderId" FROM ${fresh("RemovalShipment")}
      UNION SELECT "removalOrderId" FROM due
    ),
    t_reimbursement AS (
      SELECT t."reimbursementId" AS k FROM ${fresh("Reimbursement")}
      UNION SELECT t."originalReimbursementId" FROM ${fresh("Reimbursement")}
      UNION SELECT "reimbursementId" FROM due
    )
    SELECT
      ARRAY(SELECT k FROM f2 WHERE COALESCE(k, '') <> '' ORDER BY k) AS fnskus,
      ARRAY(SELECT k FROM s2 WHERE COALESCE(k, '') <> '' ORDER BY k) AS skus,
      ARRAY(SELECT k FROM t_order WHERE COALESCE(k, '') <> '' ORDER BY k) AS "orderIds",
      ARRAY(SELECT k FROM t_shipment WHERE COALESCE(k, '') <> '' ORDER BY k) AS "shipmentIds",
      ARRAY(SELECT k FROM t_removal WHERE COALESCE(k, '') <> '' ORDER BY k) AS "removalOrderIds",
      ARRAY(SELECT k FROM t_reimbursement WHERE COALESCE(k, '') <> '' ORDER BY k) AS "reimbursementIds"`;
  return row!;
}

export function scopeSize(scope: Scope): number {
  return scope.fnskus.length + scope.skus.length + scope.orderIds.length + scope.shipmentIds.length + scope.removalOrderIds.length + scope.reimbursementIds.length;
}

// The seller's unit costs (SkuUnitCost): what losses before a customer order are valued at since
// Amazon's 2025-03-31 change (detection.md §3; lib/detection/valuation.ts reads the table). Listing,
// setting one, setting many from a CSV import (one statement, all or nothing), and the SKUs whose open
// findings are valued at a fallback a cost would replace. A change reaches findings on the next
// detection run: valuation reads the table afresh, and the run treats a cost changed since the last
// sync as a reason to recheck everything (lib/detection/reconciliation/changes.ts).
import { randomUUID } from "node:crypto";
import { Prisma, type SkuUnitCost } from "../../generated/prisma/client";
import { db } from "../../db";
import { SOURCING_COST_FROM } from "../valuation";
import { toMajor } from "./money";

export interface UnitCostItem {
  id: string;
  sku: string;
  unitCost: number;
  unitCostMinor: number;
  currency: string;
  hasInvoice: boolean;
  source: string;
  updatedAt: string;
  sellerConnectionId: string;
}

export function unitCostItem(row: SkuUnitCost): UnitCostItem {
  return {
    id: row.id,
    sku: row.sku,
    unitCost: toMajor(row.unitCostMinor, row.currency),
    unitCostMinor: Number(row.unitCostMinor),
    currency: row.currency,
    hasInvoice: row.hasInvoice,
    source: row.source,
    updatedAt: row.updatedAt.toISOString(),
    sellerConnectionId: row.sellerConnectionId,
  };
}

export async function listUnitCosts(sellerConnectionIds: string[], query: { sku?: string; limit: number; offset: number }): Promise<{ items: UnitCostItem[]; total: number }> {
  const where: Prisma.SkuUnitCostWhereInput = {
    sellerConnectionId: { in: sellerConnectionIds },
    ...(query.sku ? { sku: { contains: query.sku, mode: "insensitive" } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.skuUnitCost.findMany({ where, orderBy: [{ sku: "asc" }, { sellerConnectionId: "asc" }], take: query.limit, skip: query.offset }),
    db.skuUnitCost.count({ where }),
  ]);
  return { items: rows.map(unitCostItem), total };
}

/**
 * The SKUs of `skus` the seller's synced data knows (ledger, orders, inbound shipments, inventory,
 * returns, removals, reimbursements, financial events, findings). A cost for any other SKU is a typo
 * or a SKU of another account: it could never value a loss.
 */
export async function knownSkus(sellerConnectionId: string, skus: readonly string[]): Promise<Set<string>> {
  if (skus.length === 0) return new Set();
  const s = sellerConnectionId;
  const list = [...new Set(skus)];
  const rows = await db.$queryRaw<{ sku: string }[]>`
    SELECT l.msku AS sku FROM "LedgerDetail" l WHERE l."sellerConnectionId" = ${s} AND l.msku = ANY(${list}::text[])
    UNION SELECT o.sku FROM "OrderItem" o WHERE o."sellerConnectionId" = ${s} AND o.sku = ANY(${list}::text[])
    UNION SELECT i."sellerSku" FROM "InboundShipmentItem" i WHERE i."sellerConnectionId" = ${s} AND i."sellerSku" = ANY(${list}::text[])
    UNION SELECT v."sellerSku" FROM "InventorySummary" v WHERE v."sellerConnectionId" = ${s} AND v."sellerSku" = ANY(${list}::text[])
    UNION SELECT r.sku FROM "CustomerReturn" r WHERE r."sellerConnectionId" = ${s} AND r.sku = ANY(${list}::text[])
    UNION SELECT r.sku FROM "RemovalOrder" r WHERE r."sellerConnectionId" = ${s} AND r.sku = ANY(${list}::text[])
    UNION SELECT r.sku FROM "Reimbursement" r WHERE r."sellerConnectionId" = ${s} AND r.sku = ANY(${list}::text[])
    UNION SELECT f."sellerSku" FROM "FinancialEvent" f WHERE f."sellerConnectionId" = ${s} AND f."sellerSku" = ANY(${list}::text[])
    UNION SELECT d.sku FROM "Detection" d WHERE d."sellerConnectionId" = ${s} AND d.sku = ANY(${list}::text[])`;
  return new Set(rows.map((r) => r.sku));
}

export interface CostInput {
  sku: string;
  unitCostMinor: number;
  currency: string;
  hasInvoice: boolean;
}

/**
 * Stores costs, one statement (a file's valid lines all land or none do): new SKUs are inserted, known
 * ones overwritten (updatedAt moves, which the next detection run notices). Returns how many were new.
 */
export async function upsertUnitCosts(tx: Pick<typeof db, "$queryRaw">, sellerConnectionId: string, costs: readonly CostInput[], source: "manual" | "csv", now: Date): Promise<{ inserted: number; updated: number }> {
  if (costs.length === 0) return { inserted: 0, updated: 0 };
  const at = now.toISOString();
  const payload = costs.map((c) => ({ id: randomUUID(), sku: c.sku, cost: c.unitCostMinor, currency: c.currency, invoice: c.hasInvoice }));
  const rows = await tx.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO "SkuUnitCost" ("id", "sellerConnectionId", "sku", "unitCostMinor", "currency", "source", "hasInvoice", "createdAt", "updatedAt")
    SELECT x.id, ${sellerConnectionId}, x.sku, x.cost, x.currency, ${source}, x.invoice, ${at}::timestamptz, ${at}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(id text, sku text, cost bigint, currency text, invoice boolean)
    ON CONFLICT ("sellerConnectionId", "sku") DO UPDATE SET
      "unitCostMinor" = EXCLUDED."unitCostMinor", "currency" = EXCLUDED."currency", "source" = EXCLUDED."source",
      "hasInvoice" = EXCLUDED."hasInvoice", "updatedAt" = EXCLUDED."updatedAt"
    RETURNING (xmax = 0) AS inserted`;
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/** Bases a seller's own cost replaces (detection.md §3): the fallbacks of a loss before a customer order. */
export const FALLBACK_BASES = ["reimbursement-median", "sale-price-40pct", "unvalued"] as const;

export interface MissingCostItem {
  sku: string;
  fnsku: string | null;
  asin: string | null;
  openFindings: number;
  valueAtFallback: number;
  valueAtFallbackMinor: number;
  currency: string;
  sellerConnectionId: string;
}

/**
 * SKUs with open findings (pending or reviewed, window not closed) valued at a fallback basis, of a
 * loss on or after the sourcing-cost day, and no unit cost yet: a cost would change their value on the
 * next run. Most value first.
 */
export async function missingUnitCosts(sellerConnectionIds: string[], now: Date, limit = 500): Promise<MissingCostItem[]> {
  if (sellerConnectionIds.length === 0) return [];
  const today = now.toISOString().slice(0, 10);
  const rows = await db.$queryRaw<{ sellerConnectionId: string; sku: string; fnsku: string | null; asin: string | null; n: number; v: bigint; currency: string }[]>`
    SELECT d."sellerConnectionId", d.sku, min(d.fnsku) AS fnsku, min(d.asin) AS asin, count(*)::int AS n, sum(d."estimatedValueMinor")::bigint AS v, d.currency
    FROM "Detection" d
    WHERE d."sellerConnectionId" = ANY(${sellerConnectionIds}::text[]) AND d.sku IS NOT NULL AND d.sku <> ''
      AND d."valueBasis" = ANY(${[...FALLBACK_BASES]}::text[])
      AND d."eventDate" >= ${SOURCING_COST_FROM}::date
      AND d.status IN ('pending', 'reviewed') AND (d.deadline IS NULL OR d.deadline >= ${today}::date)
      AND NOT EXISTS (SELECT 1 FROM "SkuUnitCost" c WHERE c."sellerConnectionId" = d."sellerConnectionId" AND c.sku = d.sku)
    GROUP BY d."sellerConnectionId", d.sku, d.currency
    ORDER BY v DESC, d.sku ASC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    sku: r.sku,
    fnsku: r.fnsku,
    asin: r.asin,
    openFindings: r.n,
    valueAtFallback: toMajor(r.v, r.currency),
    valueAtFallbackMinor: Number(r.v),
    currency: r.currency,
    sellerConnectionId: r.sellerConnectionId,
  }));
}

// Reading detection results for a seller: findings with the window as a reader sees it (status waiting
// or expired derived from `now`, days remaining, file-by day, ready to file or review), and the
// explained non-findings, per SKU; and the derived status as SQL for the APIs (app/api/detections,
// lib/detection/api/views.ts), which filter and count by it in the database.
import { Prisma } from "../generated/prisma/client";
import { db as appDb, type Db } from "../db";
import { READY_TO_FILE_CONFIDENCE } from "./confidence";
import { daysRemaining, derivedStatus, fileBy, isoDay, type DerivedStatus } from "./windows";

export interface DetectionView {
  id: string;
  ruleId: string;
  ruleSlug: string;
  fingerprint: string;
  summary: string;
  sku: string | null;
  fnsku: string | null;
  orderId: string | null;
  shipmentId: string | null;
  units: number;
  estimatedValueMinor: number;
  currency: string;
  valueBasis: string;
  confidence: number;
  severity: string;
  status: DerivedStatus;
  storedStatus: string;
  opensAt: string;
  deadline: string | null;
  daysRemaining: number | null;
  fileBy: string | null;
  windowVerify: boolean;
  /** Offered for filing: open (not waiting, not expired) and confident enough; else "review". */
  readyToFile: boolean;
  lastSeenRunAt: string;
}

export async function detectionsFor(sellerConnectionId: string, now: Date, filter: { sku?: string; ruleId?: string } = {}, db: Db = appDb): Promise<DetectionView[]> {
  const rows = await db.detection.findMany({
    where: { sellerConnectionId, ...(filter.sku ? { sku: filter.sku } : {}), ...(filter.ruleId ? { ruleId: filter.ruleId } : {}) },
    orderBy: [{ deadline: "asc" }, { id: "asc" }],
  });
  const views = rows.map((d): DetectionView => {
    const status = derivedStatus(d.status, d.opensAt, d.deadline, now);
    const opensAt = isoDay(d.opensAt);
    const deadline = d.deadline ? isoDay(d.deadline) : null;
    return {
      id: d.id,
      ruleId: d.ruleId,
      ruleSlug: d.ruleSlug,
      fingerprint: d.fingerprint,
      summary: d.summary,
      sku: d.sku,
      fnsku: d.fnsku,
      orderId: d.orderId,
      shipmentId: d.shipmentId,
      units: d.units,
      estimatedValueMinor: Number(d.estimatedValueMinor),
      currency: d.currency,
      valueBasis: d.valueBasis,
      confidence: d.confidence,
      severity: d.severity,
      status,
      storedStatus: d.status,
      opensAt,
      deadline,
      daysRemaining: daysRemaining(d.deadline, now),
      fileBy: fileBy(opensAt, deadline),
      windowVerify: d.windowVerify,
      readyToFile: (status === "pending" || status === "reviewed") && d.confidence >= READY_TO_FILE_CONFIDENCE,
      lastSeenRunAt: d.lastSeenRunAt.toISOString(),
    };
  });
  // detection.md §5: value x confidence first, then the nearest deadline.
  return views.sort((a, b) => b.estimatedValueMinor * b.confidence - a.estimatedValueMinor * a.confidence || (a.daysRemaining ?? Infinity) - (b.daysRemaining ?? Infinity));
}

export interface SetAsideView {
  ruleId: string;
  ruleSlug: string;
  fingerprint: string;
  reasonCode: string;
  reason: string;
  sku: string | null;
  fnsku: string | null;
  orderId: string | null;
  shipmentId: string | null;
  reimbursementId: string | null;
  units: number;
  eventDate: string | null;
  recheckAt: string | null;
}

/** The candidates rules set aside for a SKU (by the SKU, or a FNSKU the ledger maps to it), and why. */
export async function setAsidesForSku(sellerConnectionId: string, sku: string, db: Db = appDb): Promise<SetAsideView[]> {
  const fnskus = await db.ledgerDetail.findMany({ where: { sellerConnectionId, msku: sku }, select: { fnsku: true }, distinct: ["fnsku"] });
  const rows = await db.detectionSetAside.findMany({
    where: { sellerConnectionId, OR: [{ sku }, ...(fnskus.length > 0 ? [{ fnsku: { in: fnskus.map((f) => f.fnsku) } }] : [])] },
    orderBy: [{ ruleId: "asc" }, { fingerprint: "asc" }],
  });
  return rows.map(setAsideView);
}

function setAsideView(a: Prisma.DetectionSetAsideGetPayload<object>): SetAsideView {
  return {
    ruleId: a.ruleId,
    ruleSlug: a.ruleSlug,
    fingerprint: a.fingerprint,
    reasonCode: a.reasonCode,
    reason: a.reason,
    sku: a.sku,
    fnsku: a.fnsku,
    orderId: a.orderId,
    shipmentId: a.shipmentId,
    reimbursementId: a.reimbursementId,
    units: a.units,
    eventDate: a.eventDate ? isoDay(a.eventDate) : null,
    recheckAt: a.recheckAt ? isoDay(a.recheckAt) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The same derivation in SQL, for the APIs (lib/detection/api/views.ts): filtering, counting and
// summing by the status a reader sees happens in the database against `today`, never on loaded rows.

/** `Detection` aliased `alias`: the status a reader sees on `today` (YYYY-MM-DD), as derivedStatus computes it. */
export function derivedStatusSql(today: string, alias = "d"): Prisma.Sql {
  const d = Prisma.raw(`"${alias}"`);
  const day = Prisma.sql`CAST(${today} AS date)`;
  return Prisma.sql`(CASE
    WHEN ${d}."status" IN ('filed', 'disputed', 'resolved', 'dismissed') THEN ${d}."status"
    WHEN ${d}."opensAt" > ${day} THEN 'waiting'
    WHEN ${d}."deadline" IS NOT NULL AND ${d}."deadline" < ${day} THEN 'expired'
    WHEN ${d}."status" = 'reviewed' THEN 'reviewed'
    ELSE 'pending' END)`;
}

/** The set-asides of several sellers, by SKU (or a FNSKU the ledger maps to it) and/or rule, at most `limit`. */
export async function setAsidesOf(
  sellerConnectionIds: readonly string[],
  filter: { sku?: string; ruleId?: string },
  limit: number,
  db: Db = appDb,
): Promise<SetAsideView[]> {
  if (sellerConnectionIds.length === 0) return [];
  const sellers = { in: [...sellerConnectionIds] };
  let skuMatch: Prisma.DetectionSetAsideWhereInput = {};
  if (filter.sku) {
    const fnskus = await db.ledgerDetail.findMany({ where: { sellerConnectionId: sellers, msku: filter.sku }, select: { fnsku: true }, distinct: ["fnsku"] });
    skuMatch = { OR: [{ sku: filter.sku }, ...(fnskus.length > 0 ? [{ fnsku: { in: fnskus.map((f) => f.fnsku) } }] : [])] };
  }
  const rows = await db.detectionSetAside.findMany({
    where: { sellerConnectionId: sellers, ...skuMatch, ...(filter.ruleId ? { ruleId: filter.ruleId } : {}) },
    orderBy: [{ ruleId: "asc" }, { fingerprint: "asc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map(setAsideView);
}

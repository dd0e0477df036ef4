// The read side of the detection APIs (docs/detection-api.md): a finding as a seller sees it
// (DetectionItem: money in major and minor units, the status derived from the clock, days remaining,
// file-by, ready to file), the filtered and paged list, one finding with its explanation, evidence,
// status history and the SKU's set-asides. Filtering by derived status, counting and paging run in the
// database (derivedStatusSql against `today`); rows are loaded only for the page answered.
//
// Scoped twice, like the sync views: to the seller connections the route is about (sellerScope, the
// user's own ids) and to the user through the connection's userId, so an id that slipped through still
// matches nothing.
import { Prisma } from "../../generated/prisma/client";
import { currencyExponent } from "../../amazon/report-values";
import { db } from "../../db";
import { READY_TO_FILE_CONFIDENCE } from "../confidence";
import { derivedStatusSql, setAsidesForSku, type SetAsideView } from "../queries";
import { ruleById } from "../rules";
import type { Identifiers } from "../types";
import { daysRemaining, derivedStatus, fileBy, isoDay, STORED_STATUSES, type DerivedStatus } from "../windows";

export const DERIVED_STATUSES = [...STORED_STATUSES, "waiting", "expired"] as const satisfies readonly DerivedStatus[];
export const SEVERITIES = ["high", "medium", "low", "info"] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/**
 * The category of each rule (detection.md's catalogue) in the snake_case the dashboards group by:
 * what kind of money Amazon owes, not how the rule finds it.
 */
export const ANOMALY_TYPES: Record<string, string> = {
  R01: "lost_inventory",
  R02: "damaged_inventory",
  R03: "inbound_shortage",
  R04: "customer_return_not_received",
  R05: "customer_return_damaged",
  R06: "customer_return_not_restocked",
  R07: "replacement_not_returned",
  R08: "reimbursement_underpaid",
  R09: "refund_overcharged",
  R10: "customer_return_misapplied",
  R11: "fee_overcharge",
  R12: "duplicate_fee",
  R13: "referral_fee_overcharge",
  R14: "removal_lost",
  R15: "unauthorized_disposal",
  R16: "reimbursement_reversed",
  R17: "warehouse_transfer_loss",
  R18: "reimbursement_not_paid",
};

export function anomalyTypeOf(ruleId: string): string {
  return ANOMALY_TYPES[ruleId] ?? "other";
}

/** Integer minor units as a number in the currency's major unit (2 decimals for USD, 0 for JPY). */
export function toMajor(minor: number | bigint, currency: string): number {
  const exponent = currencyExponent(currency);
  return Number((Number(minor) / 10 ** exponent).toFixed(exponent));
}

export interface ConfidenceReasonItem {
  code: string;
  text: string;
  factor: number;
}

export interface DetectionItem extends Identifiers {
  id: string;
  ruleId: string;
  ruleSlug: string;
  anomalyType: string;
  title: string;
  summary: string;
  units: number;
  estimatedValue: number;
  estimatedValueMinor: number;
  currency: string;
  valueBasis: string;
  confidence: number;
  confidenceReasons: ConfidenceReasonItem[];
  severity: string;
  status: DerivedStatus;
  storedStatus: string;
  statusNote: string | null;
  discoveryDate: string;
  eventDate: string;
  opensAt: string;
  deadline: string | null;
  daysRemaining: number | null;
  fileBy: string | null;
  expired: boolean;
  readyToFile: boolean;
  windowVerify: boolean;
  resolvedByReimbursementId: string | null;
  sellerConnectionId: string;
}

export type DetectionRow = Prisma.DetectionGetPayload<object>;

function reasonsOf(value: Prisma.JsonValue): ConfidenceReasonItem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r) => {
    if (!r || typeof r !== "object" || Array.isArray(r)) return [];
    const { code, text, factor } = r as Record<string, unknown>;
    return [{ code: String(code ?? ""), text: String(text ?? ""), factor: Number(factor ?? 1) }];
  });
}

/** A stored finding as a seller sees it on `now`'s day. */
export function detectionItem(d: DetectionRow, now: Date): DetectionItem {
  const status = derivedStatus(d.status, d.opensAt, d.deadline, now);
  const opensAt = isoDay(d.opensAt);
  const deadline = d.deadline ? isoDay(d.deadline) : null;
  const minor = Number(d.estimatedValueMinor);
  return {
    id: d.id,
    ruleId: d.ruleId,
    ruleSlug: d.ruleSlug,
    anomalyType: anomalyTypeOf(d.ruleId),
    title: ruleById(d.ruleId)?.title ?? d.ruleSlug,
    summary: d.summary,
    sku: d.sku,
    fnsku: d.fnsku,
    asin: d.asin,
    orderId: d.orderId,
    shipmentId: d.shipmentId,
    referenceId: d.referenceId,
    reimbursementId: d.reimbursementId,
    removalOrderId: d.removalOrderId,
    units: d.units,
    estimatedValue: toMajor(minor, d.currency),
    estimatedValueMinor: minor,
    currency: d.currency,
    valueBasis: d.valueBasis,
    confidence: d.confidence,
    confidenceReasons: reasonsOf(d.confidenceReasons),
    severity: d.severity,
    status,
    storedStatus: d.status,
    statusNote: d.statusNote,
    discoveryDate: d.discoveredAt.toISOString(),
    eventDate: isoDay(d.eventDate),
    opensAt,
    deadline,
    daysRemaining: daysRemaining(d.deadline, now),
    fileBy: fileBy(opensAt, deadline),
    expired: status === "expired",
    readyToFile: (status === "pending" || status === "reviewed") && d.confidence >= READY_TO_FILE_CONFIDENCE,
    windowVerify: d.windowVerify,
    resolvedByReimbursementId: d.resolvedByReimbursementId,
    sellerConnectionId: d.sellerConnectionId,
  };
}

// ---------------------------------------------------------------------------------------------
// The list

export type DetectionSort = "ranked" | "deadline" | "-deadline" | "value" | "-value" | "recent";

export interface DetectionFilter {
  ruleIds?: readonly string[];
  statuses?: readonly DerivedStatus[];
  severities?: readonly string[];
  sku?: string;
  /** The deadline falls from today to today + N days (not yet passed). */
  expiringWithinDays?: number;
}

/** The WHERE of every detection query: the sellers (and through them the user) and the filter, on `today`. */
export function detectionWhere(userId: string, sellerConnectionIds: readonly string[], filter: DetectionFilter, today: string): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`d."sellerConnectionId" IN (${Prisma.join([...sellerConnectionIds])})`,
    Prisma.sql`EXISTS (SELECT 1 FROM "SellerConnection" s WHERE s."id" = d."sellerConnectionId" AND s."userId" = ${userId})`,
  ];
  if (filter.ruleIds?.length) parts.push(Prisma.sql`d."ruleId" IN (${Prisma.join([...filter.ruleIds])})`);
  if (filter.severities?.length) parts.push(Prisma.sql`d."severity" IN (${Prisma.join([...filter.severities])})`);
  if (filter.sku !== undefined) parts.push(Prisma.sql`d."sku" = ${filter.sku}`);
  if (filter.statuses?.length) parts.push(Prisma.sql`${derivedStatusSql(today)} IN (${Prisma.join([...filter.statuses])})`);
  if (filter.expiringWithinDays !== undefined) {
    parts.push(
      Prisma.sql`d."deadline" >= CAST(${today} AS date) AND d."deadline" <= CAST(${today} AS date) + CAST(${filter.expiringWithinDays} AS integer)`,
    );
  }
  return Prisma.join(parts, " AND ");
}

const ORDER: Record<DetectionSort, Prisma.Sql> = {
  // detection.md §5: value x confidence first, then the nearest deadline (none last).
  ranked: Prisma.sql`d."estimatedValueMinor"::float8 * d."confidence" DESC, d."deadline" ASC NULLS LAST, d."id" ASC`,
  deadline: Prisma.sql`d."deadline" ASC NULLS LAST, d."estimatedValueMinor"::float8 * d."confidence" DESC, d."id" ASC`,
  "-deadline": Prisma.sql`d."deadline" DESC NULLS LAST, d."estimatedValueMinor"::float8 * d."confidence" DESC, d."id" ASC`,
  value: Prisma.sql`d."estimatedValueMinor" ASC, d."deadline" ASC NULLS LAST, d."id" ASC`,
  "-value": Prisma.sql`d."estimatedValueMinor" DESC, d."deadline" ASC NULLS LAST, d."id" ASC`,
  recent: Prisma.sql`d."discoveredAt" DESC, d."id" DESC`,
};

export interface DetectionPage {
  items: DetectionItem[];
  total: number;
  limit: number;
  offset: number;
}

/** One page of the user's findings in the sellers named, filtered and sorted in the database, with the total. */
export async function listDetections(
  userId: string,
  sellerConnectionIds: readonly string[],
  query: { filter: DetectionFilter; sort: DetectionSort; limit: number; offset: number },
  now: Date,
): Promise<DetectionPage> {
  const page = { limit: query.limit, offset: query.offset };
  if (sellerConnectionIds.length === 0) return { items: [], total: 0, ...page };
  const where = detectionWhere(userId, sellerConnectionIds, query.filter, isoDay(now));
  const [ids, counted] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`SELECT d."id" FROM "Detection" d WHERE ${where} ORDER BY ${ORDER[query.sort]} LIMIT ${query.limit} OFFSET ${query.offset}`,
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Detection" d WHERE ${where}`,
  ]);
  const rows = ids.length > 0 ? await db.detection.findMany({ where: { id: { in: ids.map((r) => r.id) } } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids.flatMap((r) => {
    const row = byId.get(r.id);
    return row ? [detectionItem(row, now)] : [];
  });
  return { items, total: counted[0]?.total ?? 0, ...page };
}

// ---------------------------------------------------------------------------------------------
// One finding

export interface HistoryEntry {
  at: string;
  actor: string;
  from: string | null;
  to: string;
  note: string | null;
}

export interface DetectionDetail extends DetectionItem {
  explanation: string;
  claimFamily: string;
  marketplaceId: string;
  evidence: Prisma.JsonValue;
  history: HistoryEntry[];
  setAsides: SetAsideView[];
}

/** The status changes of a finding, oldest first, from the audit trail (AuditLog "detection.status_changed"). */
export async function statusHistory(sellerConnectionId: string, detectionId: string): Promise<HistoryEntry[]> {
  const rows = await db.auditLog.findMany({
    where: { sellerConnectionId, action: DETECTION_STATUS_CHANGED, details: { path: ["detectionId"], equals: detectionId } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: 500,
  });
  return rows.map((r) => {
    const details = (r.details && typeof r.details === "object" && !Array.isArray(r.details) ? r.details : {}) as Record<string, unknown>;
    return {
      at: r.at.toISOString(),
      actor: r.actor,
      from: typeof details.from === "string" ? details.from : null,
      to: String(details.to ?? ""),
      note: typeof details.note === "string" ? details.note : null,
    };
  });
}

export const DETECTION_STATUS_CHANGED = "detection.status_changed";

/** A finding the route already loaded for the user (detectionResource), with what explains it. */
export async function detectionDetail(detectionId: string, now: Date): Promise<DetectionDetail> {
  const row = await db.detection.findUniqueOrThrow({ where: { id: detectionId } });
  const rule = ruleById(row.ruleId);
  const [history, setAsides] = await Promise.all([
    statusHistory(row.sellerConnectionId, row.id),
    row.sku ? setAsidesForSku(row.sellerConnectionId, row.sku) : Promise.resolve([] as SetAsideView[]),
  ]);
  return {
    ...detectionItem(row, now),
    explanation: rule?.explanation ?? "",
    claimFamily: row.claimFamily,
    marketplaceId: row.marketplaceId,
    evidence: row.evidence,
    history,
    setAsides,
  };
}

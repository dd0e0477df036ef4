// The totals of the detection APIs (docs/detection-api.md): the findings page's summary, seed 003's
// discrepancy and claim summaries, the claims health and the dashboard's recoveries. All of them fold
// one grouped query (count and sums per derived status, severity, rule, currency and ready-to-file
// confidence) computed in the database; no finding is loaded to be counted.
//
// Currencies: a seller who sells in several marketplaces has findings in several currencies, and the app
// has no exchange rates, so amounts are never added across currencies. Every total is given per
// currency (`totalsByCurrency`); the top-level figures are those of the currency holding the most value
// (the largest sum of estimated value in major units, compared as plain numbers; ties go to the
// alphabetically first code). With no findings it is the currency of the seller's first marketplace.
import { Prisma } from "../../generated/prisma/client";
import { db } from "../../db";
import { READY_TO_FILE_CONFIDENCE } from "../confidence";
import { currencyOfMarketplace } from "../marketplaces";
import { derivedStatusSql } from "../queries";
import { RULES, ruleById } from "../rules";
import { availableSources } from "../scope";
import { isoDay, type DerivedStatus } from "../windows";
import { anomalyTypeOf, DERIVED_STATUSES, detectionWhere, listDetections, SEVERITIES, toMajor, type DetectionFilter, type DetectionItem } from "./views";

interface Group {
  status: DerivedStatus;
  severity: string;
  ruleId: string;
  currency: string;
  confident: boolean;
  count: number;
  valueMinor: bigint;
  /** Sum of value x confidence (minor units). */
  expectedMinor: number;
  confidenceSum: number;
}

/** Open for the seller (the sync's claimsDetected counts the same): not closed, not lost to the window, not info. */
const OPEN_STATUSES: ReadonlySet<string> = new Set(["pending", "reviewed", "waiting", "filed", "disputed"]);
const isOpen = (g: Group) => OPEN_STATUSES.has(g.status) && g.severity !== "info";
const isReady = (g: Group) => (g.status === "pending" || g.status === "reviewed") && g.confident;

async function groupsOf(userId: string, sellerConnectionIds: readonly string[], now: Date, filter: DetectionFilter = {}): Promise<Group[]> {
  if (sellerConnectionIds.length === 0) return [];
  const today = isoDay(now);
  const rows = await db.$queryRaw<
    { status: string; severity: string; ruleId: string; currency: string; confident: boolean; count: number; value: bigint; expected: number; confidence: number }[]
  >`
    SELECT ${derivedStatusSql(today)} AS status, d."severity" AS severity, d."ruleId" AS "ruleId", d."currency" AS currency,
           (d."confidence" >= ${READY_TO_FILE_CONFIDENCE}) AS confident,
           count(*)::int AS count, COALESCE(sum(d."estimatedValueMinor"), 0)::bigint AS value,
           COALESCE(sum(d."estimatedValueMinor"::float8 * d."confidence"), 0)::float8 AS expected,
           COALESCE(sum(d."confidence"), 0)::float8 AS confidence
    FROM "Detection" d
    WHERE ${detectionWhere(userId, sellerConnectionIds, filter, today)}
    GROUP BY 1, 2, 3, 4, 5`;
  return rows.map((r) => ({
    status: r.status as DerivedStatus,
    severity: r.severity,
    ruleId: r.ruleId,
    currency: r.currency,
    confident: r.confident,
    count: r.count,
    valueMinor: BigInt(r.value),
    expectedMinor: r.expected,
    confidenceSum: r.confidence,
  }));
}

const sumMinor = (groups: readonly Group[], keep: (g: Group) => boolean = () => true): bigint => groups.filter(keep).reduce((s, g) => s + g.valueMinor, 0n);
const countOf = (groups: readonly Group[], keep: (g: Group) => boolean = () => true): number => groups.filter(keep).reduce((s, g) => s + g.count, 0);

export interface CurrencyTotals {
  currency: string;
  count: number;
  totalValue: number;
  totalValueMinor: number;
  openValue: number;
  openValueMinor: number;
  readyToFileValue: number;
  readyToFileValueMinor: number;
  expiredValue: number;
  expiredValueMinor: number;
  recoveredValue: number;
  recoveredValueMinor: number;
  /** Sum of value x confidence over open findings: what filing them can be expected to bring. */
  expectedValue: number;
}

function totalsOf(currency: string, groups: readonly Group[]): CurrencyTotals {
  const mine = groups.filter((g) => g.currency === currency);
  const pair = (keep?: (g: Group) => boolean) => {
    const minor = sumMinor(mine, keep);
    return [toMajor(minor, currency), Number(minor)] as const;
  };
  const [totalValue, totalValueMinor] = pair();
  const [openValue, openValueMinor] = pair(isOpen);
  const [readyToFileValue, readyToFileValueMinor] = pair(isReady);
  const [expiredValue, expiredValueMinor] = pair((g) => g.status === "expired");
  const [recoveredValue, recoveredValueMinor] = pair((g) => g.status === "resolved");
  const expected = mine.filter(isOpen).reduce((s, g) => s + g.expectedMinor, 0);
  return {
    currency,
    count: countOf(mine),
    totalValue,
    totalValueMinor,
    openValue,
    openValueMinor,
    readyToFileValue,
    readyToFileValueMinor,
    expiredValue,
    expiredValueMinor,
    recoveredValue,
    recoveredValueMinor,
    expectedValue: toMajor(Math.round(expected), currency),
  };
}

/** Every currency's totals, the one holding the most value first (see the file's header). */
function currencyTotals(groups: readonly Group[]): CurrencyTotals[] {
  const currencies = [...new Set(groups.map((g) => g.currency))];
  return currencies.map((c) => totalsOf(c, groups)).sort((a, b) => b.totalValue - a.totalValue || (a.currency < b.currency ? -1 : 1));
}

async function defaultCurrency(sellerConnectionIds: readonly string[]): Promise<string> {
  const first = sellerConnectionIds.length
    ? await db.sellerConnection.findFirst({ where: { id: { in: [...sellerConnectionIds] } }, orderBy: { connectedAt: "desc" }, select: { marketplaceIds: true } })
    : null;
  const marketplaceId = first?.marketplaceIds[0];
  return marketplaceId ? currencyOfMarketplace(marketplaceId) : "USD";
}

/** The headline currency's totals and every currency's. */
async function headline(groups: readonly Group[], sellerConnectionIds: readonly string[]) {
  const byCurrency = currencyTotals(groups);
  const top = byCurrency[0] ?? totalsOf(await defaultCurrency(sellerConnectionIds), []);
  return { top, byCurrency };
}

function countBy<K extends string>(keys: readonly K[], groups: readonly Group[], keyOf: (g: Group) => string): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const g of groups) {
    const k = keyOf(g) as K;
    out[k] = (out[k] ?? 0) + g.count;
  }
  return out;
}

/** The last time detection ran for these sellers: the newest finding or set-aside a run wrote. */
async function lastRunAt(userId: string, sellerConnectionIds: readonly string[]): Promise<string | null> {
  if (sellerConnectionIds.length === 0) return null;
  const where = { sellerConnectionId: { in: [...sellerConnectionIds] }, sellerConnection: { userId } };
  const [found, setAside] = await Promise.all([
    db.detection.aggregate({ where, _max: { lastSeenRunAt: true } }),
    db.detectionSetAside.aggregate({ where, _max: { runAt: true } }),
  ]);
  const times = [found._max.lastSeenRunAt, setAside._max.runAt].filter((t): t is Date => t !== null).map((t) => t.getTime());
  return times.length ? new Date(Math.max(...times)).toISOString() : null;
}

// ---------------------------------------------------------------------------------------------
// GET /api/detections/summary

export interface DetectionSummary {
  total: number;
  open: number;
  currency: string;
  totalValue: number;
  openValue: number;
  readyToFileValue: number;
  expiredValue: number;
  recoveredValue: number;
  totalsByCurrency: CurrencyTotals[];
  byStatus: Record<DerivedStatus, number>;
  bySeverity: Record<string, number>;
  /** Per rule: every finding (count, value), and the open ones still worth filing (openCount, openValue: not expired, paid, dismissed or info). */
  byRule: { ruleId: string; ruleSlug: string; anomalyType: string; title: string; count: number; value: number; openCount: number; openValue: number; currency: string }[];
  expiringSoon: DetectionItem[];
  lastRunAt: string | null;
}

export const EXPIRING_SOON_DAYS = 14;

export async function detectionSummary(userId: string, sellerConnectionIds: readonly string[], now: Date): Promise<DetectionSummary> {
  const groups = await groupsOf(userId, sellerConnectionIds, now);
  const { top, byCurrency } = await headline(groups, sellerConnectionIds);
  const ruleIds = [...new Set(groups.map((g) => g.ruleId))].sort();
  const byRule = ruleIds.map((ruleId) => {
    const mine = groups.filter((g) => g.ruleId === ruleId);
    const rule = ruleById(ruleId);
    return {
      ruleId,
      ruleSlug: rule?.slug ?? ruleId,
      anomalyType: anomalyTypeOf(ruleId),
      title: rule?.title ?? ruleId,
      count: countOf(mine),
      value: toMajor(sumMinor(mine, (g) => g.currency === top.currency), top.currency),
      openCount: countOf(mine, isOpen),
      openValue: toMajor(sumMinor(mine, (g) => isOpen(g) && g.currency === top.currency), top.currency),
      currency: top.currency,
    };
  });
  const [expiring, last] = await Promise.all([
    listDetections(userId, sellerConnectionIds, { filter: { statuses: ["pending", "reviewed"], expiringWithinDays: EXPIRING_SOON_DAYS }, sort: "deadline", limit: 10, offset: 0 }, now),
    lastRunAt(userId, sellerConnectionIds),
  ]);
  return {
    total: countOf(groups),
    open: countOf(groups, isOpen),
    currency: top.currency,
    totalValue: top.totalValue,
    openValue: top.openValue,
    readyToFileValue: top.readyToFileValue,
    expiredValue: top.expiredValue,
    recoveredValue: top.recoveredValue,
    totalsByCurrency: byCurrency,
    byStatus: countBy(DERIVED_STATUSES, groups, (g) => g.status),
    bySeverity: countBy(SEVERITIES, groups, (g) => g.severity),
    byRule,
    expiringSoon: expiring.items,
    lastRunAt: last,
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/discrepancies/summary (seed 003)

export async function discrepanciesSummary(userId: string, sellerConnectionIds: readonly string[], now: Date) {
  const [groups, recent] = await Promise.all([
    groupsOf(userId, sellerConnectionIds, now),
    listDetections(userId, sellerConnectionIds, { filter: {}, sort: "recent", limit: 10, offset: 0 }, now),
  ]);
  return {
    total: countOf(groups),
    bySeverity: countBy(SEVERITIES, groups, (g) => g.severity),
    byStatus: countBy(DERIVED_STATUSES, groups, (g) => g.status),
    recentDiscrepancies: recent.items,
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/claims/summary/:userId (seed 003)

export async function claimsSummary(userId: string, sellerConnectionIds: readonly string[], now: Date) {
  const groups = await groupsOf(userId, sellerConnectionIds, now);
  const { top, byCurrency } = await headline(groups, sellerConnectionIds);
  const total = countOf(groups);
  const confidenceSum = groups.reduce((s, g) => s + g.confidenceSum, 0);
  return {
    totalClaims: total,
    currency: top.currency,
    totalPotentialRecovery: top.openValue,
    claimsByStatus: countBy(DERIVED_STATUSES, groups, (g) => g.status),
    // Only the categories the seller has findings in.
    claimsByType: countBy([] as string[], groups, (g) => anomalyTypeOf(g.ruleId)),
    averageConfidence: total > 0 ? Number((confidenceSum / total).toFixed(3)) : 0,
    estimatedTotalPayout: top.expectedValue,
    totalsByCurrency: byCurrency,
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/claims/health

export interface RuleHealth {
  ruleId: string;
  ruleSlug: string;
  title: string;
  supported: boolean;
  /** Why it does not run (not built, or the data cannot support it), or what data it still waits for. */
  reason?: string;
}

/**
 * Whether detection can do its work for the sellers: `degraded` when a built rule cannot run for a
 * seller who has synced (a source it needs is missing) or reads a source whose last pull was degraded
 * or failed; `ok` otherwise (a seller who never synced is waiting, not degraded).
 */
export async function claimsHealth(userId: string, sellerConnectionIds: readonly string[], now: Date) {
  const [groups, last, synced] = await Promise.all([
    groupsOf(userId, sellerConnectionIds, now),
    lastRunAt(userId, sellerConnectionIds),
    sellerConnectionIds.length
      ? db.sellerConnection.findMany({
          where: { id: { in: [...sellerConnectionIds] }, userId, syncRuns: { some: { status: "completed" } } },
          select: { id: true },
        })
      : Promise.resolve([]),
  ]);
  const availability = await Promise.all(synced.map((s) => availableSources(db, s.id)));
  let degraded = false;
  const rules: RuleHealth[] = RULES.map((rule) => {
    const base = { ruleId: rule.id, ruleSlug: rule.slug, title: rule.title };
    if (!rule.supported) return { ...base, supported: false, reason: rule.why };
    const missing = new Set<string>();
    const unhealthy = new Set<string>();
    for (const a of availability) {
      for (const source of rule.requires) {
        if (!a.sources.has(source)) missing.add(source);
        if (a.degraded.has(source)) unhealthy.add(source);
      }
    }
    if (missing.size === 0 && unhealthy.size === 0) return { ...base, supported: true };
    degraded = true;
    const parts = [
      ...(missing.size ? [`waiting for data: ${[...missing].sort().join(", ")}`] : []),
      ...(unhealthy.size ? [`last pull degraded: ${[...unhealthy].sort().join(", ")}`] : []),
    ];
    return { ...base, supported: true, reason: parts.join("; ") };
  });
  return { status: degraded ? ("degraded" as const) : ("ok" as const), lastRunAt: last, openClaims: countOf(groups, isOpen), rules };
}

// ---------------------------------------------------------------------------------------------
// GET /api/recoveries (seed 001: the dashboard's totals)

export interface Recoveries {
  totalPotentialRecovery: number;
  readyToFileValue: number;
  recoveredValue: number;
  expiredValue: number;
  openClaims: number;
  currency: string;
  totalsByCurrency: CurrencyTotals[];
  lastSyncAt: string | null;
  syncing: boolean;
  syncId: string | null;
}

export async function recoveries(userId: string, sellerConnectionIds: readonly string[], now: Date, startedSyncIds: readonly string[] = []): Promise<Recoveries> {
  const runWhere = { sellerConnectionId: { in: [...sellerConnectionIds] }, sellerConnection: { userId } } satisfies Prisma.SyncRunWhereInput;
  const [groups, lastCompleted, running] = await Promise.all([
    groupsOf(userId, sellerConnectionIds, now),
    sellerConnectionIds.length ? db.syncRun.aggregate({ where: { ...runWhere, status: "completed" }, _max: { completedAt: true } }) : null,
    sellerConnectionIds.length
      ? db.syncRun.findFirst({ where: { ...runWhere, status: "running" }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: { id: true } })
      : null,
  ]);
  const { top, byCurrency } = await headline(groups, sellerConnectionIds);
  const syncId = running?.id ?? startedSyncIds[0] ?? null;
  return {
    totalPotentialRecovery: top.openValue,
    readyToFileValue: top.readyToFileValue,
    recoveredValue: top.recoveredValue,
    expiredValue: top.expiredValue,
    openClaims: countOf(groups, isOpen),
    currency: top.currency,
    totalsByCurrency: byCurrency,
    lastSyncAt: lastCompleted?._max.completedAt?.toISOString() ?? null,
    syncing: syncId !== null,
    syncId,
  };
}

/** Whether any of the sellers ever had a sync (the recoveries route's fallback asks for one otherwise). */
export async function everSynced(userId: string, sellerConnectionIds: readonly string[]): Promise<boolean> {
  if (sellerConnectionIds.length === 0) return false;
  const run = await db.syncRun.findFirst({ where: { sellerConnectionId: { in: [...sellerConnectionIds] }, sellerConnection: { userId } }, select: { id: true } });
  return run !== null;
}

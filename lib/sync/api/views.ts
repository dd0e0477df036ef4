// The read side of the sync: what the status, history, statistics, jobs, metrics and data-source
// health routes answer (their handlers are lib/sync/api/view-handlers.ts, the field meanings are in
// docs/sync.md, "The sync APIs (read side)"). Every query is set-based and scoped twice: to the seller
// connections the route is about (lib/sync/api/scope.ts sellerScope, the user's own ids) and to the
// user through the connection's userId, so an id that slipped through still matches nothing.
//
// Field meanings, shared by every route:
// - ordersProcessed: order-item rows this run stored for the orders source (`all-orders` in
//   SyncRun.counts; the All Orders report has one row per order item).
// - totalOrders: distinct Amazon order ids in the orders ledger table (OrderItem.amazonOrderId) of the
//   run's seller connection, over every sync so far (one index-only count on the table's unique key).
//   The two are different units (items vs orders): ordersProcessed can exceed totalOrders.
// - claimsDetected: SyncRun.claimsDetected, the discrepancies the detection after the run found (0
//   until it ran); totals and `discrepanciesFound` are sums over runs.
// - status: running | completed | failed | cancelled (SyncRun.status). The seeds' `idle` is never
//   returned: /api/sync/status answers "nothing ran" with `lastSync: null` and "nothing runs" with
//   `hasActiveSync: false`, and a real run is never idle.
// - error texts (run error, failed tasks, data-source lastError) go through publicErrorText.
import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import { ApiError } from "../../api/errors";
import { db } from "../../db";
import { env } from "../../env";
import { DATA_SOURCE_GROUPS, SYNC_PLAN, type DataSourceGroup, type PlanEntry } from "../plan";
import { FINISHED_TASK_STATUSES, type SyncKind, type SyncStatus, type TaskStatus } from "../run-store";
import { cronPeriodMs } from "../schedule";
import { timeAgo } from "./relative-time";

/** The orders source: its rows are what `ordersProcessed` counts. */
export const ORDERS_SOURCE = "all-orders";

// ---------------------------------------------------------------------------------------------
// Shared pieces

const runColumns = {
  id: true,
  sellerConnectionId: true,
  kind: true,
  status: true,
  progress: true,
  message: true,
  counts: true,
  error: true,
  trigger: true,
  claimsDetected: true,
  etaAt: true,
  startedAt: true,
  completedAt: true,
  updatedAt: true,
} satisfies Prisma.SyncRunSelect;

type RunRow = Prisma.SyncRunGetPayload<{ select: typeof runColumns }>;

/** Newest first; the id breaks ties so paging is stable. */
const newestFirst: Prisma.SyncRunOrderByWithRelationInput[] = [{ startedAt: "desc" }, { id: "desc" }];

/** The user's runs of the given connections. */
function runsOf(userId: string, sellerConnectionIds: readonly string[]): Prisma.SyncRunWhereInput {
  return { sellerConnectionId: { in: [...sellerConnectionIds] }, sellerConnection: { userId } };
}

function entryOf(source: string): PlanEntry | undefined {
  return SYNC_PLAN.find((e) => e.source === source);
}

/** SyncRun.counts as numbers per source (it is written by jsonb_set with integers; anything else reads 0). */
export function countsOf(counts: Prisma.JsonValue): Record<string, number> {
  if (!counts || typeof counts !== "object" || Array.isArray(counts)) return {};
  const out: Record<string, number> = {};
  for (const [source, value] of Object.entries(counts)) {
    const n = Number(value);
    out[source] = Number.isFinite(n) ? n : 0;
  }
  return out;
}

function ordersProcessedOf(run: Pick<RunRow, "counts">): number {
  return countsOf(run.counts)[ORDERS_SOURCE] ?? 0;
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const PATH_TEXT = /(?<![\w:/.])\/(?:[\w.@-]+\/)+[\w.@-]+/g;
const LWA_TOKEN = /\bAtz[ar]\|\S+/g;
/** Text that only our own machinery writes (database, driver, network stack): never shown as such. */
const INTERNAL_TEXT = /\bprisma\b|\binvocation\b|\bE(?:CONN\w+|TIMEDOUT|AI_AGAIN|NOTFOUND|PIPE|NOENT|ACCES)\b|\bSQLSTATE\b|\bP\d{4}\b|\bsyntax error at\b|\brelation "[^"]*" does not exist\b/i;
const INTERNAL_REPLACEMENT = "An internal error stopped this work; it is retried on the next sync.";

/**
 * An error text stored by the sync, as a seller may read it. Reasons the engine writes (Amazon's
 * answer, "Could not be pulled after several tries: ...") pass; the rest is cut to its first line,
 * URLs (report document links, connection strings), file paths and LWA tokens are blanked, and a text
 * that looks like our own machinery's (Prisma, the driver, the network stack) becomes a generic line.
 */
export function publicErrorText(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = (text.split("\n")[0] ?? "").trim();
  if (!line) return null;
  if (INTERNAL_TEXT.test(line)) return INTERNAL_REPLACEMENT;
  const cleaned = line.replace(URL_TEXT, "<url>").replace(LWA_TOKEN, "<token>").replace(PATH_TEXT, "<path>");
  return cleaned.length > 300 ? `${cleaned.slice(0, 299)}…` : cleaned;
}

/** Distinct orders in the orders ledger table per seller connection (see the header: totalOrders). */
async function totalOrdersBySeller(sellerConnectionIds: readonly string[]): Promise<Map<string, number>> {
  if (sellerConnectionIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: string; n: bigint }[]>`
    SELECT "sellerConnectionId" AS "id", count(DISTINCT "amazonOrderId")::bigint AS "n"
    FROM "OrderItem"
    WHERE "sellerConnectionId" = ANY(${[...sellerConnectionIds]}::text[]) AND "amazonOrderId" <> ''
    GROUP BY "sellerConnectionId"`;
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------
// GET /api/sync/status

export interface LastSync {
  syncId: string;
  status: SyncStatus;
  progress: number;
  message: string;
  startedAt: string;
  ordersProcessed: number;
  totalOrders: number;
  claimsDetected: number;
}

export interface SyncStatusOverview {
  hasActiveSync: boolean;
  lastSync: LastSync | null;
}

/**
 * Whether a sync of the connections runs, and the sync to show: the running one when one runs (the
 * newest, with several connections), otherwise the newest started. Nothing ever ran: `lastSync: null`.
 */
export async function syncStatusOverview(userId: string, sellerConnectionIds: readonly string[]): Promise<SyncStatusOverview> {
  const where = runsOf(userId, sellerConnectionIds);
  const [running, newest] = await Promise.all([
    db.syncRun.findFirst({ where: { ...where, status: "running" }, orderBy: newestFirst, select: runColumns }),
    db.syncRun.findFirst({ where, orderBy: newestFirst, select: runColumns }),
  ]);
  const run = running ?? newest;
  if (!run) return { hasActiveSync: false, lastSync: null };
  const totals = await totalOrdersBySeller([run.sellerConnectionId]);
  return {
    hasActiveSync: running !== null,
    lastSync: {
      syncId: run.id,
      status: run.status as SyncStatus,
      progress: run.progress,
      message: run.message,
      startedAt: run.startedAt.toISOString(),
      ordersProcessed: ordersProcessedOf(run),
      totalOrders: totals.get(run.sellerConnectionId) ?? 0,
      claimsDetected: run.claimsDetected,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/sync/status/:syncId

/**
 * A source of a run: pending (nothing started yet), running (a task is at work), completed (every task
 * done or empty), partial (some windows pulled, some failed or skipped), failed (nothing pulled, some
 * failed or skipped), cancelled (stopped before its end, nothing failed).
 */
export type SourceStatus = "pending" | "running" | "completed" | "partial" | "failed" | "cancelled";

export interface SyncSourceView {
  source: string;
  /** What a seller reads: "inventory ledger". */
  title: string;
  /** The data-source card it feeds (a DATA_SOURCE_GROUPS key). */
  group: DataSourceGroup | null;
  /** Rows stored by this run. */
  rows: number;
  /** Units of work (report windows, page ranges, snapshots) planned for it. */
  tasks: number;
  /** Units finished in any way (done, empty, failed, skipped, cancelled): what the progress bar counts. */
  tasksDone: number;
  status: SourceStatus;
}

export interface FailedTaskView {
  source: string;
  title: string;
  /** `<start ISO>..<end ISO>` (as the run's summary writes it), null for snapshots. */
  window: string | null;
  error: string | null;
}

export interface SyncRunDetail {
  success: true;
  syncId: string;
  status: SyncStatus;
  progress: number;
  message: string;
  startedAt: string;
  completedAt: string | null;
  ordersProcessed: number;
  totalOrders: number;
  claimsDetected: number;
  error: string | null;
  kind: SyncKind;
  trigger: string;
  eta: string | null;
  sources: SyncSourceView[];
  failedTasks: FailedTaskView[];
}

const PULLED: readonly string[] = ["done", "empty"];
const REFUSED: readonly string[] = ["failed", "skipped"];

function sourceStatus(byStatus: Map<string, number>): SourceStatus {
  const n = (statuses: readonly string[]) => statuses.reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
  if (n(["running"]) > 0) return "running";
  const pulled = n(PULLED);
  const refused = n(REFUSED);
  if (n(["pending"]) > 0) return pulled + refused > 0 ? "running" : "pending";
  if (refused > 0) return pulled > 0 ? "partial" : "failed";
  if (n(["cancelled"]) > 0) return "cancelled";
  return "completed";
}

function priorityOf(source: string): number {
  return entryOf(source)?.priority ?? Number.MAX_SAFE_INTEGER;
}

/** One run of the user with its sources and failed tasks; another user's id is a 404 like a missing one. */
export async function syncRunDetail(userId: string, syncRunId: string): Promise<SyncRunDetail> {
  const run = await db.syncRun.findFirst({ where: { id: syncRunId, sellerConnection: { userId } }, select: runColumns });
  if (!run) throw new ApiError("not_found", "No such sync.");
  const [groups, failed, totals] = await Promise.all([
    db.syncTask.groupBy({ by: ["source", "status"], where: { syncRunId: run.id }, _count: { _all: true }, _sum: { rows: true } }),
    db.syncTask.findMany({
      where: { syncRunId: run.id, status: { in: [...REFUSED] } },
      orderBy: [{ source: "asc" }, { windowStart: "asc" }],
      select: { source: true, windowStart: true, windowEnd: true, error: true },
    }),
    totalOrdersBySeller([run.sellerConnectionId]),
  ]);

  const bySource = new Map<string, { rows: number; statuses: Map<string, number> }>();
  for (const g of groups) {
    const entry = bySource.get(g.source) ?? { rows: 0, statuses: new Map<string, number>() };
    entry.rows += g._sum.rows ?? 0;
    entry.statuses.set(g.status, (entry.statuses.get(g.status) ?? 0) + g._count._all);
    bySource.set(g.source, entry);
  }
  const sources = [...bySource.entries()]
    .sort(([a], [b]) => priorityOf(a) - priorityOf(b) || a.localeCompare(b))
    .map(([source, { rows, statuses }]): SyncSourceView => {
      const tasks = [...statuses.values()].reduce((a, b) => a + b, 0);
      const tasksDone = FINISHED_TASK_STATUSES.reduce((sum, s: TaskStatus) => sum + (statuses.get(s) ?? 0), 0);
      const entry = entryOf(source);
      return { source, title: entry?.title ?? source, group: entry?.group ?? null, rows, tasks, tasksDone, status: sourceStatus(statuses) };
    });
  const failedTasks = failed
    .sort((a, b) => priorityOf(a.source) - priorityOf(b.source))
    .map((t): FailedTaskView => ({
      source: t.source,
      title: entryOf(t.source)?.title ?? t.source,
      window: t.windowStart ? `${t.windowStart.toISOString()}..${t.windowEnd?.toISOString() ?? ""}` : null,
      error: publicErrorText(t.error),
    }));

  return {
    success: true,
    syncId: run.id,
    status: run.status as SyncStatus,
    progress: run.progress,
    message: run.message,
    startedAt: run.startedAt.toISOString(),
    completedAt: iso(run.completedAt),
    ordersProcessed: ordersProcessedOf(run),
    totalOrders: totals.get(run.sellerConnectionId) ?? 0,
    claimsDetected: run.claimsDetected,
    error: publicErrorText(run.error),
    kind: run.kind as SyncKind,
    trigger: run.trigger,
    eta: iso(run.etaAt),
    sources,
    failedTasks,
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/sync/history

export interface HistoryEntry {
  syncId: string;
  status: SyncStatus;
  kind: SyncKind;
  startedAt: string;
  completedAt: string | null;
  ordersProcessed: number;
  claimsDetected: number;
  /** Whole seconds from start to end; null while it runs. */
  duration: number | null;
  error: string | null;
}

export interface SyncHistory {
  success: true;
  history: HistoryEntry[];
  /** Every run in scope, whatever the page. */
  total: number;
}

export interface Page {
  limit: number;
  offset: number;
}

/** The runs of the connections, newest first, one page of them, and how many there are. */
export async function syncHistory(userId: string, sellerConnectionIds: readonly string[], page: Page): Promise<SyncHistory> {
  const where = runsOf(userId, sellerConnectionIds);
  const [runs, total] = await Promise.all([
    db.syncRun.findMany({ where, orderBy: newestFirst, skip: page.offset, take: page.limit, select: runColumns }),
    db.syncRun.count({ where }),
  ]);
  return {
    success: true,
    history: runs.map((run) => ({
      syncId: run.id,
      status: run.status as SyncStatus,
      kind: run.kind as SyncKind,
      startedAt: run.startedAt.toISOString(),
      completedAt: iso(run.completedAt),
      ordersProcessed: ordersProcessedOf(run),
      claimsDetected: run.claimsDetected,
      duration: run.completedAt ? Math.max(0, Math.round((run.completedAt.getTime() - run.startedAt.getTime()) / 1000)) : null,
      error: publicErrorText(run.error),
    })),
    total,
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics and metrics: one aggregate query over the runs in scope

interface RunAggregate {
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  running: number;
  ordersProcessed: number;
  claimsDetected: number;
  rowsIngested: number;
  /** Mean seconds from start to end of the completed runs; null when none completed. */
  averageCompletedSeconds: number | null;
  /** End of the newest completed run. */
  lastCompletedAt: Date | null;
}

async function runAggregate(userId: string, sellerConnectionIds: readonly string[]): Promise<RunAggregate> {
  const rows = await db.$queryRaw<
    {
      total: bigint;
      completed: bigint;
      failed: bigint;
      cancelled: bigint;
      running: bigint;
      orders: bigint;
      claims: bigint;
      rows: bigint;
      avgSeconds: number | null;
      lastCompletedAt: Date | null;
    }[]
  >`
    SELECT count(*)::bigint AS "total",
           (count(*) FILTER (WHERE r."status" = 'completed'))::bigint AS "completed",
           (count(*) FILTER (WHERE r."status" = 'failed'))::bigint AS "failed",
           (count(*) FILTER (WHERE r."status" = 'cancelled'))::bigint AS "cancelled",
           (count(*) FILTER (WHERE r."status" = 'running'))::bigint AS "running",
           COALESCE(sum(COALESCE((r."counts"->>${ORDERS_SOURCE})::numeric, 0)), 0)::bigint AS "orders",
           COALESCE(sum(r."claimsDetected"), 0)::bigint AS "claims",
           COALESCE(sum(x."rows"), 0)::bigint AS "rows",
           (avg(EXTRACT(EPOCH FROM (r."completedAt" - r."startedAt"))) FILTER (WHERE r."status" = 'completed' AND r."completedAt" IS NOT NULL))::float8 AS "avgSeconds",
           max(r."completedAt") FILTER (WHERE r."status" = 'completed') AS "lastCompletedAt"
    FROM "SyncRun" r
    JOIN "SellerConnection" c ON c."id" = r."sellerConnectionId"
    LEFT JOIN LATERAL (SELECT sum(e.value::numeric) AS "rows" FROM jsonb_each_text(r."counts") AS e) x ON true
    WHERE c."userId" = ${userId} AND r."sellerConnectionId" = ANY(${[...sellerConnectionIds]}::text[])`;
  const row = rows[0];
  return {
    total: Number(row?.total ?? 0),
    completed: Number(row?.completed ?? 0),
    failed: Number(row?.failed ?? 0),
    cancelled: Number(row?.cancelled ?? 0),
    running: Number(row?.running ?? 0),
    ordersProcessed: Number(row?.orders ?? 0),
    claimsDetected: Number(row?.claims ?? 0),
    rowsIngested: Number(row?.rows ?? 0),
    averageCompletedSeconds: row?.avgSeconds == null ? null : Number(row.avgSeconds),
    lastCompletedAt: row?.lastCompletedAt ?? null,
  };
}

export interface SyncStatistics {
  success: true;
  statistics: {
    totalSyncs: number;
    successfulSyncs: number;
    failedSyncs: number;
    cancelledSyncs: number;
    runningSyncs: number;
    /** Sum of the runs' ordersProcessed. */
    totalOrdersProcessed: number;
    /** Sum of the runs' claimsDetected. */
    totalClaimsDetected: number;
  };
}

/** Counts of the runs in scope by status, and their orders and claims summed (one query). */
export async function syncStatistics(userId: string, sellerConnectionIds: readonly string[]): Promise<SyncStatistics> {
  const a = await runAggregate(userId, sellerConnectionIds);
  return {
    success: true,
    statistics: {
      totalSyncs: a.total,
      successfulSyncs: a.completed,
      failedSyncs: a.failed,
      cancelledSyncs: a.cancelled,
      runningSyncs: a.running,
      totalOrdersProcessed: a.ordersProcessed,
      totalClaimsDetected: a.claimsDetected,
    },
  };
}

export interface SyncMetrics {
  success: true;
  metrics: {
    totalSyncs: number;
    /** completed / (completed + failed), 0-1 rounded to 4 places; cancelled and running runs do not count; null before any ended. */
    successRate: number | null;
    /** Mean whole seconds of the completed runs; null before any completed. */
    averageDurationSeconds: number | null;
    /** End of the newest completed run. */
    lastSyncAt: string | null;
    /** Rows stored by every run, all sources (the sum of SyncRun.counts). */
    rowsIngested: number;
    /** Runs running now. */
    activeJobs: number;
    /** Sum of the runs' claimsDetected. */
    discrepanciesFound: number;
  };
}

/** The seller's sync metrics (seed 003), from the same one aggregate query as the statistics. */
export async function syncMetrics(userId: string, sellerConnectionIds: readonly string[]): Promise<SyncMetrics> {
  const a = await runAggregate(userId, sellerConnectionIds);
  const ended = a.completed + a.failed;
  return {
    success: true,
    metrics: {
      totalSyncs: a.total,
      successRate: ended > 0 ? Math.round((a.completed / ended) * 10_000) / 10_000 : null,
      averageDurationSeconds: a.averageCompletedSeconds === null ? null : Math.round(a.averageCompletedSeconds),
      lastSyncAt: iso(a.lastCompletedAt),
      rowsIngested: a.rowsIngested,
      activeJobs: a.running,
      discrepanciesFound: a.claimsDetected,
    },
  };
}

export interface GlobalSyncMetrics {
  /** Runs running now, every tenant. */
  activeJobs: number;
  /** Runs ever, every tenant. */
  totalJobs: number;
  /** End of the newest completed run of any tenant. */
  lastSync: string | null;
  /** Sum of every run's claimsDetected. */
  discrepanciesFound: number;
}

/** For GET /api/health (seed 003's `metrics`): counts over every tenant, no ids, one query. */
export async function globalSyncMetrics(client: Pick<PrismaClient, "$queryRaw"> = db): Promise<GlobalSyncMetrics> {
  const rows = await client.$queryRaw<{ total: bigint; running: bigint; claims: bigint; lastCompletedAt: Date | null }[]>`
    SELECT count(*)::bigint AS "total",
           (count(*) FILTER (WHERE "status" = 'running'))::bigint AS "running",
           COALESCE(sum("claimsDetected"), 0)::bigint AS "claims",
           max("completedAt") FILTER (WHERE "status" = 'completed') AS "lastCompletedAt"
    FROM "SyncRun"`;
  const row = rows[0];
  return {
    activeJobs: Number(row?.running ?? 0),
    totalJobs: Number(row?.total ?? 0),
    lastSync: iso(row?.lastCompletedAt),
    discrepanciesFound: Number(row?.claims ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Data-source cards (GET /api/sync/data-sources/health, and per connection in /api/v1/connectors/health)

export type CardStatus = "connected" | "stale" | "error" | "never";

export interface DataSourceCard {
  /** "Shipment Data", ... (DATA_SOURCE_GROUPS). */
  name: string;
  status: CardStatus;
  /** Oldest last pull of the group's sources that were pulled (ISO); null when none was. */
  lastPulled: string | null;
  /** lastPulled in words: "2 minutes ago", "never". */
  lastPulledAgo: string;
  /** The group key ("shipments", ...). */
  source: DataSourceGroup;
  /** ENABLE_BACKGROUND_SYNC is on and a connection of the card is connected: the cron keeps it fresh. */
  syncEnabled: boolean;
  /** Set when status is "error": the newest error of the group's failing sources. */
  lastError: string | null;
}

export interface CardSettings {
  /** The longest gap between two scheduled syncs (cronPeriodMs(SYNC_CRON)). */
  cronPeriodMs: number;
  /** ENABLE_BACKGROUND_SYNC. */
  backgroundSync: boolean;
}

/** The card settings of this process's environment. */
export function cardSettings(): CardSettings {
  const e = env();
  return { cronPeriodMs: cronPeriodMs(e.SYNC_CRON), backgroundSync: e.ENABLE_BACKGROUND_SYNC };
}

interface StateRow {
  sellerConnectionId: string;
  source: string;
  lastPulledAt: Date | null;
  health: string;
  lastError: string | null;
  updatedAt: Date;
}

interface ConnectionRow {
  id: string;
  status: string;
}

const FAILING_HEALTH = new Set(["error", "degraded"]);
const NO_REASON = "Amazon did not give a reason.";

/**
 * The seven cards from the DataSourceState rows of `connections`. The aggregation rule: a card stands
 * for every (connection, source) pair of its group (the plan's sources with that `group`), and
 * - `error` when any pair's health is "error" or "degraded" (its last sync could not pull all of it):
 *   lastError is the newest such row's error;
 * - otherwise `never` when no pair was ever pulled (no row, or lastPulledAt null);
 * - otherwise `connected` when every pair was pulled and the oldest pull is at most two cron periods
 *   before `now` (one scheduled sync may be missed or still running: exactly 2 periods is connected);
 * - otherwise `stale` (a pull older than that, or a source of the group never pulled yet).
 * lastPulled is the oldest pull of the pulled pairs, so a connected card means every source is fresh.
 */
export function buildCards(states: readonly StateRow[], connections: readonly ConnectionRow[], now: Date, settings: CardSettings): DataSourceCard[] {
  const byPair = new Map(states.map((s) => [`${s.sellerConnectionId}\u0000${s.source}`, s]));
  const freshFor = 2 * settings.cronPeriodMs;
  const syncEnabled = settings.backgroundSync && connections.some((c) => c.status === "connected");
  return (Object.entries(DATA_SOURCE_GROUPS) as [DataSourceGroup, string][]).map(([group, name]): DataSourceCard => {
    const sources = SYNC_PLAN.filter((e) => e.group === group).map((e) => e.source);
    const pairs = connections.flatMap((c) => sources.map((source) => byPair.get(`${c.id}\u0000${source}`)));
    const failing = pairs
      .filter((s): s is StateRow => s !== undefined && FAILING_HEALTH.has(s.health))
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    const pulls = pairs.map((s) => s?.lastPulledAt ?? null).filter((d): d is Date => d !== null);
    const oldest = pulls.length > 0 ? new Date(Math.min(...pulls.map((d) => d.getTime()))) : null;
    let status: CardStatus;
    if (failing.length > 0) status = "error";
    else if (!oldest) status = "never";
    else if (pulls.length === pairs.length && now.getTime() - oldest.getTime() <= freshFor) status = "connected";
    else status = "stale";
    return {
      name,
      status,
      lastPulled: iso(oldest),
      lastPulledAgo: timeAgo(oldest, now),
      source: group,
      syncEnabled,
      lastError: failing[0] ? (publicErrorText(failing[0].lastError) ?? NO_REASON) : null,
    };
  });
}

const stateColumns = { sellerConnectionId: true, source: true, lastPulledAt: true, health: true, lastError: true, updatedAt: true } satisfies Prisma.DataSourceStateSelect;

/** The user's connections among `sellerConnectionIds`, in that order. */
async function connectionsOf(userId: string, sellerConnectionIds: readonly string[]): Promise<ConnectionRow[]> {
  const rows = await db.sellerConnection.findMany({ where: { id: { in: [...sellerConnectionIds] }, userId }, select: { id: true, status: true } });
  const order = new Map(sellerConnectionIds.map((id, i) => [id, i]));
  return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export interface DataSourcesHealth {
  success: true;
  dataSources: DataSourceCard[];
}

/** The cards over every connection in scope (two queries). */
export async function dataSourceCards(userId: string, sellerConnectionIds: readonly string[], now: Date, settings: CardSettings = cardSettings()): Promise<DataSourcesHealth> {
  const connections = await connectionsOf(userId, sellerConnectionIds);
  const states = await db.dataSourceState.findMany({
    where: { sellerConnectionId: { in: connections.map((c) => c.id) }, sellerConnection: { userId } },
    select: stateColumns,
  });
  return { success: true, dataSources: buildCards(states, connections, now, settings) };
}

/**
 * A connector's health: `not_connected` (no connection in scope), `unhealthy` (none is connected:
 * each needs reauthorization), `degraded` (a connection needs reauthorization, or a card of one is not
 * `connected`), `healthy` (every connection connected and every card fresh).
 */
export type ConnectorStatus = "healthy" | "degraded" | "unhealthy" | "not_connected";

export interface ConnectorConnection {
  sellerConnectionId: string;
  /** SellerConnection.status: connected | reauthorization_required | disconnected. */
  status: string;
  /** End of the connection's newest completed run. */
  lastSyncAt: string | null;
  dataSources: DataSourceCard[];
}

export interface ConnectorsHealth {
  success: true;
  connectors: { id: "amazon"; name: "Amazon SP-API"; status: ConnectorStatus; connections: ConnectorConnection[] }[];
}

/** The Amazon connector with the cards of each connection in scope (three queries for all of them). */
export async function connectorsHealth(userId: string, sellerConnectionIds: readonly string[], now: Date, settings: CardSettings = cardSettings()): Promise<ConnectorsHealth> {
  const connections = await connectionsOf(userId, sellerConnectionIds);
  const ids = connections.map((c) => c.id);
  const [states, lastSyncs] = await Promise.all([
    db.dataSourceState.findMany({ where: { sellerConnectionId: { in: ids }, sellerConnection: { userId } }, select: stateColumns }),
    db.syncRun.groupBy({ by: ["sellerConnectionId"], where: { ...runsOf(userId, ids), status: "completed" }, _max: { completedAt: true } }),
  ]);
  const lastSyncOf = new Map(lastSyncs.map((g) => [g.sellerConnectionId, g._max.completedAt]));
  const views = connections.map((c): ConnectorConnection => ({
    sellerConnectionId: c.id,
    status: c.status,
    lastSyncAt: iso(lastSyncOf.get(c.id)),
    dataSources: buildCards(states.filter((s) => s.sellerConnectionId === c.id), [c], now, settings),
  }));
  let status: ConnectorStatus;
  if (views.length === 0) status = "not_connected";
  else if (!views.some((v) => v.status === "connected")) status = "unhealthy";
  else if (views.every((v) => v.status === "connected" && v.dataSources.every((card) => card.status === "connected"))) status = "healthy";
  else status = "degraded";
  return { success: true, connectors: [{ id: "amazon", name: "Amazon SP-API", status, connections: views }] };
}

// ---------------------------------------------------------------------------------------------
// Jobs (seeds 000 and 003): a sync run seen as a background job

export interface JobView {
  /** The sync run id. */
  id: string;
  status: SyncStatus;
  progress: number;
  data: {
    message: string;
    kind: SyncKind;
    trigger: string;
    sellerConnectionId: string;
    /** Rows stored per source. */
    counts: Record<string, number>;
    startedAt: string;
    completedAt: string | null;
    error: string | null;
  };
  /** When the run last changed (SyncRun.updatedAt). */
  timestamp: string;
}

function jobView(run: RunRow): JobView {
  return {
    id: run.id,
    status: run.status as SyncStatus,
    progress: run.progress,
    data: {
      message: run.message,
      kind: run.kind as SyncKind,
      trigger: run.trigger,
      sellerConnectionId: run.sellerConnectionId,
      counts: countsOf(run.counts),
      startedAt: run.startedAt.toISOString(),
      completedAt: iso(run.completedAt),
      error: publicErrorText(run.error),
    },
    timestamp: run.updatedAt.toISOString(),
  };
}

/** One run of the user as a job; another user's id is a 404 like a missing one. */
export async function jobById(userId: string, syncRunId: string): Promise<JobView> {
  const run = await db.syncRun.findFirst({ where: { id: syncRunId, sellerConnection: { userId } }, select: runColumns });
  if (!run) throw new ApiError("not_found", "No such job.");
  return jobView(run);
}

/** The runs of the connections as jobs, newest first. */
export async function jobsOf(userId: string, sellerConnectionIds: readonly string[], page: Page): Promise<{ jobs: JobView[] }> {
  const runs = await db.syncRun.findMany({ where: runsOf(userId, sellerConnectionIds), orderBy: newestFirst, skip: page.offset, take: page.limit, select: runColumns });
  return { jobs: runs.map(jobView) };
}

/** The running jobs (every one) and the newest `limit` that ended. */
export async function jobsOverview(userId: string, sellerConnectionIds: readonly string[], limit: number): Promise<{ success: true; active: JobView[]; recent: JobView[] }> {
  const where = runsOf(userId, sellerConnectionIds);
  const [active, recent] = await Promise.all([
    db.syncRun.findMany({ where: { ...where, status: "running" }, orderBy: newestFirst, select: runColumns }),
    db.syncRun.findMany({ where: { ...where, status: { not: "running" } }, orderBy: newestFirst, take: limit, select: runColumns }),
  ]);
  return { success: true, active: active.map(jobView), recent: recent.map(jobView) };
}
